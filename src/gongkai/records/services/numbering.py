"""索引号 (index numbers): gap-free and race-free per agency and year, like tracking numbers.

The serial comes from one :class:`~gongkai.records.models.IndexCounter` row per (agency, year),
created race-free (``INSERT … ON CONFLICT DO NOTHING``) and then locked (``SELECT … FOR UPDATE``)
and incremented inside the publishing transaction: a rolled-back publication rolls back its
increment (no gap), and the row lock serialises concurrent publications (no duplicate).
The format is the setting ``GONGKAI_RECORD_INDEX_PATTERN`` (default
``{issuer_code}/{year}-{serial:05d}``, as gov.cn prints ``000014349/2017-00110``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from gongkai.core.record_lifecycle import DEFAULT_INDEX_PATTERN, format_index_number

from ..models import IndexCounter, IssuerCode


def issuer_code(agency) -> str:
    """The agency's 索引号 code (admin → 索引号机关代码), else its id zero-padded to 9 digits."""
    code = IssuerCode.objects.filter(agency=agency).values_list("code", flat=True).first()
    return code or f"{agency.pk:09d}"


def next_serial(agency, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_serial() must be called inside transaction.atomic()")
    counter = IndexCounter.objects.select_for_update().filter(agency=agency, year=year).first()
    if counter is None:
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    IndexCounter.objects.bulk_create(
                        [IndexCounter(agency=agency, year=year, last_serial=0)], ignore_conflicts=True
                    )
                break
            except IntegrityError:  # backends without ON CONFLICT support
                continue
        counter = IndexCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def allocate(agency, year: int) -> tuple[int, str]:
    """``(serial, index_number)`` for the next publication of ``agency`` in ``year``."""
    serial = next_serial(agency, year)
    pattern = getattr(settings, "GONGKAI_RECORD_INDEX_PATTERN", DEFAULT_INDEX_PATTERN)
    return serial, format_index_number(pattern, issuer_code(agency), year, serial)
