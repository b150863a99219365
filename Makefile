# Each target creates .venv on first use, with python3 (3.11+), and installs
# the project with every extra the tests and demos need.
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready

.PHONY: demo test lint format bench notebooks playground venv clean

demo: $(READY)
	$(PY) -m demos.moons

test: $(READY)
	$(PY) -m pytest

lint: $(READY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(READY)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(READY)
	$(PY) -m pip install -q "micrograd==0.1.0"
	$(PY) -m bench

# The tutorial's notebooks, from their sources in docs/tutorial/*.py, run and saved with outputs.
notebooks: $(READY)
	$(PY) docs/notebooks.py

venv: $(READY)

# The browser playground as a static site in site/: needs npm (only this target does).
playground: $(READY)
	$(PY) -m autograd.playground.build

$(READY): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[viz,demos,test,dev]"
	touch $(READY)

clean:
	rm -rf $(VENV) out site .pytest_cache .hypothesis
