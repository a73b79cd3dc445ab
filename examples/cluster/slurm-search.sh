#!/usr/bin/env bash
# A co-design search split over a Slurm job array: each array task searches one shard, writes
# its own result and journal (so a preempted task continues with --resume), and a final job
# merges the parts into exactly the result of one big search.
#
#   sbatch --array=0-15 examples/cluster/slurm-search.sh examples/gpt3-175b.yaml out/
#   sbatch --dependency=afterok:<array job id> --wrap "phaze merge out/part-*.json --json out/all.json --csv out/all.csv"
#
#SBATCH --job-name=phaze-search
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --requeue
set -euo pipefail
project="${1:?usage: slurm-search.sh PROJECT.yaml OUTDIR}"
out="${2:?usage: slurm-search.sh PROJECT.yaml OUTDIR}"
mkdir -p "$out"
index=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0} + 1))
count=${SLURM_ARRAY_TASK_COUNT:?run as a job array}
journal="$out/part-$index.jsonl"
resume=()
[ -s "$journal" ] && resume=(--resume) # requeued after preemption: continue
exec phaze search "$project" --shard "$index/$count" --threads "${SLURM_CPUS_PER_TASK:-1}" \
    --journal "$journal" "${resume[@]}" --no-baselines --json "$out/part-$index.json"
