#!/usr/bin/env bash
# Quantise on load against llama.cpp: the random-weight 1B BF16 shape (`skipchat bench
# synthetic-gguf llama3.2-1b`), as a GGUF for llama.cpp's llama_model_quantize (llama-cpp-python
# in .venv-bench, nthread = THREADS) and as a Hugging Face checkpoint of the same tensors for
# `skipchat info --quantize TYPE` (a fresh cache each run: open + quantise + write the cached
# GGUF). Interleaved, RUNS times each; prints the seconds, medians and the ratio skipchat / llama.cpp.
# llama.cpp's Q4_K file type is Q4_K_S (Q4_K for almost every matrix, Q5_K for a few).
# Usage: scripts/bench-quantize.sh [TYPES] [RUNS] [THREADS]   (default "q8_0 q4_k" 3 2)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$here/.build/release/skipchat"
py="$here/.venv-bench/bin/python"
types="${1:-q8_0 q4_k}"; runs="${2:-3}"; threads="${3:-2}"
work="${BENCH_DIR:-$(mktemp -d)}"
trap 'rm -rf "$work"' EXIT
[ -f "$work/1b-bf16.gguf" ] || "$bin" bench synthetic-gguf llama3.2-1b "$work/1b-bf16.gguf" >/dev/null
[ -d "$work/ckpt" ] || "$py" "$here/scripts/gguf-to-hf-checkpoint.py" "$work/1b-bf16.gguf" "$work/ckpt" >/dev/null
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for type in $types; do
    case "$type" in q8_0) ftype=7 ;; q4_0) ftype=2 ;; q4_k) ftype=14 ;; *) echo "unknown type $type" >&2; exit 1 ;; esac
    ours=(); theirs=()
    for i in $(seq "$runs"); do
        rm -f "$work/out.gguf"
        t0=$(now)
        "$py" -c "
import llama_cpp, sys
p = llama_cpp.llama_model_quantize_default_params(); p.ftype = $ftype; p.nthread = $threads
sys.exit(llama_cpp.llama_model_quantize(b'$work/1b-bf16.gguf', b'$work/out.gguf', p))" 2>/dev/null
        t1=$(now); theirs+=("$(echo "$t1 - $t0" | bc -l)")
        rm -rf "$work/cache"
        t0=$(now); XDG_CACHE_HOME="$work/cache" "$bin" info --model "$work/ckpt" --quantize "$type" --threads "$threads" >/dev/null; t1=$(now)
        ours+=("$(echo "$t1 - $t0" | bc -l)")
        printf '%s run %d: llama_model_quantize %.2f s, skipchat --quantize %.2f s\n' "$type" "$i" "${theirs[-1]}" "${ours[-1]}"
    done
    mt=$(median "${theirs[@]}"); mo=$(median "${ours[@]}")
    printf '%s median of %d: llama.cpp %.2f s, skipchat %.2f s: %.2f x llama.cpp'"'"'s time\n' "$type" "$runs" "$mt" "$mo" "$(echo "$mo / $mt" | bc -l)"
done
