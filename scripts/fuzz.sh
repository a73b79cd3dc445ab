#!/usr/bin/env bash
# Builds the fuzz targets with clang, AddressSanitizer and UBSan (build-fuzz/) and runs each on
# its committed corpus (docs/fuzzing.md). Fails when any target finds a crash, a broken
# invariant, a leak, an input that runs past the time limit or one that allocates more than
# 2 GiB. Two modes:
#   FUZZ_RUNS=N scripts/fuzz.sh          the gate (./test.sh): the corpus and N mutants of it per
#                                        target, derived from FUZZ_SEED (default 1) alone by the
#                                        replay driver: the same commit gives the same inputs,
#                                        and so the same verdict, on any machine
#   FUZZ_SECONDS=S scripts/fuzz.sh       exploration (./test.sh --fuzz): libFuzzer for S seconds
#                                        per target (default 30) from a random seed it prints
#   scripts/fuzz.sh phazejson            only the named targets
# libFuzzer follows coverage, which differs from run to run even with one seed, so it explores
# but does not gate. Inputs that fail are kept in build-fuzz/fuzz-out/<target>/; the committed
# corpus in tests/fuzz/corpus/ is never written to.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
runs="${FUZZ_RUNS:-}"
seconds="${FUZZ_SECONDS:-30}"
if [ -n "$runs" ]; then
    seed="${FUZZ_SEED:-1}"
    echo "fuzzing gate: the corpus and $runs mutants per target from seed $seed (FUZZ_SEED=N changes it)"
else
    seed="${FUZZ_SEED:-$(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 2147483646 + 1 ))}"
    echo "fuzzing: ${seconds} s per target with libFuzzer from seed $seed (FUZZ_SEED=$seed reuses it)"
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
# built (they are not dependencies of fuzz_all / fuzzreplay_all).
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DPHAZE_FUZZ=ON -DPHAZE_BUILD_GUI=OFF \
        -DPHAZE_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$build" -j"${PHAZE_JOBS:-2}" --target "$([ -n "$runs" ] && echo fuzzreplay_all || echo fuzz_all)"

symbolizer="$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:malloc_limit_mb=2048${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# The report of a failed target: where its log and inputs are, the log's telling lines (those
# matching `pattern`, the last or first `count` of them: `pick` is tail or head), and how to rerun.
report_failure() {
    local t="$1" log="$2" kept="$3" pattern="$4" pick="$5" count="$6" rerun="$7"
    echo "   $t: FAILED: see $log; $kept" >&2
    grep -E "$pattern" "$log" | "$pick" -"$count" >&2 || true
    echo "   rerun: $rerun" >&2
}

failed=()
for t in "${targets[@]}"; do
    out="$build/fuzz-out/$t"
    log="$build/fuzz-out/$t.log"
    mkdir -p "$out"
    start=$(date +%s)
    if [ -n "$runs" ]; then
        # 60 s per input is far above the slowest seed (~40 ms under the sanitizers).
        if PHAZE_FUZZ_ARTIFACT="$out/failing-input" "$build/tests/fuzz/fuzzreplay_$t" \
            --mutations "$runs" --seed "$seed" --dict "$root/tests/fuzz/dict/$t.dict" \
            --max-len 16384 --time-limit 60 "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
            echo "   $t: ok ($(( $(date +%s) - start )) s): $(tail -1 "$log")"
            continue
        fi
        report_failure "$t" "$log" "the input is $out/failing-input" \
            "^(==[0-9]+==ERROR|SUMMARY|fuzz invariant)|mutant .* (failed|ran over)|replay " tail 6 \
            "$build/tests/fuzz/fuzzreplay_$t $out/failing-input"
    else
        work="$build/fuzz-work/$t"
        # A fresh copy each run: libFuzzer adds what it finds to its first corpus directory.
        rm -rf "$work"
        mkdir -p "$work"
        cp "$root/tests/fuzz/corpus/$t/"* "$work/"
        # -timeout: an input slower than 10 s is a hang; -rss_limit_mb / -malloc_limit_mb: 2 GiB
        # at most, so that unbounded allocation fails instead of swapping. One job: the machines
        # that run this have two cores and other work.
        if "$build/tests/fuzz/fuzz_$t" "$work" -dict="$root/tests/fuzz/dict/$t.dict" \
            -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -malloc_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix="$out/" \
            >"$log" 2>&1; then
            echo "   $t: ok ($(( $(date +%s) - start )) s, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs)"
            continue
        fi
        report_failure "$t" "$log" "inputs kept in $out/" \
            "^(==[0-9]+==ERROR|SUMMARY|fuzz invariant)|ALARM|out-of-memory|Test unit written" head 20 \
            "$build/tests/fuzz/fuzz_$t <input>"
    fi
    failed+=("$t")
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (seed $seed)" >&2
    exit 1
fi
echo "fuzzing: no crash, broken invariant, leak, timeout or out-of-memory in ${targets[*]}"
