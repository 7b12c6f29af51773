#!/usr/bin/env bash
# Installs the shipped exit-adapter sidecar of the default model (models/adapters/, see its
# README.md) beside the model, unless a sidecar is there already: a user's own sidecar (their own
# `skipchat calibrate` or trained draft block) is never overwritten; an earlier shipped version,
# known by its sha256 in models/adapters/superseded.sha256, is replaced. Called by scripts/setup.sh.
# Usage: scripts/install-sidecar.sh [MODEL_DIR [SHIPPED_SIDECAR [SUPERSEDED_LIST]]]
#   MODEL_DIR        default: ${XDG_CACHE_HOME:-~/.cache}/skipchat/models
#   SHIPPED_SIDECAR  default: models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors
#   SUPERSEDED_LIST  default: models/adapters/superseded.sha256 (one sha256 a line, # comments)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors"
model_dir="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/models}"
shipped="${2:-$here/../models/adapters/$name}"
list="${3:-$here/../models/adapters/superseded.sha256}"
target="$model_dir/$(basename "$shipped")"
[ -f "$shipped" ] || exit 0
if [ -e "$target" ]; then
    installed=$(sha256sum "$target" | cut -d' ' -f1)
    [ "$installed" = "$(sha256sum "$shipped" | cut -d' ' -f1)" ] && exit 0
    if ! grep -v '^#' "$list" 2>/dev/null | grep -qx "$installed"; then
        echo "skipchat setup: kept your own sidecar $target (not a version this project shipped)"
        exit 0
    fi
fi
mkdir -p "$model_dir"
cp "$shipped" "$target.tmp" && mv "$target.tmp" "$target"
echo "skipchat setup: installed the draft block and exit adapters for the default model ($target)"
