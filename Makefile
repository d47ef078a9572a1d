# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
CATALOG := translations/zh/LC_MESSAGES/messages

.PHONY: run test install lint translations compile-translations bench bench-leaderboard editor-bundle clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(CATALOG).mo: $(CATALOG).po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages --statistics

compile-translations: $(CATALOG).mo

## run: migrate the SQLite database, import the shipped content, seed the demo once, serve on :5000
run: $(STAMP) compile-translations
	$(BIN)/drill db upgrade
	$(BIN)/drill import content
	$(BIN)/drill demo --if-empty
	$(BIN)/drill run --host 127.0.0.1 --port $(PORT)

## test: the whole suite (SQLite; PostgreSQL too when DRILL_TEST_DATABASE_URL is set)
test: $(STAMP) compile-translations
	$(BIN)/ruff check drill tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n 2 --dist worksteal -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check drill tests bench
	$(BIN)/lint-imports

## translations: extract messages and merge them into the zh_CN catalogue (then translate the new ones)
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l -o translations/messages.pot --no-location --sort-output --project drill drill templates
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations -D messages --statistics

## bench: the answer-save load test against a floor (bench/README.md); bench-leaderboard: issue 7's board test
bench: $(STAMP)
	$(BIN)/python -m bench.drills_load

bench-leaderboard: $(STAMP)
	$(BIN)/python -m bench.leaderboard_load

## editor-bundle: rebuild drill/static/vendor/editor.bundle.js (CodeMirror 6) from frontend/; needs node and npm,
## the app itself does not (the bundle is committed)
editor-bundle:
	cd frontend && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
