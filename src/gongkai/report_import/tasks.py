"""Celery tasks of the report import (年报导入)."""

from __future__ import annotations

from celery import shared_task

from .batch import process_items


@shared_task(name="gongkai.report_import.tasks.process_chunk", acks_late=True, ignore_result=True)
def process_chunk(item_ids: list[int]) -> dict[str, int]:
    """Parse and save one chunk of batch items; idempotent (items done are skipped, content
    already imported links to the existing report), so redelivery after a crash is harmless."""
    return process_items(item_ids)
