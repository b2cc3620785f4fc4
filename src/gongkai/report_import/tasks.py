"""Celery tasks of the report import (年报导入)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready

from gongkai.config.celery import app as _app  # noqa: F401 -- the app exists before its tasks

from .batch import process_items, recover_stale

log = logging.getLogger(__name__)


@shared_task(name="gongkai.report_import.tasks.process_chunk", acks_late=True, ignore_result=True)
def process_chunk(item_ids: list[int]) -> dict[str, int]:
    """Parse and save one chunk of batch items; idempotent (items done are skipped, content
    already imported links to the existing report), so redelivery after a crash is harmless."""
    return process_items(item_ids)


@worker_ready.connect
def recover_on_worker_start(**_kwargs) -> None:
    """A starting worker queues again the items that a dead worker left pending."""
    try:
        recover_stale()
    except Exception:  # a recovery problem must not stop the worker from starting
        log.exception("report import: recovery of stale items failed")
