# One command to set up and run the assistant, one to set up and run the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -y -q
HOST ?= 127.0.0.1
PORT ?= 7860
LLAMA_CPP_VERSION ?= 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: run test lint setup index browser eval bench clean-index

$(BIN)/assistant: pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# torch first, pinned: 2.13.0 is the CPU build on this machine's disk (a bare `torch` pulls CUDA, GBs).
	$(BIN)/pip install torch==2.13.0
	# llama.cpp compiled for this CPU's every instruction set (GGML_NATIVE) crashes on any prompt of more than one
	# token on AVX-512 FP16 machines like this one: it is built for AVX2 (x86-64 CPUs from 2013 on, bar low-end
	# Pentium/Celeron), never from pip's cache, which may hold a native build, and over one a .venv already has.
	CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' $(BIN)/pip install --no-cache-dir --force-reinstall --no-deps \
		'llama-cpp-python==$(LLAMA_CPP_VERSION)'
	$(BIN)/pip install 'llama-cpp-python[server]==$(LLAMA_CPP_VERSION)'
	$(BIN)/pip install -e '.[dev]'
	$(BIN)/pip check
	# The int8 ONNX export of the shipped embedding model, made here once (else on first use); nothing downloaded.
	$(BIN)/python -m assistant.embeddings
	touch $(BIN)/assistant

setup: $(BIN)/assistant

index: setup
	$(BIN)/assistant ingest

# The main job: the chat UI on the bundled corpus with the embedded model, on http://$(HOST):$(PORT).
run: index
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || { $(APT) install chromium || { $(APT) update && $(APT) install chromium; }; }

# Lint and types first: they take seconds and fail fast.
lint: setup
	$(BIN)/ruff check assistant tests
	$(BIN)/ruff format --check assistant tests
	$(BIN)/mypy

test: setup browser lint
	$(BIN)/python -m pytest -q

eval: index
	$(BIN)/assistant eval

bench: index
	$(BIN)/assistant bench

clean-index:
	rm -rf index/chroma index/lexical-* index/manifest.json
