# The two commands: `make run` and `make test`.
SHELL := /bin/bash
BUILD_PACKAGES := libncurses-dev libsqlite3-dev libpq-dev
TEST_PACKAGES := $(BUILD_PACKAGES) tmux passwd khard abook man-db groff-base zsh sqlite3 postgresql

.PHONY: run test build release deps test-deps bench screenshots clean man install uninstall

run: deps
	swift build -c release $(STATIC)
	.build/release/crm --demo

# The tests run as several processes at once (scripts/run-tests.sh says why).
test: test-deps
	swift build
	bash scripts/run-tests.sh

build:
	swift build

release:
	swift build -c release $(STATIC)

# The Swift runtime and Foundation linked into the binary, so it runs on a
# machine without Swift (it still needs libncursesw6 and libsqlite3-0).
# Empty it (make install STATIC=) for a toolchain without static libraries.
STATIC := --static-swift-stdlib

# `make install` (PREFIX=/usr/local, DESTDIR honoured for packaging). CRM_BINARY
# may name a crm already built (the tests use the debug one) to skip the build.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
CRM_BINARY ?=

install: $(if $(CRM_BINARY),,release)
	install -d -m 0755 $(BINDIR) $(MANDIR)
	install -m 0755 $(or $(CRM_BINARY),.build/release/crm) $(BINDIR)/crm
	install -m 0644 Resources/crm.1 $(MANDIR)/crm.1

uninstall:
	rm -f $(BINDIR)/crm $(MANDIR)/crm.1

# Regenerates the man page from the help text (Sources/crm/Help.swift) and
# the screen's key tables; a test fails when Resources/crm.1 is out of date.
man: build
	.build/debug/crm help --roff > Resources/crm.1.new
	mv Resources/crm.1.new Resources/crm.1

# Every figure of the README's performance section: `crm bench` (add
# BENCH_ARGS="--contacts 1000000" for the million), then the first screen
# from outside beside abook (scripts/first-screen-bench.sh).
BENCH_ARGS ?=
bench: deps
	swift build -c release $(STATIC)
	.build/release/crm bench $(BENCH_ARGS)
	bash scripts/first-screen-bench.sh

screenshots: test-deps release
	bash screenshots/make-screenshots.sh

deps:
	@bash .ci/install-packages $(BUILD_PACKAGES)

test-deps:
	@bash .ci/install-packages $(TEST_PACKAGES)

clean:
	rm -rf .build
