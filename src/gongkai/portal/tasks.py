"""Celery tasks of the public portal (公众门户)."""

from __future__ import annotations

from celery import shared_task

from gongkai.config.celery import app as _app  # noqa: F401 -- the app exists before its tasks


@shared_task(name="gongkai.portal.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    """Delete expired sessions (tracking sessions expire after GONGKAI_TRACKING_SESSION_SECONDS)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
