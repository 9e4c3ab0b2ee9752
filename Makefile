# Arbeidsmarktmonitor NL·BE — every target installs what it is missing first (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.synced-$(shell sha1sum requirements.lock 2>/dev/null | cut -c1-12)
PORT ?= 8050
WORKERS ?= 2
THREADS ?= 8
DB ?= data/labour.sqlite
CHROMIUM := /usr/bin/chromium
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup setup-python setup-browser run test lint refresh bench build bundle status clean

setup: setup-python setup-browser

setup-python: $(STAMP)

# --compile-bytecode: with PYTHONDONTWRITEBYTECODE (above) nothing caches bytecode, so every run would recompile the
# libraries it imports (statsmodels, scipy, pandas: ~3 s of CPU per `etl build`); compiled once here instead.
$(STAMP): requirements.lock pyproject.toml Makefile
	@PYBIN=$$(command -v python3.11 || command -v python3); \
	  $$PYBIN -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	  || { echo "error: Python 3.11 is required (found $$($$PYBIN --version 2>&1))"; exit 1; }; \
	  [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	@[ -x $(VENV)/bin/uv ] || $(VENV)/bin/pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	@rm -f $(VENV)/.synced-* && touch $@

setup-browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if command -v apt-get >/dev/null; then \
	    SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	    echo "installing Debian's chromium for browser tests"; \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "warning: $(CHROMIUM) missing and no apt-get: browser tests will fail"; fi; \
	fi

build: setup-python
	$(PY) -m etl build --db $(DB)

# Rebuilds first when the database was built from another bundle, other definitions or other code (its build id).
# Threaded workers: a client reading a download slowly holds one of WORKERS x THREADS threads, not a whole worker.
# The hooks store every page's first view in the shared answer cache before the workers start (dashboard/warm.py).
run: setup
	$(PY) -m etl build --if-stale --db $(DB)
	@echo "serving the dashboard at http://127.0.0.1:$(PORT)"
	$(VENV)/bin/gunicorn --no-control-socket --config python:dashboard.gunicorn_hooks \
	  --worker-class gthread --workers $(WORKERS) --threads $(THREADS) \
	  --bind 127.0.0.1:$(PORT) --access-logfile - --env ARBEIDSMARKT_DB=$(abspath $(DB)) 'dashboard.wsgi:server'

lint: setup-python
	$(VENV)/bin/ruff check etl dashboard tests bench

test: setup lint
	$(PY) -m pytest

# A refresh that stored anything exits 1 when another source failed; either way a running server's first visitors
# find the (possibly new) data version's pages stored, and the refresh's own exit code is kept.
refresh: setup-python
	$(PY) -m etl refresh --db $(DB); status=$$?; $(PY) -m dashboard.warm --db $(DB) || true; exit $$status

status: setup-python
	$(PY) -m etl status --db $(DB)

bundle: setup-python
	$(PY) -m etl bundle

bench: setup-python setup-browser
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r bench/requirements.lock
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
