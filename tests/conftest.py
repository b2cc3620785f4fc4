"""Shared pytest fixtures.

Tests run against PostgreSQL when ``DATABASE_URL`` is set (CI, ``make test``), else SQLite.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("GONGKAI_RATELIMIT", "0")
