#!/usr/bin/env bash
# A sharded search on a real (single-host) Slurm cluster, as docs/search.md ("Running on Slurm")
# describes it: examples/cluster/slurm-search.sh, unchanged, submitted as an array job over
# $SHARDS shards, the parts merged by a job that depends on the array, and the merged result
# compared with the unsharded search: the same fingerprint, best design, Pareto fronts (both
# with --exact-fronts), counts and every evaluated row. Then the faults: one array task
# cancelled mid-run (scancel) and resubmitted continues from its own journal to the same merged
# result; a missing shard is named by phaze merge, which refuses the incomplete set unless
# --allow-missing (and then lists the missing candidates); overlapping parts and parts of
# another project are refused with the reason. phaze status is checked on the journals.
#
#   tests/cluster/test_slurm_search.sh PHAZE_BINARY SOURCE_DIR
#
# Exit 77 (CTest's SKIP_RETURN_CODE) with the reason when no cluster can start here (not root,
# Slurm not installed, a daemon that does not come up); PHAZE_REQUIRE_SLURM=1 makes that a
# failure. Every daemon it started is stopped on every exit (trap). Waits are bounded.
set -euo pipefail
phaze="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$(cd "$2" && pwd)"
scale="${PHAZE_TEST_TIME_SCALE:-1}"
shards=3
project="$src/examples/quick-search.yaml"
# The cancelled-and-resubmitted shard's project: long enough (seconds per shard) to be cancelled
# after its first journal lines.
slow_project="$src/tests/data/projects/medium-search.yaml"
script="$src/examples/cluster/slurm-search.sh"
started=$SECONDS

work="$(mktemp -d /tmp/phaze-slurm-test.XXXXXX)"
# shellcheck source=tests/cluster/slurm-cluster.sh
source "$src/tests/cluster/slurm-cluster.sh"
cleanup()
{
    local rc=$?
    slurm_cluster_stop
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
        echo "--- the cluster's files are kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

fail()
{
    echo "FAIL: $*"
    exit 1
}

step()
{
    echo "[$((SECONDS - started)) s] $*"
}

for tool in jq; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/ensure-deps.sh installs it)"
done

if ! slurm_cluster_start "$work/cluster" 4; then
    if [ "${PHAZE_REQUIRE_SLURM:-0}" = 1 ]; then
        fail "no Slurm cluster could start (PHAZE_REQUIRE_SLURM=1): $slurm_cluster_reason"
    fi
    echo "SKIPPED: no single-host Slurm cluster can start here: $slurm_cluster_reason"
    exit 77
fi
step "Slurm cluster up (slurm.conf: $SLURM_CONF)"
# The jobs find phaze as a user's would: on the PATH that sbatch exports to them.
export PATH="$(dirname "$phaze"):$PATH"

# Waits (bounded) until no task of job $1 is pending or running, then checks that every task
# ended as $2 (COMPLETED, or CANCELLED for a cancelled one).
wait_job()
{
    local job="$1" limit=$((240 * scale)) i
    for ((i = 0; i < limit * 4; i++)); do
        [ -z "$(squeue -h -j "$job" -o %i 2>/dev/null)" ] && return 0
        sleep 0.25
    done
    squeue -j "$job" || true
    fail "job $job did not end within $limit s"
}

job_states()
{
    scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ' | tr '\n' ' '
}

