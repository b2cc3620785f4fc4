"""Interpretations plugged into the rest: the search index (kind ``interpretations.interpretation``),
the document page (its published interpretations), the personal-data check before publication."""

from __future__ import annotations

import logging

from django.urls import reverse

from gongkai.core import interpretation_rules as rules
from gongkai.core.search_text import SearchDocument

logger = logging.getLogger(__name__)
KIND = "interpretations.interpretation"


def queryset():
    from .models import Interpretation

    return (
        Interpretation.objects.filter(state=rules.PUBLISHED)
        .select_related("agency")
        .prefetch_related("records", "qa_pairs", "images")
        .order_by("pk")
    )


def document(i) -> SearchDocument | None:
    if i.state != rules.PUBLISHED:
        return None
    records = [r for r in i.records.all() if r.is_disclosed]
    qa = [f"{p.question}\n{p.answer}" for p in i.qa_pairs.all()]
    alts = [img.alt_text for img in i.images.all()]
    topic = next((r.topic.code for r in records if r.topic_id), "")
    return SearchDocument(
        kind=KIND,
        object_id=i.pk,
        title=i.title,
        url=reverse("interpretations:detail", args=[i.pk]),
        body="\n".join([i.body, i.transcript, *qa, *alts]),
        summary="；".join(r.title for r in records),
        agency_id=i.agency_id,
        issuer_ids=[i.agency_id],
        topic=topic,
        doc_type=i.form,
        year=i.published_on.year if i.published_on else None,
        in_force=all(r.validity == "in_force" for r in records),
        published_on=i.published_on,
        extra={
            "agency": i.agency.name,
            "form_label": i.form_label,
            "category_label": "政策解读",
            "documents": [{"id": r.pk, "title": r.title} for r in records],
        },
    )


def reindex(pk: int) -> None:
    from gongkai.search import services

    try:
        obj = queryset().filter(pk=pk).first()
        doc = document(obj) if obj is not None else None
        backend = services.get_backend()
        if doc is None:
            backend.remove(KIND, [pk])
        else:
            backend.index([doc])
    except Exception:  # noqa: BLE001 - repaired by `gongkai reindex`
        logger.exception("search index update failed for interpretation %s", pk)


def document_context(request, record) -> dict:
    items = [
        {"title": i.title, "url": reverse("interpretations:detail", args=[i.pk]), "kind_label": i.form_label}
        for i in record.interpretations.filter(state=rules.PUBLISHED).order_by("published_on", "pk")
    ]
    return {"interpretations": items}


def pii_sources(i):
    from gongkai.pii.registry import Source

    out = [
        Source("title", "标题", i.title),
        Source("body", "解读正文", i.body),
        Source("transcript", "文字稿", i.transcript),
    ]
    for n, p in enumerate(i.qa_pairs.all(), 1):
        out.append(Source(f"qa:{p.pk}", f"问答{n}", f"{p.question}\n{p.answer}"))
    for n, img in enumerate(i.images.all(), 1):
        out.append(Source(f"alt:{img.pk}", f"图片{n}替代文字", img.alt_text))
    return out


def connect() -> None:
    from gongkai.column import hooks as column_hooks
    from gongkai.pii import registry as pii_registry
    from gongkai.search import registry

    from .models import Interpretation

    registry.register(Interpretation, kind=KIND, document=document, queryset=queryset, label="政策解读")
    column_hooks.add_document_context(document_context)
    pii_registry.register(
        Interpretation,
        sources=pii_sources,
        agency_id=lambda i: i.agency_id,
        label=lambda i: f"政策解读：{i.title}",
        staff_url=lambda i: reverse("interpretations:staff_detail", args=[i.pk]),
    )
