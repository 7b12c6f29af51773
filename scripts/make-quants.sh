#!/usr/bin/env bash
# Makes copies of the default model in the GGUF types people download, with llama.cpp's own
# quantizer (llama_model_quantize through the pinned llama-cpp-python of scripts/llamacpp-venv.sh),
# requantising the fetched Q4_1 file:
#   scripts/make-quants.sh Q4_K_M Q5_K_M Q6_K
# writes ${XDG_CACHE_HOME:-~/.cache}/skipchat/models/SmolLM2-135M-Instruct.<TYPE>.gguf (not the
# repository). Types: Q4_K_M Q4_K_S Q5_K_M Q5_K_S Q6_K Q5_0 Q5_1 Q8_0 Q3_K_M Q2_K IQ4_NL.
# The default model has rows of 576 values, not a multiple of 256, so llama.cpp falls back to
# Q5_0/Q5_1/Q8_0 for those tensors: a Q4_K_M copy holds Q5_0, Q4_K, Q6_K and Q8_0 tensors.
# Tests that use the copies (EngineTests QuantisedCopiesTests) skip, saying so, when they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/make-quants.sh TYPE… (e.g. Q4_K_M Q5_K_M Q6_K)" >&2; exit 2; }
dir="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/models"
src="$dir/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$src" ] || scripts/fetch-model.sh
py=$(scripts/llamacpp-venv.sh)
"$py" - "$src" "$dir" "$@" <<'PY'
import ctypes, sys
import llama_cpp
src, out_dir, types = sys.argv[1], sys.argv[2], sys.argv[3:]
# llama_ftype values (llama.h).
ftypes = {"Q4_K_S": 14, "Q4_K_M": 15, "Q5_K_S": 16, "Q5_K_M": 17, "Q6_K": 18, "Q5_0": 8, "Q5_1": 9,
          "Q8_0": 7, "Q3_K_M": 12, "Q2_K": 10, "IQ4_NL": 25}
for t in types:
    if t not in ftypes:
        sys.exit(f"make-quants: unknown type {t} (known: {' '.join(ftypes)})")
for t in types:
    dst = f"{out_dir}/SmolLM2-135M-Instruct.{t}.gguf"
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftypes[t]
    params.allow_requantize = True
    if llama_cpp.llama_model_quantize(src.encode(), dst.encode(), ctypes.byref(params)) != 0:
        sys.exit(f"make-quants: llama_model_quantize failed for {t}")
    print(dst)
PY
