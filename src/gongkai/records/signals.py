"""``record_changed``: sent after every lifecycle transition and every edit of a record commits.

Keyword arguments: ``sender`` (:class:`~gongkai.records.models.Record`), ``record`` (the saved
instance), ``action`` (the event's action, e.g. ``publish``, ``edit``, ``import``). Sent from
``transaction.on_commit``, so receivers (the search indexer) never see rolled-back data.
Bulk paths (demo loader, data migration) send ``record_changed`` with ``record=None`` and
``record_ids`` (a list) instead.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

record_changed = Signal()


def send_after_commit(record, action: str) -> None:
    from .models import Record

    transaction.on_commit(lambda: record_changed.send(sender=Record, record=record, action=action))


def send_bulk_after_commit(record_ids: list[int], action: str) -> None:
    from .models import Record

    ids = list(record_ids)
    transaction.on_commit(
        lambda: record_changed.send(sender=Record, record=None, record_ids=ids, action=action)
    )
