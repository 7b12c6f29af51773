#!/usr/bin/env python3
"""Prints the first user turn of held-out chitchat conversations, one a line: chat prompts in the
calibration corpus's own style that calibration never trains on (held out: document i with
i % 10 == 9, the rule of CalibrationCorpus.sequences).

Usage: scripts/chitchat-prompts.py [COUNT] > prompts.txt     (default 8; run scripts/fetch-corpus.sh first)
Then:  skipchat bench sweep --prompts prompts.txt ...
"""
import json
import os
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 8
cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
path = os.path.join(cache, "skipchat", "corpus", "chitchat.jsonl")
if not os.path.exists(path):
    sys.exit(f"chitchat-prompts: {path} not found; run scripts/fetch-corpus.sh first")
with open(path, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if count == 0:
            break
        if i % 10 != 9:
            continue
        users = [m["content"] for m in json.loads(line).get("messages", []) if m.get("role") == "user"]
        if users and users[0].strip():
            print(" ".join(users[0].split()))
            count -= 1
