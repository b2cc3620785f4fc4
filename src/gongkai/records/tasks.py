"""Celery tasks of records (政府信息记录)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.records.tasks.extract_attachment_text", acks_late=True, ignore_result=True)
def extract_attachment_text(attachment_id: int) -> str:
    """Text of one attachment for search (limited child process); idempotent."""
    from .services.attachments import extract

    return extract(attachment_id)
