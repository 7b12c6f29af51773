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
# First run: scripts/llamacpp-venv.sh creates .venv-bench/ and installs llama-cpp-python from
# PyPI, which compiles llama.cpp from source (about 10 minutes on 2 idle cores, 26 when busy).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

VENV_PY=$(scripts/llamacpp-venv.sh)

if [ -z "${SKIPCHAT_BIN:-}" ]; then
    swift build -c release --scratch-path "$ROOT/.build-perf" --product skipchat >&2
    SKIPCHAT_BIN="$ROOT/.build-perf/release/skipchat"
fi
exec "$VENV_PY" "$ROOT/scripts/bench_llamacpp.py" --skipchat "$SKIPCHAT_BIN" "$@"
