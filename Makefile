# Account KB — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
# make test runs the suite on one pytest-xdist worker per core, a test file per worker at a time
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile
FLASK  := $(BIN)/flask --app wsgi

.PHONY: setup run test test-postgres ci translations extract-messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -d kb/translations

# Byte-compiled once here: the servers and CLI commands the tests start then import in a second, also where
# PYTHONDONTWRITEBYTECODE is set (as on CI's machine), which would have them compile every module each time.
setup: $(VENV)/.installed translations
	$(BIN)/python -m compileall -q kb models views wsgi.py

## make run: set up, migrate instance/kb.sqlite3, load demo data once, serve on 127.0.0.1:$(PORT)
run: setup
	$(FLASK) kb init
	$(FLASK) kb demo --if-empty
	@echo "Account KB on http://127.0.0.1:$(PORT)/  (demo logins: see README.md)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --limit-request-line 8190 --access-logfile - wsgi:app

## make test: set up and run the whole suite (SQLite; PostgreSQL too when KB_TEST_DATABASE_URL is set)
test: setup
	$(PYTEST) $(PYTEST_ARGS)

## make test-postgres: the suite against a throwaway PostgreSQL server (needs PostgreSQL's server binaries)
test-postgres: setup
	@dir=$$(mktemp -d /tmp/kb-pg.XXXXXX); trap '.ci/postgres.sh stop "$$dir"' EXIT; \
	url=$$(.ci/postgres.sh start "$$dir") || exit 1; \
	KB_TEST_DATABASE_URL="$$url" $(PYTEST) $(PYTEST_ARGS)

## make ci: what CI runs: system packages if missing, then the suite on SQLite and on PostgreSQL
ci:
	bash .ci/run

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k operation -o kb/translations/messages.pot .
	$(BIN)/pybabel update -i kb/translations/messages.pot -d kb/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
