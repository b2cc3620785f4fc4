"""Attachments of records (附件): DOCX / PDF / images, stored through the record's write path
(an ``attach`` event), their text extracted OUTSIDE the request by a Celery task
(:func:`gongkai.records.tasks.extract_attachment_text`) in a limited child process
(:mod:`gongkai.limits`); the record is re-indexed afterwards.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import transaction

from gongkai.agencies import access
from gongkai.applications.services.events import check_attachments
from gongkai.core import record_lifecycle as lc
from gongkai.core.document_text import extract_text
from gongkai.core.sandbox import LimitedRunFailed
from gongkai.limits import run_child, untrusted_limits

from ..models import Record, RecordAttachment
from ..signals import send_after_commit
from .lifecycle import TransitionError, append_event

PENDING_NOTE = "正在提取文字"


def add_attachments(
    record: Record, files, *, actor=None, roles: set[str] | None = None
) -> list[RecordAttachment]:
    """Validate (type, size), store and record the files; text extraction is queued after commit."""
    files = list(files)
    errors = check_attachments(files)
    if errors:
        raise TransitionError("；".join(errors), "invalid")
    allowed = getattr(settings, "GONGKAI_ATTACHMENT_TYPES", {})
    with transaction.atomic():
        rec = Record.objects.select_for_update().get(pk=record.pk)
        have = set(roles) if roles is not None else access.roles_in(actor, rec.agency_id)
        if not have & {*lc.DRAFTERS, *lc.PUBLISHERS}:
            raise TransitionError("您在本机关没有上传附件的权限", "role")
        out = []
        for f in files:
            name = os.path.basename(getattr(f, "name", "") or "attachment")
            att = RecordAttachment(
                record=rec,
                original_name=name,
                content_type=allowed.get(os.path.splitext(name)[1].lower(), "application/octet-stream"),
                size=f.size,
                text_error=PENDING_NOTE,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            att.file.save(name, f, save=False)
            att.save()
            out.append(att)
        announce(rec, out, actor, "上传附件")
    return out


def announce(rec: Record, attachments: list[RecordAttachment], actor, label: str) -> None:
    """The ``attach`` event of new or replaced attachments, and their text extraction queued once
    the transaction commits (uploads and imports alike)."""
    append_event(
        rec,
        "attach",
        label=label,
        from_state=rec.state,
        to_state=rec.state,
        actor=actor,
        data={"attachments": [[a.pk, a.original_name] for a in attachments]},
    )
    ids = [a.pk for a in attachments]
    transaction.on_commit(lambda: _queue(ids))


def _queue(ids: list[int]) -> None:
    from ..tasks import extract_attachment_text

    for pk in ids:
        extract_attachment_text.delay(pk)


def extract(attachment_id: int) -> str:
    """Extract one attachment's text in a limited child; saves ``text`` / ``text_error`` and
    re-indexes the record. Returns the note (empty when text was extracted)."""
    att = RecordAttachment.objects.select_related("record").filter(pk=attachment_id).first()
    if att is None:
        return "附件不存在"
    with att.file.open("rb") as fh:
        data = fh.read()
    try:
        text, note = run_child(extract_text, data, att.original_name, untrusted_limits()).value
    except LimitedRunFailed as exc:
        text, note = "", f"文字提取失败：{exc}"[:300]
    RecordAttachment.objects.filter(pk=att.pk).update(text=text, text_error=note[:300])
    send_after_commit(att.record, "attachment_text")
    return note
