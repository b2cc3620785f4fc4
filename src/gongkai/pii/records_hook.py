"""The personal-data check plugged into records (政府信息记录) and the column, through their hooks:

- a ``publish`` precondition (:mod:`gongkai.records.checks`): refused while hits are unresolved;
  when it passes, the confirmed values are masked in the record's text fields (saved by the
  transition itself, in the same transaction) and attachments holding them are regenerated;
- the column serves the regenerated file (and indexes its text) instead of the original.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse

from . import extract, registry, services

TEXT_FIELDS = (("title", "标题"), ("summary", "内容概述"), ("keywords", "主题词"), ("body", "正文"))


def record_sources(rec) -> list[registry.Source]:
    out = [registry.Source(f, label, getattr(rec, f) or "") for f, label in TEXT_FIELDS]
    for att in rec.attachments.all():
        out.append(
            registry.Source(
                f"attachment:{att.pk}", f"附件：{att.original_name}", extract.attachment_text(att), att
            )
        )
    return out


def guard_and_redact(rec, data) -> str | None:
    message = services.guard_message(rec)
    if message:
        return message
    if services.confirmed_values(rec):
        for f, _label in TEXT_FIELDS:
            setattr(rec, f, services.redacted(rec, getattr(rec, f) or ""))
        services.regenerate_files(rec)
    return None


def public_attachment(att):
    """The regenerated (redacted) version of a record's attachment, if there is one."""
    red = services.redacted_file(att.record, f"attachment:{att.pk}")
    if red is None:
        return None
    return SimpleNamespace(
        file=red.file, original_name=red.original_name, content_type=red.content_type_name, text=red.text
    )


def connect() -> None:
    from gongkai.column import hooks
    from gongkai.records import checks
    from gongkai.records.models import Record

    registry.register(
        Record,
        sources=record_sources,
        agency_id=lambda r: r.agency_id,
        label=str,
        staff_url=lambda r: reverse("pii:check", args=["records.record", r.pk]),
    )
    checks.register("publish")(guard_and_redact)
    hooks.add_attachment_substitute(public_attachment)
