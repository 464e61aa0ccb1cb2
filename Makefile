# The two set-up commands of README.md. Everything else here supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/inspections

.PHONY: run test venv deps test-deps messages bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

# Run the app with demo data on embedded defaults: SQLite, tasks in-process, emails to files.
run: $(VENV)/.deps
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/python manage.py migrate --no-input -v0
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/python manage.py load_demo
	@echo "Serving http://127.0.0.1:8000 (emails are written to sent_emails/; reminders run every 15 minutes)"
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/python manage.py run_periodic & \
	periodic=$$!; trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/python manage.py runserver 127.0.0.1:8000

# Run the whole suite. Uses PostgreSQL and Redis on 127.0.0.1 when they answer;
# REQUIRE_SERVICES=1 (set by .ci/run) fails the run when they or chromium are missing.
test: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		echo "Tests use PostgreSQL at 127.0.0.1:5432"; \
		DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS); \
	else \
		echo "PostgreSQL is not answering: tests use SQLite"; \
		$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS); \
	fi

# Recompile the Welsh catalogue after editing locale/cy/LC_MESSAGES/django.po.
messages: $(VENV)/.deps
	$(BIN)/python manage.py makemessages -l cy --no-obsolete --ignore=.venv --ignore=frontend --ignore=staticfiles
	$(BIN)/python manage.py compilemessages -l cy --ignore=.venv

bench: $(VENV)/.test-deps
	$(BIN)/python bench/run_all.py
