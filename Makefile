PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test venv clean bench

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/raqib analyze --format text raqib/data/examples/enab-baladi-2019-11-26.txt --published 2019-11-26

test: $(STAMP)
	bash scripts/pg_test_cluster.sh run $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/throughput.py $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info
