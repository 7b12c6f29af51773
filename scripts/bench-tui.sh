#!/usr/bin/env bash
# TUI performance benchmark (issue 4, item 9), on the default model:
#   - generation tokens/s inside the chat vs `skipchat generate`, same greedy prompt, same settings
#     (autoregressive, and fixed E/K), alternating runs; prints the ratio (target >= 0.95);
#   - key press (F6/F5) to status bar latency while generating (target < 50 ms).
# The chat runs in a private tmux server (its own socket), killed at the end.
#
# Usage: scripts/bench-tui.sh [--repeats N] [--tokens N] [--exit-layer E] [--depth K] [--presses N]
#                             [--threads N] [--model PATH] [--skip-speed] [--skip-latency]
#        (scripts/bench_tui.py --help lists every option)
# Env:   SKIPCHAT_BIN  the binary to measure (default: a release build in .build-tuiperf)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/setup.sh >&2   # tmux and the default model, when missing
if [ -z "${SKIPCHAT_BIN:-}" ]; then
    swift build -c release --scratch-path "$root/.build-tuiperf" --product skipchat >&2
    SKIPCHAT_BIN="$root/.build-tuiperf/release/skipchat"
fi
exec python3 "$root/scripts/bench_tui.py" --bin "$SKIPCHAT_BIN" "$@"
