PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= raqib.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo analyze-demo test venv clean bench browser-deps screenshots load

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# the bundled examples into $(DB), clustered, with demo accounts (passwords printed), then the workbench
demo: $(STAMP)
	$(BIN)/raqib analyze --format text raqib/data/examples/enab-baladi-2019-11-26.txt --published 2019-11-26
	$(BIN)/python -m raqib.web.demo --db $(DB)
	$(BIN)/raqib serve --db $(DB) --host $(HOST) --port $(PORT)

analyze-demo: $(STAMP)
	$(BIN)/raqib analyze --format text raqib/data/examples/enab-baladi-2019-11-26.txt --published 2019-11-26

# Debian's Chromium for the browser tests and screenshots (Playwright drives it; no browser download)
browser-deps:
	@test -x /usr/bin/chromium || (apt-get install -y -q chromium >/dev/null || \
	  (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) || \
	  echo "could not install chromium: the browser tests will fail" >&2

test: $(STAMP) browser-deps
	bash scripts/pg_test_cluster.sh run $(BIN)/python -m pytest -q

screenshots: $(STAMP) browser-deps
	$(BIN)/python scripts/screenshots.py --out screenshots

# load test of the workbench over a store (STORE=path/to/raqib.db); wrk from Debian
load: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
	$(BIN)/python bench/load.py $(STORE)

bench: $(STAMP)
	$(BIN)/python bench/throughput.py $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info
