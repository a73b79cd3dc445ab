#!/usr/bin/env bash
# Configures (once) and builds the project with Ninja. Usage: scripts/build.sh BUILD_DIR [cmake args]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$1"
shift
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
else
    cmake "$build" "$@" >/dev/null
fi
cmake --build "$build" -j"${PHAZE_JOBS:-2}"
