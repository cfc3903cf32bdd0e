# `make run` and `make test` each work on a fresh machine: they create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast fuzz bench bench-quick lint snapshots screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## Open the app on a new appraisal with the bundled peer-support checklist.
run: $(VENV)/.installed-run
	$(BIN)/appraise new --checklist peer-support

## Run every test (unit, app, snapshots, the installed wheel, real terminal and browser where present).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto

## Everything except the slow wheel and real-terminal tests.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto -m "not slow"

## Thousands of fuzzed files through every command (the suite runs a small fixed budget of the same).
fuzz: $(VENV)/.installed-test
	APPRAISE_FUZZ_EXAMPLES=$${APPRAISE_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest tests/hardening/test_fuzz.py -n auto -p no:randomly

## Regenerate snapshot SVGs: look at the failing report first (snapshot_report.html).
snapshots: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/tui/test_snapshots.py --snapshot-update

## The README's pictures (docs/images/*.svg), exported by the app itself; tests fail when they are stale.
screenshots: $(VENV)/.installed-test
	$(BIN)/python docs/screenshots.py

## Speed, as ratios against floors measured in the same run.
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/paper.py
	$(BIN)/python bench/history.py

## The same rows without the 10,000-appraisal ones, for iterating on a change (a few minutes).
bench-quick: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --sizes 10,100,1000

lint: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet ruff mypy types-PyYAML
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache snapshot_report.html
