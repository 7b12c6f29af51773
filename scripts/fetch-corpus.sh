#!/usr/bin/env bash
# Fetches the calibration corpus for `skipchat calibrate`: the chitchat-dataset PyPI package
# (MIT; ~7k casual two-person conversations), converted to JSONL, one conversation a
# line as {"messages": [{"role": "user"|"assistant", "content": …}, …]} (the first speaker is
# "user"; consecutive messages of one speaker are joined by newlines), conversations in id order.
# skipchat renders each with the model's chat template and holds out every tenth.
# Output: ${XDG_CACHE_HOME:-~/.cache}/skipchat/corpus/chitchat.jsonl. Idempotent.
set -euo pipefail
version="0.9.0"
sha="7bf89f36645e2d5ec87d53370c8e851b5a688479c7beb7079cb4c87fc5acea3e"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/corpus"
dest="$dir/chitchat.jsonl"

[ -s "$dest" ] && exit 0
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "skipchat: fetching the calibration corpus (chitchat-dataset==$version, 8 MB) from PyPI" >&2
if ! python3 -m pip download --no-deps --progress-bar on -d "$tmp" "chitchat-dataset==$version" >&2; then
    echo "skipchat: could not download chitchat-dataset==$version from PyPI (is the network up?)" >&2
    exit 1
fi
wheel="$(ls "$tmp"/chitchat_dataset-*.whl)"
if ! echo "$sha  $wheel" | sha256sum --check --status; then
    echo "skipchat: chitchat-dataset==$version has the wrong sha256; corpus not installed" >&2
    exit 1
fi
python3 - "$wheel" "$tmp/chitchat.jsonl" <<'PY'
import json, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    data = json.loads(z.read("chitchat_dataset/dataset.json"))
count = 0
with open(out, "w", encoding="utf-8") as f:
    for key in sorted(data):
        turns, roles = [], {}
        for group in data[key].get("messages", []):
            for m in group:
                text = (m.get("text") or "").strip()
                if not text:
                    continue
                role = roles.setdefault(m["sender"], "user" if not roles else "assistant")
                if turns and turns[-1]["role"] == role:
                    turns[-1]["content"] += "\n" + text
                else:
                    turns.append({"role": role, "content": text})
        if len(turns) >= 2:
            f.write(json.dumps({"messages": turns}, ensure_ascii=False) + "\n")
            count += 1
print(f"skipchat: {count} conversations", file=sys.stderr)
PY
mv "$tmp/chitchat.jsonl" "$dest"
echo "skipchat: calibration corpus installed at $dest" >&2
