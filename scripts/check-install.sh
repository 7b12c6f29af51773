#!/usr/bin/env bash
# make test's check of make install / make uninstall: installs into a temporary prefix, runs the
# installed skipchat --help, renders its man pages with man -l, checks the completion scripts,
# then uninstalls and checks nothing is left. Prints "install: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
passed=0; failed=0
check() { # check NAME COMMAND...
    local name="$1"; shift
    if output=$("$@" 2>&1); then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; echo "$output" | tail -15; fi
}
check "make install" make --no-print-directory install PREFIX="$prefix"
check "skipchat --help" bash -c "'$prefix/bin/skipchat' --help | grep -q 'SUBCOMMANDS:'"
check "skipchat export --help" bash -c "'$prefix/bin/skipchat' export --help | grep -q -- '--html'"
check "man -l skipchat.1" bash -c "MANWIDTH=100 man -l '$prefix/share/man/man1/skipchat.1' 2>&1 | grep -q 'self-speculative'"
check "man -l skipchat.export.1" bash -c "MANWIDTH=100 man -l '$prefix/share/man/man1/skipchat.export.1' 2>&1 | grep -q -- '--force'"
check "themes" test -f "$prefix/share/skipchat/themes/dark.toml"
check "bash completion" bash -c "source '$prefix/share/bash-completion/completions/skipchat' && complete -p skipchat"
check "zsh completion" grep -q '^#compdef skipchat' "$prefix/share/zsh/site-functions/_skipchat"
check "fish completion" grep -q "complete -c 'skipchat' -f" "$prefix/share/fish/vendor_completions.d/skipchat.fish"
check "make uninstall" make --no-print-directory uninstall PREFIX="$prefix"
check "nothing left" bash -c "[ -z \"\$(find '$prefix' -type f)\" ]"
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
