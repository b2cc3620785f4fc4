"""Tracking numbers (受理编号): gap-free and race-free per agency and year.

The serial comes from one :class:`TrackingCounter` row per (agency, year):

1. the row is created race-free with ``INSERT … ON CONFLICT DO NOTHING`` (``bulk_create`` with
   ``ignore_conflicts``) — two first submissions of a year cannot both create it;
2. the row is locked with ``SELECT … FOR UPDATE`` and incremented.

The caller must hold a transaction that also creates the application: if that transaction rolls
back, the counter increment rolls back with it, so no number is ever skipped (gap-free), and the
row lock serialises concurrent submissions (no duplicate).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import TrackingCounter


def format_tracking_number(prefix: str, year: int, serial: int) -> str:
    """``丰政依申〔2026〕0123号``."""
    return f"{prefix}〔{year}〕{serial:04d}号"


def next_serial(agency, year: int) -> int:
    """Allocate the next serial of ``agency`` in ``year``; must run inside ``transaction.atomic``."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("next_serial() must be called inside transaction.atomic()")
    counter = TrackingCounter.objects.select_for_update().filter(agency=agency, year=year).first()
    if counter is None:  # first number of the year: create the row race-free, then lock it
        for _attempt in range(3):
            try:
                with transaction.atomic():  # savepoint: a conflict must not poison the outer transaction
                    TrackingCounter.objects.bulk_create(
                        [TrackingCounter(agency=agency, year=year, last_serial=0)], ignore_conflicts=True
                    )
                break
            except IntegrityError:  # backends without ON CONFLICT support
                continue
        counter = TrackingCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def allocate(agency, year: int) -> tuple[int, str]:
    """``(serial, tracking_number)`` for a new application of ``agency`` in ``year``."""
    serial = next_serial(agency, year)
    return serial, format_tracking_number(agency.tracking_prefix, year, serial)
