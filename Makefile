# Maillage: two commands. `make run` (SQLite, demo data, http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test lint db demo reminders clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 ou plus récent est nécessaire"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

db: $(STAMP)
	MAILLAGE_ENV=development $(BIN)/flask db upgrade
	MAILLAGE_ENV=development $(BIN)/flask referentials load

run: db
	MAILLAGE_ENV=development $(BIN)/flask demo seed
	@echo "Maillage démarre sur http://127.0.0.1:5000 (Ctrl+C pour arrêter)"
	MAILLAGE_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

reminders: $(STAMP)
	MAILLAGE_ENV=development $(BIN)/flask reminders run

bench: $(STAMP)
	$(BIN)/python bench/autocomplete.py

clean:
	rm -rf $(VENV) instance .pytest_cache
