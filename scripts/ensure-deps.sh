#!/usr/bin/env bash
# Installs the Debian packages the build needs, when any is missing. Idempotent and quiet when
# everything is there. Used by run.sh and test.sh (see README).
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config file dpkg-dev
          qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6
          libglpk-dev libyaml-cpp-dev nlohmann-json3-dev libbenchmark-dev
          xvfb xauth fonts-dejavu-core
          poppler-utils # pdfinfo, pdftoppm: the figure-export tests render the PDFs they write
          slurmctld slurmd slurm-client munge jq # tests/cluster: a single-host Slurm cluster
          clang libclang-rt-14-dev llvm) # clang, its libFuzzer/sanitizer runtimes and
                                         # llvm-symbolizer: scripts/fuzz.sh

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo="sudo"
    else
        echo "error: not root and no sudo; install these packages: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
