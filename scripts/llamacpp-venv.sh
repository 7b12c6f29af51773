#!/usr/bin/env bash
# Creates (once) .venv-bench/: llama-cpp-python (llama.cpp's own quantizer and inference, built
# from source) plus numpy and gguf-py (GGUF reading/writing and the reference dequantisation).
# Used by bench-llamacpp.sh, make-quants.sh and scripts/fixtures/make_decoded_block_fixtures.py and make_mixed_quant_model_fixtures.py.
# Prints the venv's python on stdout; progress goes to stderr.
#
# Env:   PYTHON                    python3 that creates the venv (default: python3)
#        LLAMA_CPP_PYTHON_VERSION  llama-cpp-python version (default: 0.3.36, the one measured in docs/performance.md)
#
# The llama.cpp build is a native, optimised CPU build: GGML_NATIVE=ON (-march=native: AVX2/FMA/F16C
# on this machine), Release, no BLAS, no GPU back ends. It takes about 6-10 minutes on 2 idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$(pwd)/.venv-bench"
PY=${PYTHON:-python3}

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip >&2
fi
if ! "$VENV/bin/python" -c 'import llama_cpp' 2>/dev/null; then
    echo "== installing llama-cpp-python into $VENV (builds llama.cpp from source)" >&2
    start=$(date +%s)
    CMAKE_ARGS="-DGGML_NATIVE=ON -DCMAKE_BUILD_TYPE=Release -DGGML_BLAS=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF -DGGML_OPENMP=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
    FORCE_CMAKE=1 \
        "$VENV/bin/pip" install --no-cache-dir --no-binary llama-cpp-python \
        "llama-cpp-python==${LLAMA_CPP_PYTHON_VERSION:-0.3.36}" >&2
    echo "== llama-cpp-python built in $(( $(date +%s) - start )) s" >&2
fi
if ! "$VENV/bin/python" -c 'import gguf, numpy, safetensors' 2>/dev/null; then
    "$VENV/bin/pip" install -q "gguf==0.17.1" numpy safetensors >&2
fi
echo "$VENV/bin/python"
