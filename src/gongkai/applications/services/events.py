"""Appending to the event log (办理记录), and storing attachments."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from ..models import Application, ApplicationEvent, Attachment

APPLICANT_LABEL = "申请人"
SYSTEM_LABEL = "系统"


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def append_event(
    app: Application,
    action: str,
    *,
    from_state: str,
    to_state: str,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    effective_date: dt.date | None = None,
    data: dict | None = None,
    at: dt.datetime | None = None,
    seq: int | None = None,
) -> ApplicationEvent:
    """Append one event; the caller holds the application row lock (so ``seq`` is race-free).
    ``seq`` may be given when known (1 for a new application)."""
    if seq is None:
        seq = (app.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    if actor is None and not actor_label:
        actor_label = SYSTEM_LABEL
    return ApplicationEvent.objects.create(
        application=app,
        seq=seq,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        at=at or timezone.now(),
        effective_date=effective_date,
        reason=reason or "",
        data=_jsonable(data or {}),
    )


# A file name the storage can keep (every dotted part counts as extension there).
MAX_ATTACHMENT_NAME = 120
MAX_ATTACHMENT_DOTS = 8


def check_attachments(files) -> list[str]:
    """Chinese error messages for files of a wrong type or size (empty list = all acceptable)."""
    allowed = getattr(settings, "GONGKAI_ATTACHMENT_TYPES", {})
    limit = int(getattr(settings, "GONGKAI_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))
    errors = []
    for f in files:
        name = os.path.basename(getattr(f, "name", "") or "")
        if len(name) > MAX_ATTACHMENT_NAME or name.count(".") > MAX_ATTACHMENT_DOTS:
            errors.append(
                f"附件“{name[:40]}…”的文件名过长或含有过多的“.”（最多{MAX_ATTACHMENT_NAME}个字符、"
                f"{MAX_ATTACHMENT_DOTS}个“.”），请改用简短的文件名后重新上传"
            )
            continue
        ext = os.path.splitext(name)[1].lower()
        expected = allowed.get(ext)
        if expected is None:
            kinds = "、".join(sorted(allowed)) or "无"
            errors.append(f"附件“{name}”的文件类型不允许上传，仅接受：{kinds}")
            continue
        ctype = (getattr(f, "content_type", "") or "").split(";")[0].strip().lower()
        if ctype and ctype not in (expected, "application/octet-stream"):
            errors.append(f"附件“{name}”的内容类型（{ctype}）与扩展名不符")
        size = getattr(f, "size", None)
        if size is None:
            errors.append(f"无法确定附件“{name}”的大小")
        elif size <= 0:
            errors.append(f"附件“{name}”为空文件")
        elif size > limit:
            errors.append(f"附件“{name}”超过大小上限（{limit // (1024 * 1024)}MB）")
    return errors


def validate_attachments(files) -> None:
    errors = check_attachments(files)
    if errors:
        raise ValidationError({"attachments": errors})


def store_attachments(
    app: Application, files, *, event: ApplicationEvent | None = None, actor=None
) -> list[Attachment]:
    """Save already-validated files as :class:`Attachment` rows of ``app`` (and ``event``)."""
    allowed = getattr(settings, "GONGKAI_ATTACHMENT_TYPES", {})
    out = []
    for f in files:
        name = os.path.basename(getattr(f, "name", "") or "attachment")
        ext = os.path.splitext(name)[1].lower()
        att = Attachment(
            application=app,
            event=event,
            original_name=name,
            content_type=allowed.get(ext, "application/octet-stream"),
            size=f.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        att.file.save(name, f, save=False)
        att.save()
        out.append(att)
    return out


PORTAL_DOWNLOAD_ACTION = "applicant_download"


def record_applicant_download(app: Application, document, fmt: str, origin: dict) -> ApplicationEvent:
    """Record that the applicant downloaded a letter through the portal (channel and address in
    ``origin``): an event without a state change, appended under the application's row lock."""
    from django.db import transaction

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=app.pk)
        return append_event(
            locked,
            PORTAL_DOWNLOAD_ACTION,
            from_state=locked.state,
            to_state=locked.state,
            actor_label=APPLICANT_LABEL,
            reason=f"申请人通过网上平台下载《{document.title}》（{fmt.upper()}）",
            data={"document": document.pk, "format": fmt, **origin},
        )
