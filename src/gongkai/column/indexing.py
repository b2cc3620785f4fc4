"""Records in the search index: what a disclosed record (政府信息记录) contributes, and the
``record_changed`` receiver that keeps the index current. Only disclosed records (published,
amended, repealed, expired) are searchable; anything else is removed from the index."""

from __future__ import annotations

import logging

from django.urls import reverse

from gongkai.core import record_lifecycle as lc
from gongkai.core.search_text import SearchDocument
from gongkai.search import registry, services

from . import hooks

logger = logging.getLogger(__name__)

KIND = "records.record"
CATEGORY_LABELS = dict(lc.CATEGORY_CHOICES)
VALIDITY_LABELS = dict(lc.VALIDITY_CHOICES)


def record_queryset():
    from gongkai.records.models import Record

    return (
        Record.objects.filter(state__in=lc.DISCLOSED_STATES)
        .select_related("agency", "topic")
        .prefetch_related("joint_agencies", "attachments")
        .order_by("pk")
    )


def record_document(r) -> SearchDocument | None:
    if r.state not in lc.DISCLOSED_STATES:
        return None
    joint = list(r.joint_agencies.all())
    texts = [t for t in (hooks.public_attachment(a).text for a in r.attachments.all()) if t]
    date = r.published_on or r.written_on
    return SearchDocument(
        kind=KIND,
        object_id=r.pk,
        title=r.title,
        url=reverse("column:document", args=[r.pk]),
        body="\n".join([r.keywords, r.body, *texts]),
        doc_number=r.doc_number,
        index_number=r.index_number,
        summary=r.summary,
        agency_id=r.agency_id,
        issuer_ids=[r.agency_id, *(a.pk for a in joint)],
        topic=r.topic.code if r.topic_id else "",
        doc_type=r.category,
        year=date.year if date else None,
        validity=r.validity,
        in_force=r.validity == lc.IN_FORCE,
        published_on=r.published_on,
        extra={
            "agency": r.agency.name,
            "issuers": [r.agency.name, *(a.name for a in joint)],
            "topic_label": r.topic.name if r.topic_id else "",
            "category_label": CATEGORY_LABELS.get(r.category, ""),
            "validity_label": VALIDITY_LABELS.get(r.validity, ""),
            "written_on": r.written_on.isoformat() if r.written_on else None,
        },
    )


def on_record_changed(sender, record=None, record_ids=None, **kwargs) -> None:
    """Re-index the changed record(s). Runs after commit; a failure is logged and repaired by
    ``gongkai reindex`` — it never undoes the record's own change."""
    ids = [record.pk] if record is not None else list(record_ids or [])
    if not ids:
        return
    try:
        backend = services.get_backend()
        records = {r.pk: r for r in record_queryset().filter(pk__in=ids)}
        docs = [d for d in (record_document(r) for r in records.values()) if d is not None]
        backend.index(docs)
        gone = set(ids) - {d.object_id for d in docs}
        if gone:
            backend.remove(KIND, gone)
    except Exception:  # noqa: BLE001 - the record is saved; the index is repaired by reindex
        logger.exception("search index update failed for records %s (run `gongkai reindex`)", ids[:20])


def connect() -> None:
    from gongkai.records.models import Record
    from gongkai.records.signals import record_changed

    registry.register(Record, kind=KIND, document=record_document, queryset=record_queryset, label="政府信息")
    record_changed.connect(on_record_changed, sender=Record, dispatch_uid="column.index_record")
