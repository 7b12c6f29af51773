#!/usr/bin/env bash
# Decode speed of each family's 1B-shaped synthetic model as a ratio to the Llama shape
# (llama3.2-1b) measured in the same run: ROUNDS interleaved rounds of
#   skipchat bench roofline --synthetic NAME --format json
# (each round runs every shape once, starting one shape later than the round before, so no
# shape always runs first), then per shape and for two figures of the report — decode tokens/s
# (mean over --decode-steps steps, best of --repeats) and the fastest single decode step (less
# sensitive to other processes) — the median over the rounds, its ratio to llama3.2-1b's median,
# and the median of the per-round ratios (each shape against the Llama run of its own round,
# which cancels slow drifts of a shared machine). Prints `uptime` before and after: write the
# load average down next to the figures.
#
# Usage: scripts/bench-families.sh [ROUNDS] [extra roofline flags…]
#   SKIPCHAT_BIN   the binary (default .build/release/skipchat)
#   SHAPES         the shapes (default: llama3.2-1b qwen2-1b qwen3-1b gemma3-1b phi3-1b)
# Default roofline flags: --threads 2 --prompt-length 32 --decode-steps 16 --repeats 2.
# Each shape makes 2.5 GB of random weights in /dev/shm for the length of its run.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
bin=${SKIPCHAT_BIN:-.build/release/skipchat}
read -r -a shapes <<< "${SHAPES:-llama3.2-1b qwen2-1b qwen3-1b gemma3-1b phi3-1b}"
flags=(--threads 2 --prompt-length 32 --decode-steps 16 --repeats 2 "$@")
[ -x "$bin" ] || { echo "bench-families: no binary at $bin (swift build -c release)" >&2; exit 1; }
[ "${shapes[0]}" = llama3.2-1b ] || { echo "bench-families: SHAPES must start with llama3.2-1b (the reference)" >&2; exit 1; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
echo "before: $(uptime)"
for ((r = 0; r < rounds; r++)); do
    for ((i = 0; i < ${#shapes[@]}; i++)); do
        shape=${shapes[$(((i + r) % ${#shapes[@]}))]}
        rates=$("$bin" bench roofline --synthetic "$shape" --format json "${flags[@]}" | python3 -c \
            'import json, sys; r = json.load(sys.stdin); print(r["decode_tokens_per_second"], r["fastest_decode_step_tokens_per_second"])')
        echo "round $((r + 1)) $shape $rates" | tee -a "$results" >&2
    done
done
echo "after: $(uptime)"
python3 - "$results" "${shapes[@]}" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
shapes = sys.argv[2:]
for column, title in ((0, "decode tok/s"), (1, "fastest step tok/s")):
    rate = {(int(row[1]), row[2]): float(row[3 + column]) for row in rows}
    rounds = sorted({r for r, _ in rate})
    ref = statistics.median(rate[(r, shapes[0])] for r in rounds)
    print(f"\n{'shape':<14} {title + ' per round':<32} {'median':>7} {'÷ llama':>8} {'median of round ratios':>23}")
    for s in shapes:
        runs = [rate[(r, s)] for r in rounds]
        ratios = [rate[(r, s)] / rate[(r, shapes[0])] for r in rounds]
        print(f"{s:<14} {', '.join(f'{v:.2f}' for v in runs):<32} {statistics.median(runs):7.2f} "
              f"{statistics.median(runs) / ref:8.2f} {statistics.median(ratios):23.2f}")
EOF