expect_completed()
{
    local job="$1" states
    states="$(scontrol show job "$job" | grep -o 'JobState=[A-Z_]*' | sort -u)"
    if [ "$states" != "JobState=COMPLETED" ]; then
        tail -n 20 "$work"/logs/* 2>/dev/null || true
        fail "job $job: tasks ended $(job_states "$job")(expected all COMPLETED)"
    fi
}

# Compares a merged result with the unsharded one: everything but timings and provenance. Of the
# fronts, those pruning keeps exact (area, HBM): the energy and power fronts hold whatever
# dominated candidates a search happened to evaluate, and shards prune against their own best.
compare_results()
{
    local single="$1" merged="$2" what
    for what in .fingerprint .best .pareto.throughput_vs_area .pareto.throughput_vs_hbm \
        .counts.total .status; do
        if [ "$(jq -S "$what" "$single")" != "$(jq -S "$what" "$merged")" ]; then
            fail "merged $what differs from the unsharded search's: $(jq -c "$what" "$merged") vs $(jq -c "$what" "$single")"
        fi
    done
    # Every candidate is evaluated or proven pruned, in both.
    for f in "$single" "$merged"; do
        [ "$(jq '.counts.evaluated + .counts.pruned + .counts.skipped == .counts.total' "$f")" = true ] ||
            fail "$f: evaluated + pruned + skipped is not the total: $(jq -c .counts "$f")"
    done
    # Every evaluated row: a candidate evaluated in both has the same row, value for value. The
    # sets differ: each shard prunes against its own evaluations (bounds are not shared across
    # shards), so a shard may evaluate what the whole search proved dominated, and batches of 16
    # are cut differently; neither changes the best or the fronts, checked above.
    jq -c '.evaluations[]' "$single" | sort >"$work/rows-single"
    jq -c '.evaluations[]' "$merged" | sort >"$work/rows-merged"
    jq -r '.evaluations[].candidate' "$single" | sort >"$work/cands-single"
    jq -r '.evaluations[].candidate' "$merged" | sort >"$work/cands-merged"
    comm -12 "$work/cands-single" "$work/cands-merged" >"$work/cands-both"
    local n_both
    n_both=$(wc -l <"$work/cands-both")
    [ "$n_both" -gt 0 ] || fail "no candidate was evaluated by both searches"
    jq -c --slurpfile both <(jq -s . "$work/cands-both") \
        '.evaluations[] | select(.candidate as $c | $both[0] | index($c))' "$single" | sort >"$work/common-single"
    jq -c --slurpfile both <(jq -s . "$work/cands-both") \
        '.evaluations[] | select(.candidate as $c | $both[0] | index($c))' "$merged" | sort >"$work/common-merged"
    [ "$(wc -l <"$work/common-single")" -eq "$n_both" ] || fail "row selection is broken"
    if ! cmp -s "$work/common-single" "$work/common-merged"; then
        diff "$work/common-single" "$work/common-merged" | head -n 6
        fail "rows of candidates evaluated by both searches differ"
    fi
    echo "    identical: fingerprint, best (candidate $(jq .best.candidate "$merged")), fronts, total, and all $n_both rows evaluated by both (unsharded $(wc -l <"$work/rows-single") rows, merged $(wc -l <"$work/rows-merged"))"
}

mkdir -p "$work/logs"
submit=(sbatch --parsable --cpus-per-task=1 "--output=$work/logs/%A_%a.out")

# --- 1. The array job over $shards shards, merged by a dependent job -------------------------
step "unsharded reference search of $(basename "$project")"
phaze search "$project" --no-baselines --exact-fronts --threads 1 --json "$work/single.json" >/dev/null
step "sbatch --array=0-$((shards - 1)) examples/cluster/slurm-search.sh (each task one CPU)"
array="$("${submit[@]}" "--array=0-$((shards - 1))" "$script" "$project" "$work/out" --exact-fronts)"
merge="$("${submit[@]}" "--dependency=afterok:$array" \
    --wrap "phaze merge $work/out/part-*.json --json $work/out/all.json --csv $work/out/all.csv")"
wait_job "$array"
wait_job "$merge"
expect_completed "$array"
expect_completed "$merge"
step "array job $array and merge job $merge completed"
compare_results "$work/single.json" "$work/out/all.json"
[ "$(jq -r .fingerprint "$work/out/part-1.json")" != "$(jq -r .fingerprint "$work/out/all.json")" ] ||
    fail "a part carries the whole search's fingerprint (it should carry its shard's)"

# phaze status over the finished shards: done/total, pruned, infeasible, best, across shards.
phaze status "$work/out" --json "$work/status.json" >"$work/status.txt"
[ "$(jq .done "$work/status.json")" = "$(jq .counts.total "$work/single.json")" ] ||
    fail "phaze status: done $(jq .done "$work/status.json"), expected every candidate ($(jq .counts.total "$work/single.json"))"
for field in total pruned infeasible; do
    [ "$(jq ".$field" "$work/status.json")" = "$(jq ".counts.$field" "$work/out/all.json")" ] ||
        fail "phaze status: $field $(jq ".$field" "$work/status.json"), the merged result has $(jq ".counts.$field" "$work/out/all.json")"
done
[ "$(jq -S .best "$work/status.json")" = "$(jq -S .best "$work/single.json")" ] ||
    fail "phaze status: the best so far is not the search's best"
[ "$(jq '.shards_finished == .shard_count and .eta_s == 0' "$work/status.json")" = true ] ||
    fail "phaze status: not every shard finished: $(cat "$work/status.txt")"
step "phaze status agrees: $(tail -n 1 "$work/status.txt")"

# --- 2. A task cancelled mid-run and resubmitted -------------------------------------------
step "cancel and resubmit: $(basename "$slow_project") over $shards shards"
phaze search "$slow_project" --no-baselines --exact-fronts --threads 1 --json "$work/slow-single.json" >/dev/null
array="$("${submit[@]}" "--array=0-$((shards - 1))" "$script" "$slow_project" "$work/slow" --exact-fronts)"
journal="$work/slow/part-2.jsonl"
for ((i = 0; i < 240 * scale * 20; i++)); do
    [ -f "$journal" ] && [ "$(wc -l <"$journal")" -ge 3 ] && break # the header and 2 evaluations
    sleep 0.05
done
[ -f "$journal" ] && [ "$(wc -l <"$journal")" -ge 3 ] || fail "shard 2 wrote no evaluation within $((240 * scale)) s"
scancel "${array}_1"
wait_job "$array"
# SIGTERM lets the search stop between evaluations and write a part marked cancelled (unless
# KillWait's SIGKILL comes first: then there is none); a part that is not is a finished shard.
if [ -e "$work/slow/part-2.json" ] && [ "$(jq -r .status "$work/slow/part-2.json")" != cancelled ]; then
    # A machine fast enough to finish the shard before scancel reached it: leave the task as a
    # cancellation after two evaluations would have (its journal's header and two lines, no
    # result), so that the verdict does not depend on the machine's speed. The resume below
    # is checked the same way.
    step "shard 2 finished before scancel reached it; its journal is cut back to 2 evaluations"
    head -n 3 "$journal" >"$journal.cut" && mv "$journal.cut" "$journal"
    rm -f "$work/slow/part-2.json" "$journal.progress"
fi
kept=$(($(wc -l <"$journal") - 1))
step "task ${array}_1 cancelled after $kept evaluations; $(job_states "$array")"
# While shard 2 is down: phaze status names it unfinished, merge refuses and names it.
phaze status "$work/slow" --json "$work/slow-status.json" >/dev/null
[ "$(jq '.shards_finished' "$work/slow-status.json")" = $((shards - 1)) ] ||
    fail "phaze status: $(jq .shards_finished "$work/slow-status.json") shards finished, expected $((shards - 1))"
[ "$(jq '.shards[] | select(.index == 2) | .evaluated' "$work/slow-status.json")" = "$kept" ] ||
    fail "phaze status: shard 2's evaluated count is not its $kept journal lines"
if phaze merge "$work"/slow/part-*.json --json "$work/refused.json" 2>"$work/merge-missing.err"; then
    fail "phaze merge accepted a set without shard 2"
fi
grep -Eq "shard 2/$shards is (missing|incomplete)" "$work/merge-missing.err" ||
    fail "phaze merge did not name the missing shard: $(cat "$work/merge-missing.err")"
phaze merge "$work"/slow/part-*.json --allow-missing --json "$work/partial.json" 2>"$work/merge-allow.err" >/dev/null
# Shard 2's candidates (every ${shards}th from 1) less those its cancelled part evaluated.
evaluated_before='[]'
[ -e "$work/slow/part-2.json" ] && evaluated_before="$(jq -c '[.evaluations[].candidate]' "$work/slow/part-2.json")"
expected_missing="$(jq -c --argjson done "$evaluated_before" \
    '[range(1; .counts.total; '"$shards"')] - $done' "$work/slow-single.json")"
[ "$(jq -c .missing_candidates "$work/partial.json")" = "$expected_missing" ] ||
    fail "--allow-missing: missing_candidates $(jq -c .missing_candidates "$work/partial.json"), expected shard 2's $expected_missing"
grep -q "lacks" "$work/merge-allow.err" || fail "--allow-missing did not say what is missing"
step "merge refuses the incomplete set and names shard 2; --allow-missing lists its candidates"

# Resubmitted: shard 2 of the same split, continuing from its journal.
resubmit="$(PHAZE_SHARDS=$shards "${submit[@]}" --array=1 "$script" "$slow_project" "$work/slow" --exact-fronts)"
wait_job "$resubmit"
expect_completed "$resubmit"
resumed="$(jq .counts.resumed "$work/slow/part-2.json")"
[ "$resumed" = "$kept" ] || fail "the resubmitted shard resumed $resumed evaluations, its journal held $kept"
phaze merge "$work"/slow/part-*.json --json "$work/slow/all.json" >/dev/null
compare_results "$work/slow-single.json" "$work/slow/all.json"
step "resubmitted shard 2 resumed $resumed evaluations from its journal; merged result identical"

# --- 3. Mismatched sets ----------------------------------------------------------------------
if phaze merge "$work/slow/part-1.json" "$work/slow/part-1.json" "$work/slow/part-2.json" \
    "$work/slow/part-3.json" --json "$work/bad.json" 2>"$work/overlap.err"; then
    fail "phaze merge accepted the same shard twice"
fi
grep -q "are both shard 1/$shards" "$work/overlap.err" || fail "overlap not explained: $(cat "$work/overlap.err")"
if phaze merge "$work/out/part-1.json" "$work/slow/part-2.json" "$work/out/part-3.json" \
    --json "$work/bad.json" 2>"$work/other.err"; then
    fail "phaze merge accepted parts of two projects"
fi
grep -q "different searches" "$work/other.err" || fail "other project not explained: $(cat "$work/other.err")"
step "merge refuses overlapping parts and parts of another project, with the reason"
step "PASS (Slurm test: $((SECONDS - started)) s)"
