"""Consultations plugged into the document page (the published document links to its
consultation) and the personal-data check (the feedback summary)."""

from __future__ import annotations

from django.urls import reverse

from gongkai.core import consultation_rules as rules


def document_sections(request, record) -> list[dict]:
    items = [
        {
            "title": f"{c.title}（{c.starts_on:%Y-%m-%d} 至 {c.ends_on:%Y-%m-%d}）",
            "url": reverse("consultations:detail", args=[c.pk]),
        }
        for c in record.consultations.exclude(state=rules.DRAFT).order_by("starts_on")
    ]
    return [{"id": "consultations", "heading": "意见征集", "items": items}] if items else []


def pii_sources(c):
    from gongkai.pii.registry import Source

    return [Source("feedback_summary", "采纳情况说明", c.feedback_summary)]


def connect() -> None:
    from gongkai.column import hooks as column_hooks
    from gongkai.pii import registry as pii_registry

    from .models import Consultation

    column_hooks.add_document_section(document_sections)
    pii_registry.register(
        Consultation,
        sources=pii_sources,
        agency_id=lambda c: c.agency_id,
        label=lambda c: f"意见征集反馈：{c.title}",
        staff_url=lambda c: reverse("consultations:staff_detail", args=[c.pk]),
    )
