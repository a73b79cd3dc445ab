#!/usr/bin/env bash
# Builds the .deb with CPack and checks what it installs, its dependencies, its licence
# statements, and that the installed programs find their resources when unpacked anywhere:
# no binary names the source or build tree, and the unpacked programs run with both trees
# hidden (a private mount namespace, where unshare allows one) and read their own tree's files.
#   test_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(cd "$1" && pwd -P)"
src="$(cd "$2" && pwd -P)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
case "$work/" in
"$src"/* | "$build"/*)
    echo "the scratch directory $work lies in the source or build tree; set TMPDIR elsewhere"
    exit 1
    ;;
esac
fail() { echo "FAIL: $*"; exit 1; }

cd "$build"
cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb="$(ls "$work"/out/*.deb | head -1)"
[ -f "$deb" ] || fail "no .deb produced"
dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/phaze ./usr/bin/phaze-workbench \
         ./usr/share/applications/phaze-workbench.desktop \
         ./usr/share/metainfo/io.github.phaze.workbench.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/phaze-workbench.svg \
         ./usr/share/icons/hicolor/48x48/apps/phaze-workbench.png \
         ./usr/share/icons/hicolor/256x256/apps/phaze-workbench.png \
         ./usr/share/phaze-workbench/default-project.yaml \
         ./usr/share/phaze-workbench/technology/default.yaml \
         ./usr/share/phaze-workbench/examples/gpt2-xl.yaml \
         ./usr/share/phaze-workbench/examples/graphs/diamond.json \
         ./usr/share/doc/phaze-workbench/copyright \
         ./usr/share/doc/phaze-workbench/README.md; do
    grep -q " $f\$" "$work/contents" || fail "missing from the package: $f"
done
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libglpk libyaml-cpp libqt6widgets6 libqcustomplot; do
    echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
done
dpkg-deb -x "$deb" "$work/root"
root="$work/root"

# Licence: the DEP-5 copyright file and the AppStream metadata say the same thing. The programs
# link GPL-3+ GLPK and QCustomPlot, so the package as a whole is GPL-3+ (docs/packaging.md).
copyright="$root/usr/share/doc/phaze-workbench/copyright"
head -1 "$copyright" | grep -qx "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" ||
    fail "copyright is not in the machine-readable (DEP-5) format"
# The header paragraph (up to the first blank line) gives the licence of the package as a whole.
package_license="$(sed '/^$/q' "$copyright" | sed -n 's/^License: *//p')"
[ "$package_license" = "GPL-3+" ] || fail "copyright: the package's License is '$package_license', not GPL-3+"
grep -qx "Files: \*" "$copyright" || fail "copyright has no 'Files: *' paragraph"
for name in GPL-3+ Expat; do # every licence named has its text in a stand-alone paragraph
    grep -qx "License: $name" "$copyright" || fail "copyright lacks the paragraph for $name"
done
metainfo="$root/usr/share/metainfo/io.github.phaze.workbench.metainfo.xml"
project_license="$(sed -n 's:.*<project_license>\(.*\)</project_license>.*:\1:p' "$metainfo")"
[ "$project_license" = "GPL-3.0-or-later" ] ||
    fail "metainfo project_license is '$project_license'; the copyright file says GPL-3+ (GPL-3.0-or-later)"
metadata_license="$(sed -n 's:.*<metadata_license>\(.*\)</metadata_license>.*:\1:p' "$metainfo")"
grep -A2 -x "Files: packaging/io.github.phaze.workbench.metainfo.xml" "$copyright" |
    grep -qx "License: $metadata_license" ||
    fail "metainfo metadata_license '$metadata_license' is not what the copyright file gives it"
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$metainfo" >"$work/appstream.log" 2>&1 ||
        { cat "$work/appstream.log"; fail "appstreamcli rejects the metainfo"; }
fi

