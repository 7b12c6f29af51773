#!/usr/bin/env bash
# Fetches the vocab-only GGUF files (and their HF-generated .inp/.out test pairs) that the
# tokenizer tests use, from the llama-cpp-python source package on PyPI, which vendors
# llama.cpp (MIT licence) including `vendor/llama.cpp/models/ggml-vocab-*.gguf`.
# Files land in ${XDG_CACHE_HOME:-~/.cache}/skipchat/vocab/. Idempotent: does nothing when
# every file is already there. Needs python3 with pip and network access to PyPI.
set -euo pipefail

VERSION="0.3.36"
DEST="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/vocab"
VOCABS=(llama-bpe llama-spm gpt-2 starcoder qwen2 phi-3)

missing=0
for v in "${VOCABS[@]}"; do
    for ext in gguf gguf.inp gguf.out; do
        [[ -s "$DEST/ggml-vocab-$v.$ext" ]] || missing=1
    done
done
[[ -s "$DEST/LICENSE-llama.cpp" ]] || missing=1
if [[ $missing -eq 0 ]]; then
    echo "test vocabs already in $DEST"
    exit 0
fi

fail() { echo "fetch-test-vocabs: $1" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# --no-binary only for this package: its build dependencies (cmake, scikit-build-core) may come
# as wheels, which pip needs to read the sdist's metadata.
python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$VERSION" -d "$TMP" >"$TMP/pip.log" 2>&1 \
    || fail "pip download of llama-cpp-python==$VERSION failed (see: pip download --no-deps --no-binary llama-cpp-python llama-cpp-python==$VERSION)"
SDIST="$TMP/llama_cpp_python-$VERSION.tar.gz"
[[ -f "$SDIST" ]] || fail "pip did not produce $SDIST"

ROOT="llama_cpp_python-$VERSION/vendor/llama.cpp"
MEMBERS=("$ROOT/LICENSE")
for v in "${VOCABS[@]}"; do
    for ext in gguf gguf.inp gguf.out; do MEMBERS+=("$ROOT/models/ggml-vocab-$v.$ext"); done
done
tar -xzf "$SDIST" -C "$TMP" "${MEMBERS[@]}" || fail "could not extract the vocab files from $SDIST"

mkdir -p "$DEST" || fail "cannot create $DEST"
for v in "${VOCABS[@]}"; do
    for ext in gguf gguf.inp gguf.out; do
        cp "$TMP/$ROOT/models/ggml-vocab-$v.$ext" "$DEST/" || fail "cannot write to $DEST"
    done
done
cp "$TMP/$ROOT/LICENSE" "$DEST/LICENSE-llama.cpp"
echo "test vocabs written to $DEST"
