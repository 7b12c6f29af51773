#!/usr/bin/env bash
# Makes the shipped sidecar of the default model (models/adapters/): draft block v2 at exit layer 10,
# trained by self-distillation on the model's own replies in three styles plus chitchat-corpus
# conversations, and the earlier shipped self-distilled exit adapters at layers 15, 18 and 22 (from
# commit ae32e48). One seeded command:
#   1. prompt sets (make-prompts.py; the held-out files are for `bench sweep --prompts`, never trained on)
#   2. the PyTorch CPU venv (make-venv.sh)
#   3. collect.py: the engine answers the training prompts (greedy, every fourth also sampled, 64
#      tokens; GENERATE_MINUTES caps it, styles interleaved), every sequence and CORPUS chitchat-corpus
#      conversations are teacher-forced in PyTorch, keeping the states of exit layers 4, 6, 8, 10
#   4. train.py on the layer-10 data, which writes the sidecar
# Usage: scripts/train-draft-block/make-sidecar.sh [WORKDIR]   (default: a directory under /tmp;
# a WORKDIR of an earlier run reuses its engine replies)
# Settings through the environment: GENERATE_MINUTES (15), CORPUS (120), EPOCHS (8), TRAIN_MINUTES (20).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-$(mktemp -d /tmp/draft-block.XXXXXX)}"
sidecar="$root/models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors"
model="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf"
mkdir -p "$work"
"$root/scripts/fetch-corpus.sh"
python3 "$here/make-prompts.py" "$work/prompts"
[ -x "$root/.build/release/skipchat" ] || (cd "$root" && swift build -c release)
"$here/make-venv.sh"
py="$here/.venv/bin/python"
p="$work/prompts"
"$py" "$here/collect.py" --model "$model" --skipchat "$root/.build/release/skipchat" \
    --prompts chitchat="$p/chitchat-train.txt" code="$p/code-train.txt" explain="$p/explain-train.txt" \
    --corpus "${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/corpus/chitchat.jsonl" --corpus-conversations "${CORPUS:-120}" \
    --out "$work/data" --exit-layers 4,6,8,10 --reply-tokens 64 --sampled-every 4 --generate-minutes "${GENERATE_MINUTES:-15}" \
    --jobs 2 --batch 16 --threads 2 --seed 0
base="$work/base-sidecar.safetensors"
git -C "$root" show ae32e48:models/adapters/SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors > "$base"
"$py" "$here/train.py" "$work/data/data-E10.safetensors" --output "$sidecar" \
    --base-sidecar "$base" --keep-adapter-layers 15,18,22 \
    --epochs "${EPOCHS:-8}" --tokens-per-step 2048 --max-minutes "${TRAIN_MINUTES:-20}" --seed 0 --threads 2
