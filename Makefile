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

# Re-install only when the declared or pinned dependencies change.
$(VENV)/.installed: $(PY) pyproject.toml requirements/constraints.txt
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Third-party front end is installed from npm and built into static/dist (never committed).
static/dist/.built: node_modules/.installed $(wildcard static/src/*)
	bash scripts/build-assets.sh
	@touch $@

install: $(VENV)/.installed
assets: static/dist/.built

run: install assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo > $(VENV)/demo-seed.txt
	@# No beat without Redis: one anti-drift scan now, so the demo's drifting cases show their reminders. Its
	@# emails go to the console; they are kept in a file so that the output ends with the demo logins.
	@$(PY) manage.py scan_drift > $(VENV)/demo-scan.log 2>&1 || { cat $(VENV)/demo-scan.log; exit 1; }
	@echo "Anti-drift scan: $$(tail -1 $(VENV)/demo-scan.log) (emails in $(VENV)/demo-scan.log)"
	@# Seeding sends the demo's first notifications, printed by the console email backend: the file keeps them,
	@# the output shows the summary and the logins.
	@sed -n '/^Demo data ready/,$$p' $(VENV)/demo-seed.txt
	@$(PY) manage.py runserver $(HOST):$(PORT)

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
