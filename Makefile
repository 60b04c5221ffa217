# Two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test eval bench clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (or run: make PYTHON=python3 ...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/mscmine extract corpus -o out/records.csv
	$(VENV)/bin/mscmine summarize out/records.csv

test: $(STAMP)
	$(PY) -m pytest

eval: $(STAMP)
	$(VENV)/bin/mscmine eval

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
