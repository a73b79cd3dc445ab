#!/usr/bin/env bash
# Writes the golden outputs that test_golden compares against (tests/data/golden/): `phaze
# search` on every example project (a fixed shard of its candidates, baselines included) and
# `phaze place` on every PHAZE instance in tests/data. Run it only when a change is meant to
# change numbers, and say why in the commit; a refactoring must leave them as they are.
#   scripts/make-golden.sh [BUILD_DIR]     (default build/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
phaze="${1:-$root/build}/app/phaze"
out="$root/tests/data/golden"
mkdir -p "$out/search" "$out/place"
for project in "$root"/examples/*.yaml; do
    name="$(basename "$project" .yaml)"
    # A system-profile example is evaluated (its golden is the evaluate JSON, layouts searched); must
    # match usesSystemProfile() in tests/cli/test_golden.cpp.
    if grep -q "profile: system" "$project"; then
        "$phaze" evaluate "$project" --json "$out/search/$name.json" >/dev/null
        echo "evaluate $name"
        continue
    fi
    # Must match shardOf() in tests/cli/test_golden.cpp.
    shard=()
    [ "$name" != quick-search ] && shard=(--shard 1/200)
    "$phaze" search "$project" --threads 2 "${shard[@]}" --json "$out/search/$name.json" >/dev/null
    echo "search $name ${shard[*]}"
done
for instance in "$root"/tests/data/phaze-dp/*.input.json "$root"/tests/data/placement/*.json; do
    name="$(basename "$instance" .json)"
    "$phaze" place --phaze-json "$instance" --out "$out/place/$name.json" >/dev/null || true
    echo "place $name"
done
