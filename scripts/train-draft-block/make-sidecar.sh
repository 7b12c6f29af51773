#!/usr/bin/env bash
# Makes the shipped sidecar of the default model (models/adapters/): the draft block at exit
# layer 10 trained by self-distillation on prompts in three styles, plus the earlier shipped
# self-distilled exit adapters at layers 15, 18 and 22 (from commit ae32e48). One command, four steps:
#   1. prompt sets (make-prompts.py; held-out files are for `bench sweep --prompts`, never trained on)
#   2. `skipchat calibrate --collect`: the model answers the first 22 chitchat, 22 code and 21
#      explain training prompts (greedy, every fourth also sampled), keeping the layer-10 states of
#      its own replies (about 40 minutes on this busy 2-core machine)
#   3. the PyTorch CPU venv (make-venv.sh)
#   4. train.py, which writes the sidecar
# Usage: scripts/train-draft-block/make-sidecar.sh [WORKDIR]   (default: a directory under /tmp)
# Settings through the environment: EPOCHS (default 24), TRAIN_MINUTES (20).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-$(mktemp -d /tmp/draft-block.XXXXXX)}"
sidecar="$root/models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors"
mkdir -p "$work"
"$root/scripts/fetch-corpus.sh"
python3 "$here/make-prompts.py" "$work/prompts"
head -n 22 "$work/prompts/chitchat-train.txt" > "$work/chitchat.txt"
head -n 22 "$work/prompts/code-train.txt" > "$work/code.txt"
head -n 21 "$work/prompts/explain-train.txt" > "$work/explain.txt"
[ -x "$root/.build/release/skipchat" ] || (cd "$root" && swift build -c release)
"$root/.build/release/skipchat" calibrate --collect "$work/data.safetensors" --exit-layer 10 --threads 1 \
    --prompts chitchat="$work/chitchat.txt" code="$work/code.txt" explain="$work/explain.txt" \
    --reply-tokens 128 --sampled-temperature 0.8 --sampled-every 4 --draft-vocab 4096 --block-ffn 768
"$here/make-venv.sh"
base="$work/base-sidecar.safetensors"
git -C "$root" show ae32e48:models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors > "$base" 2>/dev/null \
    || cp "$sidecar" "$base"
"$here/.venv/bin/python" "$here/train.py" "$work/data.safetensors" --output "$sidecar" \
    --base-sidecar "$base" --keep-adapter-layers 15,18,22 \
    --epochs "${EPOCHS:-24}" --tokens-per-step 1024 --max-minutes "${TRAIN_MINUTES:-20}" --seed 0 --threads 2
