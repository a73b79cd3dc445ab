#!/usr/bin/env bash
# Enforces the layering of docs/architecture.md: each folder of core/ includes only its own
# headers and those of the folders below it, core/ never includes Qt, widgets/ or app/, and
# widgets/ never includes app/. Prints every offending line (file:line: why) and fails if any.
#   scripts/check-layers.sh            check the tree
#   scripts/check-layers.sh --layers   print the core layers, lowest first
set -euo pipefail
cd "$(dirname "$0")/.."

# Lowest first. A layer may include any layer at or before it in this list.
layers=(base spec model arch cost schedule placement system evaluation search io)

if [ "${1:-}" = "--layers" ]; then
    echo "${layers[*]}"
    exit 0
fi

rank_of() {
    local i
    for i in "${!layers[@]}"; do
        [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }
    done
    echo -1
}

failures=0
report() {
    echo "$1" >&2
    failures=$((failures + 1))
}

# The per-layer libraries of core/CMakeLists.txt link in the same order.
cmake_layers="$(sed -n 's/^set(PHAZE_CORE_LAYERS \(.*\))$/\1/p' core/CMakeLists.txt)"
[ "$cmake_layers" = "${layers[*]}" ] ||
    report "core/CMakeLists.txt: PHAZE_CORE_LAYERS is \"$cmake_layers\", not \"${layers[*]}\""

# Every folder of core/ must be a known layer: a new folder needs a place in the order.
for dir in core/*/; do
    name="$(basename "$dir")"
    [ "$(rank_of "$name")" -ge 0 ] || report "$dir: not a layer; add it to scripts/check-layers.sh and docs/architecture.md"
done

while IFS= read -r file; do
    layer="$(echo "$file" | cut -d/ -f2)"
    rank="$(rank_of "$layer")"
    [ "$rank" -ge 0 ] || continue
    while IFS=: read -r line text; do
        target="$(echo "$text" | sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*)[>"].*/\1/')"
        case "$target" in
        core/*)
            tlayer="$(echo "$target" | cut -d/ -f2)"
            trank="$(rank_of "$tlayer")"
            if [ "$trank" -lt 0 ]; then
                report "$file:$line: includes $target, which is in no layer"
            elif [ "$trank" -gt "$rank" ]; then
                report "$file:$line: core/$layer may not include $target ($tlayer is above $layer)"
            fi
            ;;
        widgets/* | app/*)
            report "$file:$line: core may not include $target (the engine is below the GUI)"
            ;;
        Q* | qt*/*)
            report "$file:$line: core may not include Qt ($target)"
            ;;
        esac
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file" || true)
done < <(find core -name '*.h' -o -name '*.cpp' | sort)

while IFS= read -r file; do
    while IFS=: read -r line text; do
        case "$text" in
        *'"app/'*) report "$file:$line: widgets may not include app/ (${text#*#include })" ;;
        esac
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file" || true)
done < <(find widgets -name '*.h' -o -name '*.cpp' | sort)

if [ "$failures" -gt 0 ]; then
    echo "layer check: $failures include(s) break the layering (docs/architecture.md)" >&2
    exit 1
fi
echo "layer check: every include of core/ and widgets/ follows the layers: ${layers[*]}"
