# Maillage: two commands. `make run` (SQLite, demo data, http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test lint db demo reminders clean bench bench-http bench-compare

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

# `make run PORT=5001`: the e-mails' links follow the address the server really listens on
HOST ?= 127.0.0.1
PORT ?= 5000
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: db
	MAILLAGE_ENV=development $(BIN)/flask demo seed
	@echo "Maillage démarre sur $(PUBLIC_BASE_URL) (Ctrl+C pour arrêter) ; courriels : console et page « Courriels envoyés »"
	MAILLAGE_ENV=development $(BIN)/flask run --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Pictures of each role's pages (desktop and phone) in docs/screens/, from the demo data; needs Chromium.
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .

reminders: $(STAMP)
	MAILLAGE_ENV=development $(BIN)/flask reminders run

bench: $(STAMP)
	$(BIN)/python bench/autocomplete.py

# The benchmark over HTTP (PostgreSQL, gunicorn 2 workers): `make bench-http BENCH_SCALE=small|large`
# generates the dataset in its own database, then prints the table and keeps it in bench/<scale>.json.
BENCH_SCALE ?= small
BENCH_DB ?= maillage_bench_$(BENCH_SCALE)
BENCH_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432
bench-http: $(STAMP)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) $(BIN)/python bench/generate.py --scale $(BENCH_SCALE)
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) $(BIN)/python bench/run.py --scale $(BENCH_SCALE) -n 40 --rounds 3 \
		--json bench/$(BENCH_SCALE).json

bench-compare: $(STAMP)
	$(BIN)/python bench/run.py --compare bench/small.json bench/large.json

clean:
	rm -rf $(VENV) instance .pytest_cache
