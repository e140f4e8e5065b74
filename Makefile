# Everything a fresh machine needs is installed by these targets: nothing by hand.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test bench lint format demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m leadshift.risk.warm
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/python -m leadshift.risk.warm
	touch $@ $(VENV)/.installed-run

## make run: install, migrate, load the demo into an empty database, serve on http://$(HOST):$(PORT)/
run: $(VENV)/.installed-run
	LEADSHIFT_LOCAL=$${LEADSHIFT_LOCAL:-1} $(BIN)/leadshift serve --host $(HOST) --port $(PORT)

## make test: system packages (chromium, postgresql), lint, types, then every test on SQLite and PostgreSQL
test: $(VENV)/.installed-test
	scripts/system-deps.sh
	scripts/test.sh

## make bench: every benchmark in benchmarks/, each printing its figures beside its baseline
bench: $(VENV)/.installed-test
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b $(BENCH_ARGS); done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

demo: $(VENV)/.installed-run
	$(BIN)/leadshift demo

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache test-artifacts
