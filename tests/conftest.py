"""Shared pytest fixtures.

Tests run against PostgreSQL when ``DATABASE_URL`` is set (CI, ``make test``), else SQLite.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("GONGKAI_RATELIMIT", "0")
# Published reports are rendered on first request in tests (eager Celery would render every PDF of
# every publish inline); tests of the pre-rendering turn it on with the settings fixture.
os.environ.setdefault("GONGKAI_PRERENDER_REPORTS", "0")


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
    settings.GONGKAI_PRERENDER_REPORTS = os.environ.get("GONGKAI_PRERENDER_REPORTS", "").lower() in {
        "1",
        "true",
        "yes",
        "on",
    }
    yield


# -- The clock ---------------------------------------------------------------------------------
# Every test runs with the clock pinned (time-machine, ticking from the pinned instant), so the
# suite gives the same result whatever the machine's date. ``GONGKAI_TEST_NOW`` moves the pin:
# `make test` runs the tests marked ``date_sensitive`` again under several pinned dates, one of
# them in a December whose next year has no official holiday calendar yet.
DEFAULT_TEST_NOW = "2026-11-30T10:00:00+08:00"


def pinned_now():
    import datetime as dt

    return dt.datetime.fromisoformat(os.environ.get("GONGKAI_TEST_NOW") or DEFAULT_TEST_NOW)


@pytest.fixture(autouse=True)
def _pinned_clock():
    import time_machine

    with time_machine.travel(pinned_now(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Rows a test rolled back must not reach the next test through the page cache (a rollback
    writes nothing, so it changes no generation): every test starts with new generations."""
    from gongkai.pagecache import generation

    generation.bump_content()
    generation.bump_credentials()
    yield
