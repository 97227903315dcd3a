# Everything a developer or CI runs. `make run` and `make test` need nothing
# but Python 3.13 (pyenv's, via .python-version) on the machine.

PYTHON ?= python3
UV = $(PYTHON) -m uv
BIN = .venv/bin
MANAGE = $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The test run and the debug server share a throw-away key; production must
# set DJANGO_SECRET_KEY (settings refuse to start without it).
# live_server builds its middleware before per-test settings apply, so the
# HTTPS redirect is turned off from the environment.
# DJANGO_BENCH=1 installs the benchmark app, so its tests and migrations are checked too.
TEST_ENV = DJANGO_ALLOW_DEVELOPMENT_KEY=1 DJANGO_ALLOW_ASYNC_UNSAFE=true DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_BENCH=1
SERVE_KEY = .serve-secret-key

.PHONY: install install-checks run test lint format test-sqlite test-postgres test-browser serve check-deploy clean bench lighthouse search-eval scan-eval scan-bench

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

# What the browser suite and `make lighthouse` check pages with (axe-core,
# the Nu HTML checker, Lighthouse), from package-lock.json. Their install
# scripts are skipped: the checker runs on the machine's Java.
install-checks: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

run: install
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input
	DJANGO_DEBUG=1 $(MANAGE) load_catalog
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	@echo
	@echo "  stackshare is starting at http://$(HOST):$(PORT)/"
	@echo "  back office: http://$(HOST):$(PORT)/admin/ (staff login printed above; it asks staff to set up two-factor authentication first)"
	@echo
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

test: install lint test-sqlite test-postgres test-browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djade --target-version 6.1 --check $$(git ls-files 'templates/*.html' '*/templates/*.html')
	$(TEST_ENV) $(BIN)/mypy
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djade --target-version 6.1 $$(git ls-files 'templates/*.html' '*/templates/*.html')
	$(BIN)/django-upgrade --target-version 6.1 $$(git ls-files '*.py')

# The production settings must pass Django's deployment checks untouched.
check-deploy: install
	DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=stackshare.example EMAIL_HOST=smtp.stackshare.example REDIS_URL=redis://127.0.0.1:6379/0 \
	$(MANAGE) check --deploy --fail-level WARNING

# The suites run on every core (pytest-xdist); a module that builds one
# shared database for its tests keeps them on one worker (xdist_group).
PARALLEL = -n auto --dist loadgroup

test-sqlite: install
	$(TEST_ENV) $(BIN)/pytest -m "not browser" -q $(PARALLEL)

test-postgres: install
	@$(TEST_ENV) $(PYTHON) scripts/with_postgres.py -- $(BIN)/pytest -m "not browser" -q $(PARALLEL); \
	status=$$?; \
	if [ $$status -eq 3 ] && [ "$$CI" != "true" ]; then \
		echo; echo "!!! PostgreSQL server binaries not found: the PostgreSQL suite was SKIPPED (CI=true makes this an error)"; echo; \
	else exit $$status; fi

test-browser: install install-checks
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ] && [ "$$CI" != "true" ]; then \
		echo; echo "!!! Chromium not found at $${CHROMIUM_PATH:-/usr/bin/chromium}: browser tests were SKIPPED (CI=true makes this an error)"; echo; \
	else $(TEST_ENV) $(BIN)/pytest -m browser -q -p no:randomly; fi

# As in production: gunicorn, whitenoise with compressed hashed files, debug
# off. Plain HTTP on 127.0.0.1, so only the HTTPS redirect is turned off.
serve: install $(SERVE_KEY)
	DJANGO_SECRET_KEY=$$(cat $(SERVE_KEY)) $(MANAGE) collectstatic --no-input -v0
	DJANGO_SECRET_KEY=$$(cat $(SERVE_KEY)) $(MANAGE) migrate --no-input
	DJANGO_SECRET_KEY=$$(cat $(SERVE_KEY)) $(MANAGE) export_open_data --schedule
	@echo "  stackshare (production mode) at http://$(HOST):$(PORT)/, with a task worker"
	@export DJANGO_SECRET_KEY=$$(cat $(SERVE_KEY)) DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SERVE_MEDIA=1; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn stackshare.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT)

# The site at scale on PostgreSQL, measured with wrk (see README, "Benchmark").
# Needs wrk and redis-server (apt-get install redis-server wrk); not part of
# `make test`. It runs with DJANGO_BENCH=1 (the bench app installed); data and logs
# stay in .bench/ (git-ignored), results in bench/results.json.
SCALE ?= 1
DURATION ?= 10
bench: install
	$(BIN)/python scripts/run_bench.py --scale $(SCALE) --duration $(DURATION) $(BENCH_ARGS)

# Lighthouse's accessibility and performance scores of the main pages, on the
# demo site served as in production (not part of `make test`).
# Search and autocomplete accuracy on the hand-judged queries, on a fresh
# SQLite database and a throw-away PostgreSQL; writes search-eval.json.
search-eval: install
	$(PYTHON) scripts/search_eval.py

lighthouse: install install-checks
	$(BIN)/python scripts/lighthouse.py

$(SERVE_KEY):
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

clean:
	rm -rf .venv node_modules staticfiles .pytest_cache

# Recall and precision of the scanner and the import on real repositories
# (scanner/tests/data/repos), against a fresh database holding the catalog.
SCAN_EVAL_DB = /tmp/stackshare-scan-eval.sqlite3
scan-eval: install
	rm -f $(SCAN_EVAL_DB)
	$(TEST_ENV) DATABASE_URL=sqlite:///$(SCAN_EVAL_DB) $(MANAGE) migrate --no-input -v 0
	$(TEST_ENV) DATABASE_URL=sqlite:///$(SCAN_EVAL_DB) $(MANAGE) load_catalog -v 0
	$(TEST_ENV) DATABASE_URL=sqlite:///$(SCAN_EVAL_DB) $(MANAGE) scan_eval

# 10,000 files scanned on one core (a figure, not a test).
scan-bench: install
	$(BIN)/python bench/scan_speed.py
