# One command to serve, one to test; each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test lint openapi migration clean security fuzz

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps: requirements/base.txt requirements/dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

## serve: install, migrate, load content, and serve the API on SQLite with the reminder scheduler beside it
serve: $(VENV)/.deps
	$(FLASK) setup
	@$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: install and run the whole suite (on DATABASE_URL when set, SQLite otherwise)
test: $(VENV)/.deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## openapi: regenerate the committed spec after an API change
openapi: $(VENV)/.deps
	$(FLASK) openapi write --format yaml openapi.yaml

## migration: generate a migration after a model change (review it before committing)
migration: $(VENV)/.deps
	$(FLASK) db migrate -m "$(MSG)"

clean:
	rm -rf $(VENV) instance .pytest_cache

## security: static analysis of the service code, and pip-audit of every pinned dependency (OSV, or its committed snapshot offline)
security: $(VENV)/.deps
	$(BIN)/bandit -q -r companion
	$(BIN)/python tests/security/audit.py requirements/base.txt requirements/dev.txt requirements/bench.txt

## fuzz: Schemathesis against gunicorn as every role (on DATABASE_URL when set, a temp SQLite file otherwise)
fuzz: $(VENV)/.deps
	$(BIN)/python tests/fuzz/run.py --examples $(or $(EXAMPLES),10)
