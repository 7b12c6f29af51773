#!/usr/bin/env bash
# Makes the README's two plots: docs/plots/sweep.svg (bench sweep on the built-in prompts) and
# docs/plots/roofline.svg (bench roofline), on the default model, overwriting both. Their captions
# name the CPU and kernel path. Usage: scripts/make-plots.sh   (after make build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/skipchat
[ -x "$bin" ] || { echo "make-plots: build first (make build)"; exit 1; }
mkdir -p docs/plots
"$bin" bench roofline --plot docs/plots/roofline.svg --force
"$bin" bench sweep --exit-layers 4 8 10 15 22 --depths 1 2 4 --max-tokens 32 --plot docs/plots/sweep.svg --force
