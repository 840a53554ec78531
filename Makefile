# Set-up and everyday commands. `make app` and `make test` are all a newcomer needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: app test test-fast bench calibrate lint clean

$(BIN)/python:
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tokentide needs Python 3.11 or newer")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(APP_STAMP)

## Run the dashboard on the embedded default dataset: http://127.0.0.1:8501
app: $(APP_STAMP)
	$(BIN)/tokentide app

## Run the whole test suite (slow tests in their bounded form; browser tests need Debian's chromium)
test: $(TEST_STAMP)
	$(BIN)/python -m pytest

## The quick loop while developing: everything but slow and browser tests
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

## Benchmarks: ratios against bare baselines measured in the same run
bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks

## Planted-truth calibration of intervals and break tests (250 seeds per design): writes docs/calibration.md
calibrate: $(TEST_STAMP)
	$(BIN)/python -m tokentide.reporting.calibration_run --seeds 250 --docs docs/calibration.md --tables reporting

## Lint, format check and type check (mypy on the installed package layout: .ci/typecheck.py)
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python .ci/typecheck.py

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
