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
# Calibrated drafting out of the box: the shipped sidecar beside the model (never over a user's own).
"$here/install-sidecar.sh"
if [ "${1:-}" = "--tests" ] && [ -x "$here/fetch-test-vocabs.sh" ]; then
    "$here/fetch-test-vocabs.sh"
fi
