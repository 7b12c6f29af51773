#!/usr/bin/env bash
# Creates the virtual environment the draft-block trainer runs in: PyTorch (CPU) from PyPI plus
# numpy, safetensors, tqdm and gguf. Idempotent. Usage: scripts/train-draft-block/make-venv.sh [VENV]
# (default: scripts/train-draft-block/.venv). Only training needs it; chatting never does.
#
# PyTorch CPU, the leanest way that works: the CPU-only wheel torch 2.13.0+cpu (190 MB, no nvidia-*
# dependencies) when pip can find it (this project's machines keep it in /opt/wheels, on pip's
# find-links). PyPI's own Linux wheel (torch 2.15.0: 539 MB) cannot be installed alone: with
# --no-deps `import torch` fails (libcudart.so.13 / libcublasLt missing), so where the CPU wheel
# is not at hand the script installs it with its nvidia-* CUDA wheels (several GB), which
# training on the CPU never uses.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-$here/.venv}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import torch, numpy, safetensors, tqdm, gguf" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
if ! "$venv/bin/python" -m pip install --quiet "torch==2.13.0+cpu" 2>/dev/null; then
    echo "train-draft-block: no CPU-only torch wheel on pip's find-links; installing PyPI's torch (with CUDA wheels, several GB)" >&2
fi
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" -c "import torch; print('train-draft-block venv:', '$venv', 'torch', torch.__version__)"