# No installed binary names the source or build tree (a compiled-in fallback path would let the
# checks below pass on the build machine only).
for bin in "$root"/usr/bin/*; do
    for dir in "$src" "$build"; do
        if strings -a "$bin" | grep -F -q "$dir"; then
            strings -a "$bin" | grep -F "$dir" | head -5
            fail "$(basename "$bin") contains the path $dir"
        fi
    done
done

# The unpacked programs run from elsewhere: cwd and HOME in the scratch directory, no
# PHAZE_RESOURCES, and the source and build trees hidden behind empty read-only mounts.
mkdir -p "$work/home" "$work/cwd"
hide=("$src")
case "$build/" in "$src"/*) ;; *) hide+=("$build") ;; esac
isolated=(unshare -r -m --propagation private)
if ! "${isolated[@]}" bash -c 'for d in "$@"; do mount -t tmpfs -o ro none "$d" || exit 1; done' \
        bash "${hide[@]}" 2>/dev/null; then
    echo "note: cannot hide the source tree here (no mount namespace); the other checks still apply"
    isolated=()
fi
run() { # run CMD... isolated; stdout and stderr go to $work/run.log
    local hidden=()
    [ ${#isolated[@]} -eq 0 ] || hidden=("${hide[@]}")
    "${isolated[@]}" bash -c \
        'n=$1; shift; for d in "${@:1:n}"; do mount -t tmpfs -o ro none "$d" || exit 125; done
         shift "$n"; cd "$PHAZE_TEST_CWD" && exec "$@"' \
        bash "${#hidden[@]}" "${hidden[@]}" \
        env -u PHAZE_RESOURCES HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
            XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache" \
            QT_QPA_PLATFORM=offscreen "$@" >"$work/run.log" 2>&1
}
export PHAZE_TEST_CWD="$work/cwd"
if [ ${#isolated[@]} -gt 0 ]; then
    run ls -A "$src" || { cat "$work/run.log"; fail "cannot run in the isolated namespace"; }
    [ ! -s "$work/run.log" ] || fail "the source tree is still visible to the isolated programs"
fi
run "$root/usr/bin/phaze" check "$root/usr/share/phaze-workbench/examples/gpt2-xl.yaml" ||
    { cat "$work/run.log"; fail "the installed phaze cannot check an installed example"; }
# Without arguments the workbench opens the default project from resourceDir().
run "$root/usr/bin/phaze-workbench" --screenshot "$work/shot.png" ||
    { cat "$work/run.log"; fail "the installed workbench failed on its default project"; }
[ -s "$work/shot.png" ] || fail "the installed workbench did not render"

# A second unpacked copy whose default project has a key no other copy has: its workbench must
# reject that very file (it reads its own tree's resources, not the source tree's or another
# installation's). The error names the file by its base name: the key identifies the copy.
cp -a "$root" "$work/root2"
printf 'unpacked_copy_marker: 1\n' >>"$work/root2/usr/share/phaze-workbench/default-project.yaml"
marker='default-project.yaml:[0-9]*:[0-9]*: unpacked_copy_marker: unknown key'
if run "$work/root2/usr/bin/phaze-workbench" --screenshot "$work/shot2.png" ||
        ! grep -q "$marker" "$work/run.log"; then
    cat "$work/run.log"
    fail "the workbench of the second copy did not read its own (broken) default project"
fi
# PHAZE_RESOURCES overrides the location beside the executable.
if run env PHAZE_RESOURCES="$work/root2/usr/share/phaze-workbench" "$root/usr/bin/phaze-workbench" \
        --screenshot "$work/shot3.png" || ! grep -q "$marker" "$work/run.log"; then
    cat "$work/run.log"
    fail "PHAZE_RESOURCES did not redirect the workbench to $work/root2"
fi

grep -q "^Icon=phaze-workbench$" "$root/usr/share/applications/phaze-workbench.desktop" ||
    fail "the desktop entry's Icon is not phaze-workbench"
echo "package ok: $(basename "$deb")"
