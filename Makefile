# KIS developer commands. `make help` lists them.
# The two that matter: `make run` (set up and serve) and `make test` (set up and test).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
NODE_DIR := theme/static_src
CSS := theme/static/css/dist/styles.css
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=

# First Python >= 3.12 on PATH (pyenv's .python-version selects 3.13 here).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

CSS_SOURCES := $(NODE_DIR)/src/styles.css $(shell find templates apps common static/js -type f \
	\( -name '*.html' -o -name '*.py' -o -name '*.js' \) -not -path '*/tests/*' 2>/dev/null)

.PHONY: help setup run test e2e chromium java lint fmt migrate shell css superuser worker bench clean app

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  \033[1mmake %-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------- setup (each step skipped when done)
$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12+ is required (none found on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ with npm is required to build the CSS."; exit 1; }
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS): $(NODE_DIR)/node_modules/.installed $(CSS_SOURCES)
	cd $(NODE_DIR) && npm run --silent build
	@touch $@

setup: $(VENV)/.installed $(CSS) ## Install Python and npm packages, build the CSS

css: $(NODE_DIR)/node_modules/.installed ## Rebuild the Tailwind CSS
	cd $(NODE_DIR) && npm run --silent build

migrate: $(VENV)/.installed ## Apply database migrations
	$(MANAGE) migrate --noinput

# ---------------------------------------------------------------- the two commands
run: setup migrate ## Set up and serve on http://127.0.0.1:$(PORT) (SQLite by default)
	$(MANAGE) seed_demo
	PORT=$(PORT) scripts/dev

test: setup chromium java ## Set up and run the whole suite (unit, integration, e2e in Chromium)
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered $(PYTEST_ARGS)

# ---------------------------------------------------------------- everyday tasks
e2e: setup chromium ## Run only the browser (Playwright) tests
	$(BIN)/pytest e2e $(PYTEST_ARGS)

# Found ($CHROMIUM_PATH, system chromium/chrome, Playwright's) or installed: Playwright's
# download, else apt-get as root / with passwordless sudo, else instructions (exit 1).
chromium: $(VENV)/.installed ## Find or install Chromium for the browser tests
	@$(BIN)/python e2e/chromium.py --install

# Java runs the HTML checker (vnu.jar from npm's vnu-jar) in tests/test_html_valid.py.
# Found on PATH, else Debian's default-jre-headless with apt-get as root / with passwordless
# sudo, else a note: that test then skips, the rest of the suite runs.
java: ## Find or install Java for the HTML validity test
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	  else sudo=no; fi; \
	  if [ "$$sudo" != no ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "No java found; installing default-jre-headless with apt-get."; \
	    $$sudo apt-get update -qq || true; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless \
	      >/dev/null || echo "apt-get failed; tests/test_html_valid.py will skip."; \
	  else \
	    echo "No java: tests/test_html_valid.py will skip (apt-get install default-jre-headless)."; \
	  fi; }

lint: $(VENV)/.installed ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

fmt: $(VENV)/.installed ## Format and auto-fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

shell: $(VENV)/.installed ## Django shell
	$(MANAGE) shell

superuser: migrate ## Create an admin user
	$(MANAGE) createsuperuser

app: $(VENV)/.installed ## Create a new app from scripts/app_template: make app NAME=things
	@test -n "$(NAME)" || { echo "Usage: make app NAME=things"; exit 2; }
	$(BIN)/python scripts/make_app.py $(NAME)

worker: migrate ## Run the background task worker alone
	$(MANAGE) db_worker

bench: setup ## Benchmark the contacts list under gunicorn + wrk (DATABASE_URL=postgres://... recommended)
	scripts/bench $(BENCH_ARGS)

.PHONY: bench-export
bench-export: setup ## Measure the data export's memory and time at 200k contacts (BENCH_ARGS="--count N")
	scripts/bench-export $(BENCH_ARGS)

clean: ## Remove the virtualenv, node_modules and built CSS (keeps the database)
	rm -rf $(VENV) $(NODE_DIR)/node_modules theme/static/css/dist staticfiles

# ---------------------------------------------------------------- production
.PHONY: loadtest image-check
LOADTEST_ARGS ?=

loadtest: setup ## Load-test gunicorn + production settings on 127.0.0.1 (LOADTEST_ARGS="--duration 60")
	$(BIN)/python scripts/loadtest $(LOADTEST_ARGS)

image-check: $(VENV)/.installed ## The Docker image's build steps without Docker (CSS, collectstatic, compose)
	scripts/build-css
	DJANGO_STATIC_ROOT=$$(mktemp -d) scripts/collectstatic
	$(BIN)/pytest tests/test_container.py -q
