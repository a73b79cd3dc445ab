#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each on a copy of its seed
# corpus (docs/fuzzing.md). Fails when any target finds a crash, a leak, an input that runs
# longer than the timeout or one that allocates more than 2 GiB. Two modes:
#   FUZZ_RUNS=N scripts/fuzz.sh          a gate: N mutations per target from the fixed seed
#                                        FUZZ_SEED (default 1): the same commit gives the same
#                                        inputs, and so the same verdict, on any machine
#   FUZZ_SECONDS=S scripts/fuzz.sh       exploration: S seconds per target (default 30) from a
#                                        random seed, printed (FUZZ_SEED=N replays it)
#   scripts/fuzz.sh phazejson            only the named targets
# Inputs that fail are kept in build-fuzz/fuzz-out/<target>/ (crash-*, leak-*, timeout-*,
# oom-*); the committed corpus in tests/fuzz/corpus/ is never written to.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
runs="${FUZZ_RUNS:-}"
seconds="${FUZZ_SECONDS:-30}"
if [ -n "$runs" ]; then
    seed="${FUZZ_SEED:-1}"
    # A mutation budget, not a time budget: a slow machine runs the same inputs, later. An
    # input still counts as a hang past 60 s (10 s when exploring): far above the slowest seed.
    budget=(-runs="$runs")
    timeout=60
    what="$runs runs from seed $seed"
else
    seed="${FUZZ_SEED:-$(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 2147483646 + 1 ))}"
    budget=(-max_total_time="$seconds")
    timeout=10
    what="${seconds} s from seed $seed (FUZZ_SEED=$seed replays it)"
fi
all_targets=(projectyaml operatorgraph phazejson scheduleinstance)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

for t in "${targets[@]}"; do
    if [ ! -d "$root/tests/fuzz/corpus/$t" ]; then
        echo "error: unknown fuzz target '$t' (targets: ${all_targets[*]})" >&2
        exit 2
    fi
done
if ! command -v clang++ >/dev/null; then
    echo "error: clang++ not found; install clang libclang-rt-14-dev llvm" >&2
    exit 2
fi

# Only the fuzz targets and phaze_core: no GUI, no benchmarks, and the test binaries are not
# built (they are not dependencies of fuzz_all).
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DPHAZE_FUZZ=ON -DPHAZE_BUILD_GUI=OFF \
        -DPHAZE_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$build" -j"${PHAZE_JOBS:-2}" --target fuzz_all

symbolizer="$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=()
for t in "${targets[@]}"; do
    work="$build/fuzz-work/$t"
    out="$build/fuzz-out/$t"
    # A fresh copy each run: libFuzzer adds what it finds to its first corpus directory.
    rm -rf "$work"
    mkdir -p "$work" "$out"
    cp "$root/tests/fuzz/corpus/$t/"* "$work/"
    echo "== fuzzing $t: $what"
    start=$(date +%s)
    # -rss_limit_mb / -malloc_limit_mb: 2 GiB at most, so that unbounded allocation fails
    # instead of swapping. One job: the machines that run this have two cores and other work.
    if "$build/tests/fuzz/fuzz_$t" "$work" -dict="$root/tests/fuzz/dict/$t.dict" \
        -seed="$seed" "${budget[@]}" -timeout="$timeout" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 -artifact_prefix="$out/" \
        >"$build/fuzz-out/$t.log" 2>&1; then
        echo "   ok ($(( $(date +%s) - start )) s, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-out/$t.log" | grep -o '[0-9]*$') runs)"
    else
        echo "   FAILED: see $build/fuzz-out/$t.log; inputs kept in $out/" >&2
        grep -E "^(==[0-9]+==ERROR|SUMMARY|fuzz invariant)|ALARM|out-of-memory|Test unit written" \
            "$build/fuzz-out/$t.log" | head -20 >&2 || true
        echo "   replay the run: FUZZ_SEED=$seed${runs:+ FUZZ_RUNS=$runs} scripts/fuzz.sh $t" >&2
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (reproduce: $build/tests/fuzz/fuzz_<target> <input>)" >&2
    exit 1
fi
echo "fuzzing: no crash, leak, timeout or out-of-memory in ${targets[*]}"
