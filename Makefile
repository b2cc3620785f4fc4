# gongkai — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests: PostgreSQL when DATABASE_URL is set; two xdist workers on a 2-core machine.
PYTEST_ARGS ?= -n 2

# `make test` runs the tests marked date_sensitive again with the clock pinned at each of these
# instants (one in a December whose next year has no official holiday calendar yet).
TEST_DATES ?= 2026-12-20T10:00:00+08:00 2028-02-01T09:30:00+08:00 2030-12-27T16:00:00+08:00
# gongkai has no built-in secret key: local runs use this machine's own, generated on first use
# into var/local-secret-key (git-ignored) unless GONGKAI_SECRET_KEY is set.
LOCAL_KEY = export GONGKAI_SECRET_KEY=$${GONGKAI_SECRET_KEY:-$$(bash scripts/local-secret-key.sh)}
APT_GET = DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 -y -qq

.PHONY: demo test lint bench fuzz roles-check system-deps uv sync serve

# uv (not packaged by Debian 12) from PyPI; Debian's python3 may need pip first.
uv:
	@command -v $(UV) >/dev/null 2>&1 || { \
	  python3 -m pip --version >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $(APT_GET) update && $(APT_GET) install python3-pip; }; \
	  python3 -m pip install --user --quiet uv 2>/dev/null || python3 -m pip install --user --break-system-packages --quiet uv; }

# Debian packages the platform needs: CJK fonts and HarfBuzz subsetting (PDF), poppler (PDF
# text), Chromium (browser tests), PostgreSQL and Redis (production-like services), Tesseract (OCR of
# report tables printed as images; digits are read with its English data, labels come from the schema),
# postgresql-client (pg_dump/pg_restore for gongkai backup/restore), wrk (the load benchmark, `make bench BENCH=load`).
system-deps:
	@missing=""; \
	for p in fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium postgresql postgresql-client redis-server tesseract-ocr wrk; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $(APT_GET) update && $(APT_GET) install $$missing; \
	fi

# Byte-compiled at install, as a deployment would be: the console starts in well under a second
# even where PYTHONDONTWRITEBYTECODE is set (the project's own modules are compiled too).
sync: uv
	$(UV) sync --locked --compile-bytecode
	$(UV) run python -m compileall -q src >/dev/null

# The demo runs like production (DEBUG off, Chinese error pages, static files through WhiteNoise
# as on every app server) except for plain HTTP on 127.0.0.1 (GONGKAI_HTTPS=0).
demo: system-deps sync
	unset DATABASE_URL; export CELERY_TASK_ALWAYS_EAGER=1 GONGKAI_DEBUG=0 GONGKAI_HTTPS=0; $(LOCAL_KEY); \
	export GONGKAI_ALLOWED_HOSTS=$${GONGKAI_ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}; \
	$(UV) run gongkai migrate --noinput && \
	GONGKAI_LOG_LEVEL=WARNING GONGKAI_PRERENDER_REPORTS=0 $(UV) run gongkai load_demo --seed 2026 && \
	$(UV) run gongkai demo_logins --url http://$(HOST):$(PORT) && \
	$(UV) run gongkai runserver $(HOST):$(PORT)

# The suite runs on PostgreSQL: with DATABASE_URL unset, scripts/test-services.sh starts PostgreSQL
# and Redis and creates the test role (Debian's default authentication is fine).
test: system-deps sync lint
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then eval "$$(bash scripts/test-services.sh)"; export DATABASE_URL REDIS_URL; fi; \
	$(UV) run pytest $(PYTEST_ARGS); \
	for now in $(TEST_DATES); do \
	  echo "== tests marked date_sensitive, clock pinned at $$now"; \
	  GONGKAI_TEST_NOW=$$now $(UV) run pytest -q -m date_sensitive -p no:cacheprovider; \
	done

lint: sync
	$(UV) run ruff check src tests benchmarks scripts
	$(UV) run ruff format --check src tests benchmarks scripts

# Benchmarks: the PostgreSQL ones create and drop their own databases on the server DATABASE_URL
# names (default: this machine's). `make bench BENCH="deadlines import"` runs a selection.
bench: system-deps sync
	$(LOCAL_KEY); GONGKAI_HTTPS=0 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(UV) run python -m benchmarks $(BENCH)

# 10,000 malformed files (txt, html, docx, pdf, zip) through the report import, two worker
# processes: prints the outcome counts (0 crashes, 0 pending) and the peak parse memory.
FUZZ_FILES ?= 10000
fuzz: system-deps sync
	$(LOCAL_KEY); GONGKAI_FUZZ_FILES=$(FUZZ_FILES) GONGKAI_FUZZ_WORKERS=2 GONGKAI_FUZZ_TIMEOUT=60 $(UV) run pytest -q -s -p no:cacheprovider \
	  tests/report_import/test_fuzz_import.py::test_malformed_files_never_crash_nor_stay_pending

# Least privilege end to end: owner + app role (gongkai db-roles), migrate as the owner, the demo
# region loaded by the app role (scripts/db-roles-check.sh).
roles-check: system-deps sync
	UV=$(UV) bash scripts/db-roles-check.sh
