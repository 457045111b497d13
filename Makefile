# One command to set up and run the assistant, one to set up and run the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup index clean-index

$(BIN)/assistant: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# torch first, pinned: 2.13.0 is the CPU build on this machine's disk (a bare `torch` pulls CUDA, GBs).
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev]'
	$(BIN)/pip check
	touch $(BIN)/assistant

setup: $(BIN)/assistant

index: setup
	$(BIN)/assistant ingest

run: index
	$(BIN)/assistant ask "Does Cigna cover 0581T?"

test: setup
	$(BIN)/python -m pytest -q

clean-index:
	rm -rf index/chroma index/lexical-* index/manifest.json
