#!/usr/bin/env bash
# Installs what is missing, builds, and starts the workbench on the bundled default project.
# With --headless, or when there is no display, runs the project's co-design search from the
# command line instead and writes its results under results/.
set -euo pipefail
cd "$(dirname "$0")"
headless=0
args=()
for a in "$@"; do
    if [ "$a" = "--headless" ]; then headless=1; else args+=("$a"); fi
done
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    headless=1
fi
scripts/ensure-deps.sh
scripts/build.sh build
project="resources/default-project.yaml"
if [ ${#args[@]} -gt 0 ]; then
    project="${args[0]}"
fi
if [ "$headless" -eq 0 ]; then
    exec build/app/phaze-workbench "$project"
fi
mkdir -p results
echo "No display (or --headless): running the search of $project from the command line; results in results/"
build/app/phaze check "$project" | tee results/check.txt
build/app/phaze search "$project" --json results/search.json --csv results/search.csv \
    --journal results/search.jsonl | tee results/search.txt
QT_QPA_PLATFORM=offscreen build/app/phaze-workbench "$project" --screenshot results/workbench.png
echo "Wrote results/check.txt, results/search.{txt,json,csv,jsonl} and results/workbench.png"
