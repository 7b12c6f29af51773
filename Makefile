# skipchat — two commands do everything on a fresh Debian/Ubuntu machine:
#   make chat   installs what is missing, builds a release binary, opens the chat
#   make test   installs what is missing, builds, runs every test
SWIFT ?= swift
BIN := .build/release/skipchat

.PHONY: chat test build setup setup-tests bench clean

chat: setup build
	$(BIN) chat $(ARGS)

# One release build serves the tests and the tmux end-to-end tests' binary (--build-tests
# builds every target with testability, so nothing is compiled twice).
test: setup-tests
	$(SWIFT) build -c release --build-tests
	SKIPCHAT_BIN=$(CURDIR)/$(BIN) $(SWIFT) test -c release --skip-build

build:
	$(SWIFT) build -c release

setup:
	scripts/setup.sh

setup-tests:
	scripts/setup.sh --tests

bench: setup build
	$(BIN) bench $(ARGS)

clean:
	rm -rf .build
