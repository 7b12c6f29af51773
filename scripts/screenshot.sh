#!/usr/bin/env bash
# Makes docs/screenshot.png, the README's picture of the chat: the real `skipchat chat` on the
# default model in a private tmux server (TERM=xterm-256color, dark theme), one question answered
# and a second one caught mid-answer, with the draft lane and the layer legend; captured with
# `tmux capture-pane -p -e -N` and drawn by scripts/ansi_to_png.py (Pillow, DejaVu Sans Mono).
#
# Usage: scripts/screenshot.sh [OUTPUT.png]          (default: docs/screenshot.png)
# Env:   SKIPCHAT_BIN  the binary (default: a release build in .build-tuiperf)
#        SHOT_FLAGS    chat flags (default: "--exit-layer 26 --depth 3": a third of the drafts accepted)
# Installs what is missing: tmux and the model (scripts/setup.sh), fonts-dejavu-core (apt), and
# Pillow from PyPI into a virtual environment under ${XDG_CACHE_HOME:-~/.cache}/skipchat/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
output=${1:-$root/docs/screenshot.png}
columns=120
rows=26
flags=${SHOT_FLAGS:---exit-layer 26 --depth 3}

scripts/setup.sh >&2
fonts=/usr/share/fonts/truetype/dejavu
if [ ! -f "$fonts/DejaVuSansMono.ttf" ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-dejavu-core >/dev/null
fi
venv="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/screenshot-venv"
if ! "$venv/bin/python" -c 'import PIL' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q pillow
fi
if [ -z "${SKIPCHAT_BIN:-}" ]; then
    swift build -c release --scratch-path "$root/.build-tuiperf" --product skipchat >&2
    SKIPCHAT_BIN="$root/.build-tuiperf/release/skipchat"
fi

scratch=$(mktemp -d)
socket="skipchat-screenshot-$$"
tmx() { tmux -L "$socket" -f /dev/null "$@"; }
trap 'tmx kill-server 2>/dev/null || true; rm -rf "$scratch"' EXIT

# shellcheck disable=SC2086 # $flags is a list of flags
chat=$(printf '%q ' "$SKIPCHAT_BIN" chat --temperature 0 --max-tokens 400 $flags)
tmx new-session -d -s shot -x "$columns" -y "$rows" \
    "env -u NO_COLOR -u COLORTERM TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$scratch/state \
     XDG_CONFIG_HOME=$scratch/config $chat; sleep 600"

screen() { tmx capture-pane -p -t shot; }
status() { screen | head -n 1; }
# wait_for SECONDS DESCRIPTION COMMAND...: polls until the command succeeds.
wait_for() {
    local deadline=$((SECONDS + $1)) what=$2
    shift 2
    until "$@"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "screenshot: timed out waiting for $what; screen:" >&2
            screen >&2
            exit 1
        fi
        sleep 0.05
    done
}
ready() { screen | grep -q "type a message"; }
generating() { status | grep -q "●"; }
idle() { ! generating; }
context() { status | sed -n 's/.*ctx \([0-9]*\)\/.*/\1/p'; }
ask() {
    tmx send-keys -t shot -l "$1"
    tmx send-keys -t shot Enter
    wait_for 60 "the reply to start" generating
}

wait_for 120 "the chat to open" ready
# The start-up notices (the model's path) make no picture: /clear.
tmx send-keys -t shot -l "/clear"
tmx send-keys -t shot Enter
ask "What is the capital of France?"
wait_for 300 "the first reply to end" idle
ask "Write a short poem about the sea."
start=$(context)
# Mid-answer: some 80 tokens into the reply, a round in the draft lane, the whole frame drawn
# (status bar to input box: a capture can fall between two writes of a frame).
mid_answer() {
    local shot plain now
    shot=$(tmx capture-pane -p -e -N -t shot)
    plain=$(printf '%s\n' "$shot" | sed 's/\x1b\[[0-9;:]*m//g')
    now=$(printf '%s\n' "$plain" | head -n 1 | sed -n 's/.*ctx \([0-9]*\)\/.*/\1/p')
    [ -n "$now" ] && [ "$now" -ge $((start + 80)) ] || return 1
    printf '%s\n' "$plain" | head -n 1 | grep -q "●.*F1 help" || return 1
    printf '%s\n' "$plain" | grep -q "Esc stops" || return 1
    printf '%s\n' "$plain" | grep -q -e "✓" -e "✗" || return 1
    printf '%s\n' "$shot" > "$scratch/capture.ansi"
}
wait_for 300 "the second reply to be mid-answer" mid_answer
tmx send-keys -t shot Escape

"$venv/bin/python" scripts/ansi_to_png.py "$scratch/capture.ansi" "$output" --columns "$columns" --rows "$rows"
echo "screenshot: wrote $output ($(stat -c %s "$output") bytes)"
