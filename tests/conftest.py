"""Shared pytest fixtures.

Tests run against PostgreSQL when ``DATABASE_URL`` is set (CI, ``make test``), else SQLite.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("GONGKAI_RATELIMIT", "0")


import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _celery_eager_in_tests():
    """pytest-django imports the settings before this file sets the environment above, so apply
    it explicitly: Celery eager (otherwise .delay() goes to the real Redis broker) and the portal's
    rate limit off (tests that check the limit turn it on with override_settings)."""
    from django.conf import settings

    from gongkai.config.celery import app

    eager = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "").lower() in {"1", "true", "yes", "on"}
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = True
    settings.RATELIMIT_ENABLE = os.environ.get("GONGKAI_RATELIMIT", "").lower() in {"1", "true", "yes", "on"}
    yield
