#!/usr/bin/env bash
# Loads an HTML export (skipchat export / /export) in headless Chromium and fails when the page
# logs anything to the console (errors, blocked loads) or when the browser's DOM lost tokens the
# file has. Usage: scripts/check-export-browser.sh PAGE.html [SCREENSHOT.png]
# Exit 0: loaded cleanly; 1: a problem (printed); 77: no Chromium here (Debian: apt-get install chromium).
set -euo pipefail
page="$1"
shot="${2:-}"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "check-export-browser: no chromium on PATH (apt-get install chromium)"; exit 77; }
[ -f "$page" ] || { echo "check-export-browser: $page: no such file"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
timeout 120 "$browser" "${flags[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/log.txt" || {
    echo "check-export-browser: chromium failed on $page"; tail -5 "$work/log.txt"; exit 1; }
if grep -q ':CONSOLE' "$work/log.txt"; then
    echo "check-export-browser: $page logged to the console:"; grep ':CONSOLE' "$work/log.txt"; exit 1
fi
# Token spans as written and as the browser built them (a parse error would drop or nest them).
written=$(grep -o '<span class="t [a-z]* l[0-9]*"' "$page" | wc -l)
built=$(grep -o '<span class="t [a-z]* l[0-9]*"' "$work/dom.html" | wc -l)
if [ "$written" -eq 0 ] || [ "$written" -ne "$built" ]; then
    echo "check-export-browser: $page has $written token spans, the browser's DOM $built"; exit 1
fi
grep -q '<svg' "$work/dom.html" || { echo "check-export-browser: no chart in the browser's DOM"; exit 1; }
if [ -n "$shot" ]; then
    timeout 120 "$browser" "${flags[@]}" --window-size=1100,1400 --screenshot="$shot" "$url" >/dev/null 2>&1
fi
echo "check-export-browser: $page loaded in $("$browser" --version 2>/dev/null | head -1) with no console messages, $built token spans"
