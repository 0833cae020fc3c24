PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck unit fuzz bench bench-instructions chaos clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/aevon up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

test: lint typecheck
	$(BIN)/pytest -q

fuzz: $(STAMP)
	AEVON_FUZZ_EXAMPLES=300 AEVON_FUZZ_SEED=$$RANDOM $(BIN)/pytest tests/e2e/test_fuzz.py -q

bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py

bench-instructions: $(STAMP)
	command -v valgrind >/dev/null || (apt-get update -qq && apt-get install -y -qq valgrind)
	$(BIN)/python bench/instructions.py

chaos: $(STAMP)
	$(BIN)/python -m tests.chaos.suite --seconds 12 --nats-down 15

clean:
	rm -rf $(VENV) .aevon .pytest_cache .mypy_cache .ruff_cache
