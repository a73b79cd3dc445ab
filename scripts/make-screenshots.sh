#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/images/), each with the command the README gives
# for it, offscreen at the workbench's default 1280 x 800. Look at every image before committing
# it: the README says what each one shows.
#   scripts/make-screenshots.sh [BUILD_DIR]     (default build/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
workbench="$build/app/phaze-workbench"
phaze="$build/app/phaze"
images="$root/docs/images"
export QT_QPA_PLATFORM=offscreen
cd "$root"

shot() {
    local name="$1"
    shift
    "$workbench" "$@" --screenshot "$images/$name.png" 2> >(grep -v "QPainter\|XDG_RUNTIME_DIR\|propagateSizeHints" >&2)
    echo "$name.png"
}

# One per tab: BERT-Large on 64 accelerators (quick-search.yaml), searched, best selected.
for tab in project explore results schedule pipeline memory compare chip; do
    shot "$tab" examples/quick-search.yaml --search --tab "$tab"
done
shot roofline examples/quick-search.yaml --search --tab roofline
# The three fastest compute configurations pinned, their table, pipelines and a link sweep.
shot pinned examples/quick-search.yaml --search --pin 3 --tab pinned
shot pinned-pipelines examples/quick-search.yaml --search --pin 3 --tab pinned-pipelines
shot sweep examples/quick-search.yaml --search --pin 3 \
    --sweep "training.link_bandwidth=1 GiB/s,2 GiB/s,4 GiB/s,8 GiB/s,16 GiB/s,32 GiB/s" --tab sweep
# Explore coloured by a parameter on a log axis: BERT-Large's whole PHAZE space (about 45 s).
shot explore-colour examples/bert-large.yaml --search --colour-by tc_array --log x --tab explore
# The system profile: GPT-3 175B in the published Selene layout, its cluster and strategy.
shot project-system examples/gpt3-175b-selene.yaml --tab project
shot time examples/gpt3-175b-selene.yaml --search --tab time
shot pipeline-system examples/gpt3-175b-selene.yaml --tab pipeline
shot validation --validation tests/data/validation/korthikanti2022-selene.yaml --tab validation
# A shard set while it runs: BERT-Large in 4 shards, the last one cut to half its journal and
# its progress file saying it is not finished (as `phaze search --shard` leaves them mid-run).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
shards="$tmp/bert-large-shards"
mkdir "$shards"
for i in 1 2 3 4; do
    "$phaze" search examples/bert-large.yaml --shard "$i/4" --threads 2 \
        --journal "$shards/part-$i.jsonl" --json "$tmp/part-$i.json" >/dev/null 2>&1
done
lines=$(wc -l <"$shards/part-4.jsonl")
head -n $((lines / 2)) "$shards/part-4.jsonl" >"$tmp/cut" && mv "$tmp/cut" "$shards/part-4.jsonl"
progress="$shards/part-4.jsonl.progress"
done4=$(grep -o '"done":[0-9]*' "$progress" | cut -d: -f2)
sed -i -e 's/"finished":true/"finished":false/' -e "s/\"done\":$done4/\"done\":$((done4 / 2))/" \
    "$progress"
project="$root/examples/bert-large.yaml"
(cd "$tmp" && shot shards "$project" --shards bert-large-shards)
