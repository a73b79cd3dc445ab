#!/usr/bin/env bash
# A co-design search split over a Slurm job array: each array task searches one shard, writes
# its own result and journal (so a preempted task continues with --resume), and a final job
# merges the parts into exactly the result of one big search.
#
#   sbatch --array=0-15 examples/cluster/slurm-search.sh examples/gpt3-175b.yaml out/
#   sbatch --dependency=afterok:<array job id> --wrap "phaze merge out/part-*.json --json out/all.json --csv out/all.csv"
#   phaze status out/      # while it runs: done/total, pruned, best so far, ETA of every shard
#
# Options after OUTDIR go to every shard's `phaze search` (e.g. --exact-fronts). Each shard's
# journal and its progress file (part-I.jsonl, part-I.jsonl.progress) stay in OUTDIR. Tested on
# a real single-host Slurm cluster by tests/cluster/test_slurm_search.sh (docs/search.md).
#
#SBATCH --job-name=phaze-search
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --requeue
set -euo pipefail
project="${1:?usage: slurm-search.sh PROJECT.yaml OUTDIR [phaze search options]}"
out="${2:?usage: slurm-search.sh PROJECT.yaml OUTDIR [phaze search options]}"
shift 2
mkdir -p "$out"
# Array task k searches shard k+1 (--array=0-15: shards 1..16). PHAZE_SHARDS=N names the split
# when the array is not the whole of it: one task resubmitted after it failed or was cancelled,
#   PHAZE_SHARDS=16 sbatch --array=4 examples/cluster/slurm-search.sh PROJECT.yaml out/
# searches shard 5/16 again and continues from out/part-5.jsonl.
index=$((${SLURM_ARRAY_TASK_ID:?run as a job array} + 1))
count=${PHAZE_SHARDS:-${SLURM_ARRAY_TASK_COUNT:?run as a job array}}
if [ "$index" -gt "$count" ]; then
    echo "slurm-search.sh: array task $SLURM_ARRAY_TASK_ID is shard $index of $count: array task ids are 0..N-1 (set PHAZE_SHARDS=N when resubmitting some)" >&2
    exit 2
fi
journal="$out/part-$index.jsonl"
resume=()
[ -s "$journal" ] && resume=(--resume) # requeued after preemption: continue
exec phaze search "$project" --shard "$index/$count" --threads "${SLURM_CPUS_PER_TASK:-1}" \
    --journal "$journal" "${resume[@]}" --no-baselines --json "$out/part-$index.json" "$@"
