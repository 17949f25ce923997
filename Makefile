# Two entry points, both from a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := src/byline/data/sample
DEMO_DB := $(VENV)/demo.db
DEMO_SITE := $(VENV)/demo-site
PORT ?= 8000

.PHONY: setup demo test lint browser clean

$(BIN)/byline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/byline

setup: $(BIN)/byline

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/byline --db $(DEMO_DB) import $(SAMPLE)
	$(BIN)/byline --db $(DEMO_DB) posts
	$(BIN)/byline --db $(DEMO_DB) build --out $(DEMO_SITE)
	$(BIN)/byline --db $(DEMO_DB) serve --out $(DEMO_SITE) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Debian's Chromium for tests/test_browser.py (Playwright never downloads a browser here).
browser:
	@[ -x /usr/bin/chromium ] || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || echo "chromium not installed: browser tests will skip (install Debian's chromium)"

test: lint browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
