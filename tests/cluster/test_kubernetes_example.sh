#!/usr/bin/env bash
# examples/cluster/kubernetes-search.yaml is not run here (no Kubernetes in CI; docs/search.md
# says so): this keeps it consistent with the CLI. It takes the command line the Job's pods run,
# checks every option against `phaze search --help`, its shard count against the Job's
# completions, and runs it (the project swapped for examples/quick-search.yaml, /results for a
# temporary directory) for pod 0, then again as a restarted pod, which must resume.
#
#   tests/cluster/test_kubernetes_example.sh PHAZE_BINARY SOURCE_DIR
set -euo pipefail
phaze="$1"
src="$2"
job="$src/examples/cluster/kubernetes-search.yaml"
work="$(mktemp -d /tmp/phaze-k8s-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail()
{
    echo "FAIL: $job: $*"
    exit 1
}

# The folded (>-) args block: the lines after "- >-" up to the next key.
script="$(awk '/- >-/ { on = 1; next } on && /^ *[a-zA-Z]+:/ { exit } on { sub(/^ +/, ""); printf "%s ", $0 }' "$job")"
[ -n "$script" ] || fail "no '- >-' args block"
grep -q 'exec phaze search ' <<<"$script" || fail "the pods do not run phaze search: $script"
completions="$(awk '/^ *completions:/ { print $2 }' "$job")"
parallel="$(grep -o -- '--shard \$i/[0-9]*' <<<"$script" | sed 's|.*/||')"
[ "$completions" = "$parallel" ] ||
    fail "completions: $completions but the pods search --shard \$i/$parallel"
grep -q 'completionMode: Indexed' "$job" || fail "not an indexed Job"

help="$("$phaze" search --help)"
for option in $(grep -o -- '--[a-z-]*' <<<"$script" | sort -u); do
    grep -q -- "$option" <<<"$help" || fail "$option is not an option of phaze search ($help)"
done

# Pod 0, then pod 0 restarted (restartPolicy: OnFailure): the second run resumes its journal.
mkdir -p "$work/results"
run_pod()
{
    local command="${script//\/results/$work/results}"
    command="${command//\/project\/gpt3-175b.yaml/$src/examples/quick-search.yaml}"
    PATH="$(dirname "$phaze"):$PATH" JOB_COMPLETION_INDEX=0 sh -c "$command" >"$work/pod.out" 2>&1 ||
        { cat "$work/pod.out"; fail "the pod's command failed"; }
}
run_pod
[ "$(jq -r '.shard | "\(.index)/\(.count)"' "$work/results/part-1.json")" = "1/$completions" ] ||
    fail "pod 0 did not write shard 1/$completions"
run_pod
[ "$(jq .counts.resumed "$work/results/part-1.json")" = "$(jq .counts.evaluated "$work/results/part-1.json")" ] ||
    fail "the restarted pod did not resume from its journal"
echo "PASS: the indexed Job's command line ($completions shards) is accepted by phaze search and resumes"
