# skipchat — two commands do everything on a fresh Debian/Ubuntu machine:
#   make chat   installs what is missing, builds a release binary, opens the chat
#   make test   installs what is missing, builds, runs every test
SWIFT ?= swift
BIN := .build/release/skipchat
PREFIX ?= $(HOME)/.local

.PHONY: chat test build setup setup-tests bench install uninstall clean

chat: setup build
	$(BIN) chat $(ARGS)

# Tests run in release (the numeric tests need optimised code); the tmux end-to-end tests drive
# the release binary. The kernel paths this CPU cannot run are tested under emulation first.
test: setup-tests build
	scripts/check-kernels-emulated.sh
	scripts/check-install.sh
	SKIPCHAT_BIN=$(CURDIR)/$(BIN) $(SWIFT) test -c release

build:
	$(SWIFT) build -c release

setup:
	scripts/setup.sh

setup-tests:
	scripts/setup.sh --tests

bench: setup build
	$(BIN) bench $(ARGS)

# The release binary, built-in themes, man pages and bash/zsh/fish completions under PREFIX.
install: build
	scripts/install.sh "$(PREFIX)" $(BIN)

uninstall:
	scripts/install.sh --uninstall "$(PREFIX)"

clean:
	rm -rf .build
