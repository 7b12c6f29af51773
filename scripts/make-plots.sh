#!/usr/bin/env bash
# Makes the README's plots: docs/plots/sweep.svg (bench sweep on the built-in prompts),
# docs/plots/roofline.svg (bench roofline) and docs/plots/context.svg (bench context), on the
# default model, overwriting them. Their captions
# name the CPU and kernel path. Usage: scripts/make-plots.sh   (after make build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/skipchat
[ -x "$bin" ] || { echo "make-plots: build first (make build)"; exit 1; }
mkdir -p docs/plots
"$bin" bench roofline --plot docs/plots/roofline.svg --force
"$bin" bench sweep --exit-layers 4 8 10 15 22 --depths 1 2 4 --max-tokens 32 --plot docs/plots/sweep.svg --force
"$bin" bench context --threads 2 --lengths 64 1024 4096 8000 --steps 5 --plot docs/plots/context.svg --force
