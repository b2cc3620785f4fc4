# gongkai — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests: PostgreSQL when DATABASE_URL is set; two xdist workers on a 2-core machine.
PYTEST_ARGS ?= -n 2

.PHONY: demo test bench system-deps uv sync serve

# uv (not packaged by Debian 12) from PyPI; Debian's python3 may need pip first.
uv:
	@command -v $(UV) >/dev/null 2>&1 || { \
	  python3 -m pip --version >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-pip; }; \
	  python3 -m pip install --user --quiet uv 2>/dev/null || python3 -m pip install --user --break-system-packages --quiet uv; }

# Debian packages the platform needs: CJK fonts and HarfBuzz subsetting (PDF), poppler (PDF
# text), Chromium (browser tests), PostgreSQL and Redis (production-like services).
system-deps:
	@missing=""; \
	for p in fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium postgresql redis-server; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

sync: uv
	$(UV) sync --locked

demo: system-deps sync
	unset DATABASE_URL; export CELERY_TASK_ALWAYS_EAGER=1; \
	$(UV) run gongkai migrate --noinput && \
	GONGKAI_LOG_LEVEL=WARNING $(UV) run gongkai load_demo --seed 2026 && \
	$(UV) run gongkai demo_logins --url http://$(HOST):$(PORT) && \
	$(UV) run gongkai runserver $(HOST):$(PORT)

test: system-deps sync
	$(UV) run pytest $(PYTEST_ARGS)

# Benchmarks: the PostgreSQL ones create and drop their own databases on the server DATABASE_URL
# names (default: this machine's). `make bench BENCH="deadlines import"` runs a selection.
bench: system-deps sync
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(UV) run python -m benchmarks $(BENCH)
