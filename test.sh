#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
#   ./test.sh              build in build/ and run every test
#   ./test.sh -R units     extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
extra=()
if [ "${CI:-}" = "true" ]; then
    extra+=(-DPHAZE_WARNINGS_AS_ERRORS=ON)
fi
scripts/build.sh build "${extra[@]}"
# Qt tests never need a display: they run on the offscreen platform.
export QT_QPA_PLATFORM=offscreen
cd build
ctest --output-on-failure -j2 "$@"
