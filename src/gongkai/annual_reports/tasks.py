"""Celery tasks of the annual reports (年度报告)."""

from __future__ import annotations

from celery import shared_task

from gongkai.config.celery import app as _app  # noqa: F401 -- the app exists before its tasks


@shared_task(name="gongkai.annual_reports.tasks.prerender_version", ignore_result=True)
def prerender_version(version_id: int) -> None:
    """Render and store every rendition of a just-published report version."""
    from .services.renditions import prerender

    prerender(version_id)
