#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
#   ./test.sh              build in build/ and run every test
#   ./test.sh -R units     extra arguments go to ctest
#   ./test.sh --sanitize   the whole suite built with AddressSanitizer + UBSan (build-asan/)
#   ./test.sh --tsan       the threading tests built with ThreadSanitizer (build-tsan/)
#   ./test.sh --fuzz       exploration: only the libFuzzer targets, FUZZ_SECONDS (default 300)
#                          each from a random seed it prints (build-fuzz/)
# Without ctest arguments the normal mode ends with a deterministic fuzzing gate (scripts/fuzz.sh):
# the committed corpus and FUZZ_RUNS (default 200000) mutants per target from the fixed seed
# FUZZ_SEED (default 1), so that one commit gives one verdict; FUZZ_RUNS=0 skips it. Tests that
# draw random cases use fixed seeds too (PHAZE_TEST_SEED=N changes them). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
mode=normal
if [ "${1:-}" = "--sanitize" ] || [ "${1:-}" = "--tsan" ] || [ "${1:-}" = "--fuzz" ]; then
    mode="$1"
    shift
fi
extra=()
if [ "${CI:-}" = "true" ]; then
    extra+=(-DPHAZE_WARNINGS_AS_ERRORS=ON)
fi
# Qt tests never need a display: they run on the offscreen platform.
export QT_QPA_PLATFORM=offscreen
case "$mode" in
normal)
    # The layering of docs/architecture.md: fails on an include from a lower layer to a higher.
    scripts/check-layers.sh
    # Every design document the code and docs cite is in docs/ (and the sections and rules).
    scripts/check-doc-links.sh
    scripts/build.sh build "${extra[@]}"
    (cd build && ctest --output-on-failure -j2 "$@")
    if [ $# -eq 0 ] && [ "${FUZZ_RUNS:-200000}" != 0 ]; then
        FUZZ_RUNS="${FUZZ_RUNS:-200000}" FUZZ_SEED="${FUZZ_SEED:-1}" scripts/fuzz.sh
    fi
    ;;
--sanitize)
    scripts/build.sh build-asan -DPHAZE_SANITIZE=address,undefined -DPHAZE_BUILD_BENCHMARKS=OFF \
        -DCMAKE_BUILD_TYPE=Debug "${extra[@]}"
    cd build-asan
    # The package test strips and repackages binaries: not meaningful under a sanitizer.
    # A Debug build under ASan runs the property tests ~20x slower than release: QtTest's
    # 5-minute watchdog per test function would kill them, so it gets 30 minutes.
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        QTEST_FUNCTION_TIMEOUT=1800000 PHAZE_TEST_TIME_SCALE=20 ctest --output-on-failure -j2 -E test_package \
        "$@"
    ;;
--tsan)
    scripts/build.sh build-tsan -DPHAZE_SANITIZE=thread -DPHAZE_BUILD_GUI=OFF \
        -DPHAZE_BUILD_BENCHMARKS=OFF "${extra[@]}"
    cd build-tsan
    TSAN_OPTIONS="halt_on_error=1 suppressions=$(pwd)/../tests/tsan.supp" ctest --output-on-failure -j2 \
        -R "searchdriver|schedule_threads|codesign|costmodel|placement_properties" "$@"
    ;;
--fuzz)
    FUZZ_RUNS= FUZZ_SECONDS="${FUZZ_SECONDS:-300}" scripts/fuzz.sh "$@"
    ;;
esac
