#!/usr/bin/env bash
# Side-by-side decode/prefill benchmark: skipchat vs llama.cpp (llama-cpp-python)
# on the same GGUF, the same thread count, the same greedy chat prompts and
# the same number of generated tokens.
#
# Usage: scripts/bench-llamacpp.sh [--model PATH] [--threads N] [--tokens N]
#                                  [--prompts N] [--skip-speculative]
# Env:   SKIPCHAT_BIN   skipchat binary (default: build release into .build-perf)
#        PYTHON         python3 used to create .venv-bench (default: python3)
#        LLAMA_CPP_PYTHON_VERSION  version to install (default: 0.3.36, the one measured in docs/performance.md)
#
# First run: creates .venv-bench/ and installs llama-cpp-python from PyPI, which
# compiles llama.cpp from source (about 10 minutes on 2 idle cores, 26 when busy). The build is
# a native, optimised CPU build: GGML_NATIVE=ON (-march=native: AVX2/FMA/F16C
# on this machine), Release, no BLAS, no GPU back ends.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv-bench"
PY=${PYTHON:-python3}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import llama_cpp' 2>/dev/null; then
    echo "== installing llama-cpp-python into $VENV (builds llama.cpp from source)" >&2
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    start=$(date +%s)
    CMAKE_ARGS="-DGGML_NATIVE=ON -DCMAKE_BUILD_TYPE=Release -DGGML_BLAS=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF -DGGML_OPENMP=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
    FORCE_CMAKE=1 \
        "$VENV/bin/pip" install --no-cache-dir --no-binary llama-cpp-python \
        "llama-cpp-python==${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
    echo "== llama-cpp-python built in $(( $(date +%s) - start )) s" >&2
fi

if [ -z "${SKIPCHAT_BIN:-}" ]; then
    swift build -c release --scratch-path "$ROOT/.build-perf" --product skipchat >&2
    SKIPCHAT_BIN="$ROOT/.build-perf/release/skipchat"
fi
exec "$VENV/bin/python" "$ROOT/scripts/bench_llamacpp.py" --skipchat "$SKIPCHAT_BIN" "$@"
