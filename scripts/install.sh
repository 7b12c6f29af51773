#!/usr/bin/env bash
# Installs the release binary, the built-in themes, the man page and bash/zsh/fish completions
# under PREFIX, or removes what an earlier install put there.
# Usage: scripts/install.sh PREFIX BINARY      (make install [PREFIX=~/.local])
#        scripts/install.sh --uninstall PREFIX (make uninstall)
# The man page comes from swift-argument-parser's generate-manual plugin and the completions from
# the binary's --generate-completion-script, so both follow the command definitions.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--uninstall" ]; then
    prefix="${2:?usage: scripts/install.sh --uninstall PREFIX}"
    manifest="$prefix/share/skipchat/install-manifest.txt"
    [ -f "$manifest" ] || { echo "skipchat uninstall: nothing installed under $prefix (no $manifest)"; exit 0; }
    while IFS= read -r file; do rm -f "$file"; done < "$manifest"
    rm -f "$manifest"
    rmdir "$prefix/share/skipchat/themes" "$prefix/share/skipchat" 2>/dev/null || true
    echo "skipchat uninstall: removed what $manifest listed"
    exit 0
fi

prefix="${1:?usage: scripts/install.sh PREFIX BINARY}"
binary="${2:?usage: scripts/install.sh PREFIX BINARY}"
[ -x "$binary" ] || { echo "skipchat install: no binary at $binary (make build)"; exit 1; }

pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
# The plugin builds the package in release mode (already built: nothing to do) and writes one
# page per command into its output folder (emptied first, so no page of a removed command stays).
manual_dir=.build/plugins/GenerateManual/outputs/skipchat
rm -rf "$manual_dir"
swift package plugin generate-manual --multi-page >"$pages/log.txt" 2>&1 || {
    echo "skipchat install: generating the man page failed:"; tail -20 "$pages/log.txt"; exit 1; }
[ -f "$manual_dir/skipchat.1" ] || { echo "skipchat install: the plugin wrote no skipchat.1"; cat "$pages/log.txt"; exit 1; }

installed=()
put() { # put MODE SOURCE TARGET
    install -D -m "$1" "$2" "$3"
    installed+=("$3")
}
put 755 "$binary" "$prefix/bin/skipchat"
for theme in themes/*.toml; do put 644 "$theme" "$prefix/share/skipchat/themes/$(basename "$theme")"; done
for page in "$manual_dir"/*.1; do put 644 "$page" "$prefix/share/man/man1/$(basename "$page")"; done
"$binary" --generate-completion-script bash >"$pages/skipchat.bash"
"$binary" --generate-completion-script zsh >"$pages/_skipchat"
"$binary" --generate-completion-script fish >"$pages/skipchat.fish"
put 644 "$pages/skipchat.bash" "$prefix/share/bash-completion/completions/skipchat"
put 644 "$pages/_skipchat" "$prefix/share/zsh/site-functions/_skipchat"
put 644 "$pages/skipchat.fish" "$prefix/share/fish/vendor_completions.d/skipchat.fish"
printf '%s\n' "${installed[@]}" >"$prefix/share/skipchat/install-manifest.txt"

echo "skipchat install: ${#installed[@]} files under $prefix (list: $prefix/share/skipchat/install-manifest.txt)"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "skipchat install: add $prefix/bin to PATH to run skipchat";; esac
