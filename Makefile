# The two commands: `make run` and `make test`.
SHELL := /bin/bash
BUILD_PACKAGES := libncurses-dev libsqlite3-dev
TEST_PACKAGES := $(BUILD_PACKAGES) tmux passwd khard abook

.PHONY: run test build release deps test-deps bench screenshots clean

run: deps
	swift build -c release
	.build/release/crm --demo

test: test-deps
	swift build
	swift test

build:
	swift build

release:
	swift build -c release

bench: deps
	swift build -c release
	.build/release/crm bench

screenshots: test-deps release
	bash screenshots/make-screenshots.sh

deps:
	@bash .ci/install-packages $(BUILD_PACKAGES)

test-deps:
	@bash .ci/install-packages $(TEST_PACKAGES)

clean:
	rm -rf .build
