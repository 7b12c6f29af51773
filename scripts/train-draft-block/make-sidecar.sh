#!/usr/bin/env bash
# Makes the shipped sidecar of the default model (models/adapters/): the draft block at exit
# layer 10 trained by self-distillation on prompts in three styles, plus the earlier shipped
# self-distilled exit adapters at layers 15, 18 and 22 (from commit ae32e48). One command, four steps:
#   1. prompt sets (make-prompts.py; held-out files are for `bench sweep --prompts`, never trained on)
#   2. `skipchat calibrate --collect`: the model answers the training prompts (layer-10 states of its
#      own replies); stops after COLLECT_MINUTES and keeps what it has
#   3. the PyTorch CPU venv (make-venv.sh)
#   4. train.py, which writes the sidecar
# Usage: scripts/train-draft-block/make-sidecar.sh [WORKDIR]   (default: a directory under /tmp)
# Settings through the environment: COLLECT_MINUTES (default 40), EPOCHS (24), TRAIN_MINUTES (20).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-$(mktemp -d /tmp/draft-block.XXXXXX)}"
sidecar="$root/models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors"
mkdir -p "$work"
"$root/scripts/fetch-corpus.sh"
python3 "$here/make-prompts.py" "$work/prompts"
[ -x "$root/.build/release/skipchat" ] || (cd "$root" && swift build -c release)
"$root/.build/release/skipchat" calibrate --collect "$work/data.safetensors" --exit-layer 10 --threads 1 \
    --prompts chitchat="$work/prompts/chitchat-train.txt" code="$work/prompts/code-train.txt" \
              explain="$work/prompts/explain-train.txt" \
    --reply-tokens 128 --sampled-temperature 0.8 --sampled-every 4 --draft-vocab 4096 --block-ffn 768 \
    --max-minutes "${COLLECT_MINUTES:-40}"
"$here/make-venv.sh"
base="$work/base-sidecar.safetensors"
git -C "$root" show ae32e48:models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors > "$base" 2>/dev/null \
    || cp "$sidecar" "$base"
"$here/.venv/bin/python" "$here/train.py" "$work/data.safetensors" --output "$sidecar" \
    --base-sidecar "$base" --keep-adapter-layers 15,18,22 \
    --epochs "${EPOCHS:-24}" --tokens-per-step 1024 --max-minutes "${TRAIN_MINUTES:-20}" --seed 0 --threads 2
