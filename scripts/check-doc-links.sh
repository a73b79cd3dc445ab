#!/usr/bin/env bash
# Keeps the project's documentation self-contained: every design document that code, tests,
# scripts and docs cite must be a page of docs/ (or README.md / LICENSE at the root), and every
# numbered reference into one must exist. Prints every problem as file:line: why, and fails if any.
#   scripts/check-doc-links.sh              check the tracked files
#   scripts/check-doc-links.sh --untracked  also check new files git does not ignore (before a commit)
#
# What it checks, in the tracked files under core/ app/ widgets/ tests/ docs/ scripts/
# benchmarks/ cmake/ and in README.md and CMakeLists.txt:
#   - a cited `NAME.md` exists: docs/NAME.md, NAME.md at the root, or NAME.md beside the citing
#     file; a cited path with a folder (tests/data/schedule/README.md, ../README.md) exists,
#     from the root or from the citing file's folder, inside the repository;
#   - a section cited by its title (NAME.md "Title") is a heading of that page;
#   - in Markdown files, every relative link target exists, and a #anchor into a Markdown page
#     matches one of its headings;
#   - `algorithms.md §N` (also §N.M, §N-M, "algorithms.md section N"): docs/algorithms.md has a
#     heading numbered N; a § on a line that names no document is reported as ambiguous;
#   - `conventions.md rule N` (the rule number may be on the next line): docs/conventions.md has a
#     heading "Rule N";
#   - nothing points into the shared folder outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

untracked=0
case "${1:-}" in
"") ;;
--untracked) untracked=1 ;;
*)
    echo "usage: scripts/check-doc-links.sh [--untracked]" >&2
    exit 2
    ;;
esac

scope=(core app widgets tests docs scripts benchmarks cmake README.md CMakeLists.txt)
{
    git ls-files -z -- "${scope[@]}"
    if [ "$untracked" = 1 ]; then
        git ls-files -z --others --exclude-standard -- "${scope[@]}"
    fi
} | PHAZE_SELF="scripts/check-doc-links.sh" perl -0 -e '
use strict;
use warnings;
use Cwd qw(realpath);
use File::Basename qw(dirname);

my $root = realpath(".");
# Files are read as bytes: the section sign and the en dash in UTF-8.
my $SECTION = "\xC2\xA7";
my $ENDASH = "\xE2\x80\x93";
my $self = $ENV{PHAZE_SELF};
my $problems = 0;
sub report { my ($where, $why) = @_; print STDERR "$where: $why\n"; $problems++; }

