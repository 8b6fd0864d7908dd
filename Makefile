# bmp_comms: `make run` serves the demo, `make test` runs every test. Both set themselves up.
PYTHON_BIN ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCALE ?= all
# The port `make run` serves on: `make run PORT=8100`.
PORT ?= 8000

.PHONY: run test bench lint format messages setup worker beat clean

$(PY):
	$(PYTHON_BIN) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) messages

# Vietnamese catalogue: one part per area in locale/parts/, merged and compiled here.
messages: $(STAMP)
	$(PY) bin/build_locale.py

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PORT=$(PORT) bin/run-embedded

# Two processes, one a core: the suite takes about 11 minutes on PostgreSQL instead of 19.
TEST_WORKERS ?= 2

test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The figures at scale, then the load run (gunicorn with the production settings, locust).
bench: setup
	$(PY) -m bench.run --scale $(SCALE)
	$(PY) -m bench.load --scale province

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) bin/check_file_sizes.py

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/broker var/test-media staticfiles
