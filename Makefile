# Two commands do all set-up on a fresh Debian/Ubuntu machine with Python 3.11 and Node.js:
#   make run    install, migrate, load demo data and serve http://127.0.0.1:8000 (SQLite, no Redis)
#   make test   install and run the whole suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install assets run test test-fast lint format lock check-deploy clean

help:
	@echo "make run    - install, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   - install and run the whole test suite (lint included)"
	@echo "make test-fast - the suite without browser tests"
	@echo "make lint   - ruff lint and format check, and the layers contract; make format - fix what ruff can"
	@echo "make assets - build the front end into static/dist"
	@echo "make check-deploy - Django's deployment checklist under production settings"
	@echo "make lock   - re-pin requirements/constraints.txt from pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when the declared or pinned dependencies change. setuptools' note on every editable install
# (the repository is on the import path: that is the point) is left out by its message; any other warning shows.
$(VENV)/.installed: $(PY) pyproject.toml requirements/constraints.txt
	PYTHONWARNINGS="ignore:Editable installation:UserWarning" \
	  $(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	@touch $@

# npm's errors still show (standard error); its "added N packages" summary does not.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

# Third-party front end is installed from npm and built into static/dist (never committed).
static/dist/.built: node_modules/.installed $(wildcard static/src/*)
	bash scripts/build-assets.sh
	@touch $@

install: $(VENV)/.installed
assets: static/dist/.built

# Links in the demo's emails lead to the port served (make run PORT=8123), unless SITE_URL says otherwise.
run: export SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: install assets
	$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) manage.py seed_demo > $(VENV)/demo-seed.txt
	@# No beat without Redis: one anti-drift scan now, so the demo's drifting cases show their reminders. Every
	@# email of the demo, these included, is a file in var/mail/ (settings/dev.py), never printed here.
	@$(PY) manage.py scan_drift > $(VENV)/demo-scan.log 2>&1 || { cat $(VENV)/demo-scan.log; exit 1; }
	@echo "Anti-drift scan: $$(tail -1 $(VENV)/demo-scan.log)"
	@sed -n '/^Demo data ready/p' $(VENV)/demo-seed.txt
	@# runserver, whose start-up lines end with where emails go and the demo logins: the last thing on screen.
	@$(PY) manage.py serve_demo $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist, one test database per worker; see tests/parallel.py).
# TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

test: install assets lint
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Quick local loop: no browser tests.
test-fast: install assets
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The house in layers (pyproject.toml [tool.importlinter]): a backwards import fails the build.
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip freeze --exclude-editable | grep -v '^msp-cases' > requirements/constraints.txt

check-deploy: install
	DJANGO_SETTINGS_MODULE=msp_cases.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DJANGO_ALLOWED_HOSTS=cases.example.org CLAMAV_URL=tcp://clamav:3310 \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules static/dist .pytest_cache
