#!/usr/bin/env python3
"""The draft block of a sidecar, run in PyTorch the way train.py models it, on the engine's own
greedy replies: top-1 agreement of the block's draft (layers [0, E) → block → final RMSNorm →
reduced draft head) with the final layer's argmax at every reply position, per prompt file.

It is the check that the engine drafts what training optimises: compare its figure with the
engine's depth-1 acceptance on the same prompts (`skipchat bench sweep --prompts FILE
--exit-layers E --depths 1`). Agreement counts every reply position; the engine's K = 1 acceptance
counts the positions a round drafts, so the two differ by sampling noise, not by a bias.

Usage (in the venv of make-venv.sh):
    check-block.py --model GGUF --skipchat BIN --sidecar SIDECAR [--prompts STYLE=FILE ...] [--max-tokens 48]
Without --prompts: the four built-in prompts of `bench sweep`.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collect  # noqa: E402  (the GGUF model in PyTorch, the engine's tokenizer and replies)
import train  # noqa: E402  (the block's formula)

import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402

BUILT_IN = ["What is the capital of France?", "Write a short poem about the sea.",
            "Explain in two sentences why the sky is blue.", "Give me three tips for learning to cook."]


def load_block(model, path):
    with safe_open(path, framework="pt") as f:
        meta = f.metadata() or {}
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    if "draft_block_exit_layer" not in meta:
        collect.fail(f"{path}: has no draft block")
    block = train.DraftBlock(model.hidden, model.heads, model.kv_heads, model.head_dim, int(meta["draft_block_ffn"]),
                             model.eps, model.inv_freq, True)
    with torch.no_grad():
        for name in train.MATRICES:
            block.w[name].copy_(tensors[f"draft_block.{name}.weight"].float())
        for name in train.NORMS:
            block.norms[name].copy_(tensors[f"draft_block.{name}.weight"].float())
    return int(meta["draft_block_exit_layer"]), block, tensors["draft_vocab"].long()


def main():
    parser = argparse.ArgumentParser(description="Agreement of a sidecar's draft block with the model, in PyTorch.")
    parser.add_argument("--model", required=True)
    parser.add_argument("--skipchat", required=True)
    parser.add_argument("--sidecar", required=True)
    parser.add_argument("--prompts", nargs="*", default=[], help="STYLE=FILE, one prompt a line")
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = collect.Model(args.model)
    exit_layer, block, vocab = load_block(model, args.sidecar)
    head = model.head[vocab]
    sets = [("built-in", BUILT_IN)]
    for spec in args.prompts:
        style, _, path = spec.partition("=")
        with open(path, encoding="utf-8") as f:
            sets.append((style, [line.strip() for line in f if line.strip()]))
    if args.prompts:
        sets = sets[1:]
    with torch.inference_mode():
        for style, texts in sets:
            agree = total = 0
            prompts = collect.tokenize_many(args.skipchat, [collect.chat_prompt(t) for t in texts])
            for text, prompt in zip(texts, prompts):
                reply = collect.engine_reply(args.skipchat, args.model, text, args.max_tokens, 0.0, 0)
                fed = prompt + reply[:-1]
                T = len(fed)
                mask = torch.ones(T, T, dtype=torch.bool).tril()[None, None]
                normed, kept, _ = model.forward(torch.tensor([fed]), torch.arange(T)[None], mask, keep={exit_layer})
                x = kept[exit_layer].half().float()          # as training sees them (collect.py keeps fp16 states)
                drafts = vocab[(train.rms_norm(block(x), model.w["output_norm.weight"], model.eps) @ head.T).argmax(-1)][0]
                target = (normed[0] @ model.head.T).argmax(-1)
                replies = slice(len(prompt) - 1, T)
                agree += int((drafts[replies] == target[replies]).sum())
                total += T - (len(prompt) - 1)
            print(f"check-block: {style}: E={exit_layer} agreement {agree / max(1, total):.3f} over {total} reply "
                  f"positions ({len(texts)} prompts, greedy, up to {args.max_tokens} tokens)", flush=True)


if __name__ == "__main__":
    main()
