#!/usr/bin/env python3
"""Loop rate of sampled replies: the share of replies in which some 8-gram of token ids occurs
three times or more (a reply that repeats itself). Each of the 20 prompts below is answered once
with `skipchat generate` (256 tokens, the chat's sampling: the SmolLM2 model card's T 0.2 and
top-p 0.9, seed = the prompt's index), without and with the chat's repetition penalty (1.1 over
the last 64 tokens), and the two rates are printed side by side.

Usage: scripts/loop-rate.py [SKIPCHAT] [--threads N] [--max-tokens N]     (python3, no packages)
"""
import argparse
import json
import subprocess
import sys
import time
from collections import Counter

PROMPTS = [
    "Write a short poem about the sea.",
    "Write a poem about autumn leaves.",
    "Tell me a story about a dragon who learns to fly.",
    "Describe your perfect day.",
    "Write a song about friendship.",
    "What is the meaning of life?",
    "Explain how a rainbow forms.",
    "Give me ten tips for a good night's sleep.",
    "Write a short story about a robot and a cat.",
    "Why is the ocean salty?",
    "Describe a walk through a forest in spring.",
    "Write a letter to your future self.",
    "What makes a good teacher?",
    "Write a poem about the moon and the stars.",
    "Tell me about the history of bread.",
    "How do I start learning to play the guitar?",
    "Write a haiku sequence about winter.",
    "Describe the city of the future.",
    "What are the benefits of reading books?",
    "Write a bedtime story for a child.",
]
SETTINGS = {
    "today (no penalty)": [],
    "chat default (1.1 over 64)": ["--repetition-penalty", "1.1", "--repetition-window", "64"],
}


def loops(ids, n=8, times=3):
    grams = Counter(tuple(ids[i:i + n]) for i in range(len(ids) - n + 1))
    return any(c >= times for c in grams.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("skipchat", nargs="?", default=".build/release/skipchat")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=256)
    args = parser.parse_args()
    rates = {}
    for name, extra in SETTINGS.items():
        looped, started = 0, time.time()
        for seed, prompt in enumerate(PROMPTS):
            command = [args.skipchat, "generate", "--prompt", prompt, "--max-tokens", str(args.max_tokens), "--json",
                       "--temperature", "0.2", "--top-p", "0.9", "--seed", str(seed), "--autoregressive",
                       "--threads", str(args.threads)] + extra
            out = subprocess.run(command, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"loop-rate: {' '.join(command)} failed: {out.stderr.strip()}")
            done = json.loads(out.stdout.strip().splitlines()[-1])
            looped += loops(done["tokens"])
        rates[name] = looped / len(PROMPTS)
        print(f"{name:28s} loop rate {looped}/{len(PROMPTS)} = {rates[name]:.2f}  ({time.time() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