# GitHub-style anchors of a Markdown file (lowercase, punctuation dropped, spaces to hyphens,
# repeated headings numbered), cached per file.
my %anchors;
sub anchors_of {
    my ($path) = @_;
    return $anchors{$path} if $anchors{$path};
    my %set; my %seen; my $fence = 0;
    if (open(my $fh, "<:raw", $path)) {
        local $/ = "\n";
        while (my $l = <$fh>) {
            if ($l =~ /^\s*(```|~~~)/) { $fence = !$fence; next; }
            next if $fence;
            next unless $l =~ /^#{1,6}\s+(.*?)\s*#*\s*$/;
            my $slug = lc $1;
            $slug =~ s/[^\w\- ]//g;   # keeps letters, digits, _, -, spaces
            $slug =~ s/ /-/g;
            my $n = $seen{$slug}++;
            $set{$n ? "$slug-$n" : $slug} = 1;
        }
        close $fh;
    }
    return $anchors{$path} = \%set;
}

# Section numbers of docs/algorithms.md and rule numbers of docs/conventions.md.
sub lines_of {
    my ($path) = @_;
    open(my $fh, "<:raw", $path) or return ();
    local $/ = "\n";
    my @lines = <$fh>;
    close $fh;
    return @lines;
}
my (%section, %rule);
for my $l (lines_of("docs/algorithms.md")) {
    $section{$1} = 1 if $l =~ /^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/;
}
for my $l (lines_of("docs/conventions.md")) {
    $rule{lc $1} = 1 if $l =~ /^#{1,6}\s+Rule\s+(\d+[a-z]?)\b/i;
}

# An existing path inside the repository for a reference, or undef.
sub resolve {
    my ($file, $ref) = @_;
    my @candidates;
    if ($ref =~ m{/}) {
        (my $fromRoot = $ref) =~ s{^\.?/}{};
        @candidates = ($fromRoot, dirname($file) . "/" . $ref);
    } else {
        @candidates = ("docs/$ref", $ref, dirname($file) . "/" . $ref);
    }
    for my $c (@candidates) {
        next unless -e $c;
        my $real = realpath($c);
        return $real if defined $real && ($real eq $root || index($real, "$root/") == 0);
    }
    return undef;
}

sub check_sections {
    my ($where, $text) = @_;
    while ($text =~ /$SECTION\s*(\d+(?:\.\d+)*)(?:\s*(?:-|$ENDASH)\s*(\d+(?:\.\d+)*))?/g) {
        my ($from, $to) = ($1, $2);
        my @numbers = ($from);
        if (defined $to) {
            if ($from =~ /^\d+$/ && $to =~ /^\d+$/ && $to > $from) {
                @numbers = ($from .. $to);
            } else {
                push @numbers, $to;
            }
        }
        for my $n (@numbers) {
            report($where, "algorithms.md has no section $n (no heading numbered $n in docs/algorithms.md)")
                unless $section{$n};
        }
    }
    while ($text =~ /algorithms\.md\W{0,3}sections?\s+(\d+(?:\.\d+)*)/gi) {
        report($where, "algorithms.md has no section $1 (no heading numbered $1 in docs/algorithms.md)")
            unless $section{$1};
    }
}

sub rule_numbers {
    my ($text) = @_;
    my @out;
    while ($text =~ /\brules?\s+(\d+[a-z]?(?:\s*(?:,|and|or|-)\s*\d+[a-z]?)*)/gi) {
        push @out, ($1 =~ /(\d+[a-z]?)/gi);
    }
    return @out;
}

my @files = grep { length } split /\0/, do { local $/; <STDIN> // "" };
my %done;
for my $file (sort @files) {
    next if $done{$file}++ || $file eq $self;
    next unless -f $file && -T $file;   # deleted in the work tree, or binary (images)
    my @lines = lines_of($file);
    my $markdown = $file =~ /\.md$/;
    my $fence = 0;
    for my $i (0 .. $#lines) {
        my $line = $lines[$i];
        my $where = "$file:" . ($i + 1);

        if ($line =~ m{(?:\bshared/docs\b|/work/shared\b|\.\./shared\b)}) {
            report($where, "points outside the repository; cite the page of docs/ instead");
        }

        # Cited Markdown pages (URLs left out; paths of an installed package are not sources).
        (my $text = $line) =~ s{\b[a-z][a-z0-9+.-]*://\S+}{}gi;
        while ($text =~ m{((?:\.{1,2}/|/)?(?:[\w.-]+/)*[\w-][\w.-]*\.md)\b}g) {
            my $ref = $1;
            next if $ref =~ m{(?:^|/)usr/share/};
            report($where, "cites $ref, which is not a file of the repository (docs/, the root, or beside this file)")
                unless defined resolve($file, $ref);
        }
        # A section cited by its title: NAME.md "Title" (or NAME.md, "Title") names a heading.
        while ($text =~ m{((?:\.{1,2}/|/)?(?:[\w.-]+/)*[\w-][\w.-]*\.md),?[ \t]+"([^"]+)"}g) {
            my ($ref, $title) = ($1, $2);
            my $path = resolve($file, $ref);
            next unless defined $path && $path =~ /\.md$/;
            my $found = 0;
            for my $l (lines_of($path)) {
                if ($l =~ /^#{1,6}\s+(.*)$/ && index(lc $1, lc $title) >= 0) { $found = 1; last; }
            }
            report($where, "cites $ref \"$title\", but $ref has no heading with that title") unless $found;
        }

        # Relative links of Markdown files, with their anchors.
        if ($markdown) {
            $fence = !$fence if $line =~ /^\s*(```|~~~)/;
            if (!$fence) {
                while ($line =~ /\]\(([^)\s]+)\)/g) {
                    my $target = $1;
                    next if $target =~ /^(?:[a-z][a-z0-9+.-]*:|mailto:)/i;
                    my ($path, $anchor) = split /#/, $target, 2;
                    my $resolved = $path eq "" ? realpath($file) : resolve($file, $path =~ m{/} ? $path : "./$path");
                    if (!defined $resolved) {
                        # A bare link target is relative to the file: only its own folder counts.
                        my $beside = dirname($file) . "/" . $path;
                        $resolved = realpath($beside) if -e $beside;
                    }
                    if (!defined $resolved) {
                        report($where, "links to $path, which does not exist");
                    } elsif (defined $anchor && length $anchor && $resolved =~ /\.md$/) {
                        report($where, "links to $target, but that page has no heading with the anchor #$anchor")
                            unless anchors_of($resolved)->{$anchor};
                    }
                }
            }
        }

        # Numbered references into algorithms.md and conventions.md.
        my $previous = $i > 0 ? $lines[$i - 1] : "";
        if ($line =~ /$SECTION/) {
            if ($line =~ /algorithms\.md/ || $file eq "docs/algorithms.md"
                || ($previous =~ /algorithms\.md/ && $line !~ /\.md/)) {
                check_sections($where, $line);
            } else {
                report($where, "a § reference that names no document (write algorithms.md §N)");
            }
        } elsif ($line =~ /algorithms\.md/) {
            check_sections($where, $line);
        }
        if ($line =~ /conventions\.md/ || $file eq "docs/conventions.md") {
            my @numbers = rule_numbers($line);
            if (!@numbers && $line =~ /conventions\.md\W*$/ && $i < $#lines) {
                # "(conventions.md" at the end of a line, "rule 4)" on the next.
                @numbers = rule_numbers($lines[$i + 1]);
                $where = "$file:" . ($i + 2) if @numbers;
            }
            for my $n (@numbers) {
                report($where, "conventions.md has no rule $n (no heading \"Rule $n\" in docs/conventions.md)")
                    unless $rule{lc $n};
            }
        }
    }
}

if ($problems) {
    print STDERR "doc-link check: $problems problem(s); the design documents live in docs/\n";
    exit 1;
}
print "doc-link check: every cited document, section and rule exists in docs/\n";
'
