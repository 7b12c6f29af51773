#!/usr/bin/env bash
# Installs what skipchat needs on a Debian/Ubuntu machine, once: system packages (ncursesw,
# OpenBLAS, OpenSSL and libcurl for the Hub client, pkg-config, tmux for the end-to-end tests),
# the default model and its exit adapters.
# Idempotent: does nothing that is already done. Usage: scripts/setup.sh [--tests]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

packages=(libncursesw5-dev libopenblas-dev libssl-dev libcurl4-openssl-dev pkg-config tmux python3 python3-pip)
# The tests also compile the AVX-VNNI / AVX-512 kernels against SIMDe (emulated intrinsics) with gcc.
# They also load an HTML export in headless Chromium and render the installed man pages (man-db).
[ "${1:-}" = "--tests" ] && packages+=(libsimde-dev gcc chromium man-db)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3/pip may come from elsewhere (pyenv); only ask apt when the command is absent.
filtered=()
for p in "${missing[@]}"; do
    case "$p" in
        python3) command -v python3 >/dev/null || filtered+=("$p") ;;
        python3-pip) python3 -m pip --version >/dev/null 2>&1 || filtered+=("$p") ;;
        *) filtered+=("$p") ;;
    esac
done
if [ ${#filtered[@]} -gt 0 ]; then
    echo "skipchat setup: installing ${filtered[*]}"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${filtered[@]}" >/dev/null
fi

if ! command -v swift >/dev/null; then
    echo "skipchat setup: the Swift toolchain (6.0 or newer) is not on PATH; install it from swift.org" >&2
    exit 1
fi

"$here/fetch-model.sh"
# Calibrated drafting out of the box: install the shipped exit-adapter sidecar for the default model
# (made by `skipchat calibrate`, see models/adapters/README.md) beside it, unless one is there
# already (a user's own calibration is never overwritten; an earlier shipped version, known by its
# sha256, is replaced).
model_dir="${XDG_CACHE_HOME:-$HOME/.cache}/skipchat/models"
sidecar="SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors"
# Earlier shipped versions: fitted on chitchat replies; self-distilled adapters without a draft block.
superseded="3e5f770c4eb597059625fad7a2972e6d263c852d396f3880dddb1f2c9978babb fdde6b685e6e6dae680d41a5de2534282e06c58a38d1e8e6aa7d95c4f0d001f3"
installed=""
[ -e "$model_dir/$sidecar" ] && installed=$(sha256sum "$model_dir/$sidecar" | cut -d' ' -f1)
if [ -f "$here/../models/adapters/$sidecar" ] && { [ -z "$installed" ] || [[ " $superseded " == *" $installed "* ]]; }; then
    cp "$here/../models/adapters/$sidecar" "$model_dir/$sidecar.tmp" && mv "$model_dir/$sidecar.tmp" "$model_dir/$sidecar"
    echo "skipchat setup: installed the draft block and exit adapters for the default model ($model_dir/$sidecar)"
fi
if [ "${1:-}" = "--tests" ] && [ -x "$here/fetch-test-vocabs.sh" ]; then
    "$here/fetch-test-vocabs.sh"
fi
