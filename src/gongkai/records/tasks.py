"""Celery tasks of records (政府信息记录)."""

from __future__ import annotations

from celery import shared_task

from gongkai.config.celery import app as _app  # noqa: F401 -- the app exists before its tasks


@shared_task(name="gongkai.records.tasks.extract_attachment_text", acks_late=True, ignore_result=True)
def extract_attachment_text(attachment_id: int) -> str:
    """Text of one attachment for search (limited child process); idempotent."""
    from .services.attachments import extract

    return extract(attachment_id)


@shared_task(name="gongkai.records.tasks.import_documents_chunk", acks_late=True, ignore_result=True)
def import_documents_chunk(
    path: str, start: int, stop: int, agency_id: int | None = None, fetch_remote: bool = False
) -> dict:
    """One chunk (``start:stop``) of ``gongkai import-documents --async``; idempotent (re-running
    updates the same records)."""
    import logging
    from pathlib import Path

    from gongkai.agencies.models import Agency

    from . import importer

    items, kind = importer.collect(Path(path), start, stop)
    default = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    counts = importer.run(
        items,
        default_agency=default,
        source=f"{kind}:{Path(path).name}",
        base=importer.base_of(Path(path)),
        fetch_remote=fetch_remote,
    )
    logging.getLogger(__name__).info(
        "import-documents %s [%s:%s]: %s; errors: %s",
        path,
        start,
        stop,
        counts,
        [(i.source_key, i.errors) for i in items if i.errors],
    )
    return counts
