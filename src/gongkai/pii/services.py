"""The personal-data check's write paths: scan, decide, guard and redact.

- :func:`scan` finds the hits in an object's published texts now and stores new ones as 待确认;
  decided hits are kept (a decision is made once, with who, when and why).
- :func:`unresolved` re-reads the texts and returns the hits no decision covers: the publication
  guard refuses while there is one, so text added after the last scan is caught too.
- :func:`decide` records one decision (confirm → masked when published; dismiss → with a reason).
- :func:`redacted` / :func:`regenerate_files` produce the published text and files: confirmed
  values masked everywhere they occur, files rebuilt from the redacted text.
"""

from __future__ import annotations

from functools import cache
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.agencies import access
from gongkai.core import pii as core

from . import extract
from .models import CONFIRMED, DISMISSED, PENDING, PiiHit, RedactedFile
from .registry import Source, target_for

DECIDERS = ("handler", "reviewer", "head", "admin")


class DecisionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def names_enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_PII_NAMES", True))


@cache
def _tagger():
    import rjieba

    return rjieba.tag


def hits_in(text: str) -> list[core.Hit]:
    if not text:
        return []
    return core.find(text, _tagger()(text) if names_enabled() else None)


def fresh_hits(obj) -> list[tuple[Source, core.Hit]]:
    out = []
    for source in target_for(obj).sources(obj):
        out += [(source, h) for h in hits_in(source.text)]
    return out


def _ct(obj) -> ContentType:
    return ContentType.objects.get_for_model(type(obj))


def hits_of(obj):
    return PiiHit.objects.filter(content_type=_ct(obj), object_id=obj.pk)


def _decided(obj) -> dict[tuple[str, str, str], str]:
    return {
        (h.source, h.kind, h.value): h.status for h in hits_of(obj).exclude(status=PENDING).order_by("pk")
    }


def scan(obj) -> list[PiiHit]:
    """Store the hits found now (new ones 待确认); pending hits no longer found are dropped."""
    ct = _ct(obj)
    found = fresh_hits(obj)
    decided = _decided(obj)
    keep: set[int] = set()
    with transaction.atomic():
        for source, h in found:
            status = decided.get((source.key, h.kind, h.value), PENDING)
            row, _ = PiiHit.objects.get_or_create(
                content_type=ct,
                object_id=obj.pk,
                source=source.key,
                kind=h.kind,
                value=h.value[:200],
                start=h.start,
                defaults={
                    "source_label": source.label[:300],
                    "end": h.end,
                    "context": core.context(source.text, h)[:300],
                },
            )
            keep.add(row.pk)
            if status != PENDING and row.status == PENDING:
                # the same value at another place of the same source was decided already
                twin = (
                    hits_of(obj).filter(source=source.key, kind=h.kind, value=h.value).exclude(status=PENDING)
                )
                first = twin.order_by("pk").first()
                PiiHit.objects.filter(pk=row.pk).update(
                    status=first.status,
                    decided_by=first.decided_by,
                    decided_at=first.decided_at,
                    reason=first.reason,
                )
        hits_of(obj).filter(status=PENDING).exclude(pk__in=keep).delete()
    return list(hits_of(obj).order_by("source", "start"))


def unresolved(obj) -> list[tuple[Source, core.Hit]]:
    decided = _decided(obj)
    return [(s, h) for s, h in fresh_hits(obj) if (s.key, h.kind, h.value) not in decided]


def guard_message(obj) -> str | None:
    """Why ``obj`` may not be published yet (unresolved hits), else ``None``."""
    left = unresolved(obj)
    if not left:
        return None
    kinds = "、".join(sorted({h.label for _, h in left}))
    return f"发布前个人信息检查：有 {len(left)} 处疑似个人信息（{kinds}）尚未确认或排除，不能发布"


def may_decide(user, obj) -> bool:
    return access.has_role(user, target_for(obj).agency_id(obj), *DECIDERS)


def decide(hit: PiiHit, decision: str, *, actor, reason: str = "") -> PiiHit:
    """Confirm (masked when published) or dismiss (not personal data; reason required) one hit,
    and every pending hit of the same value in the same source. One transaction; never redone."""
    reason = (reason or "").strip()
    if decision not in (CONFIRMED, DISMISSED):
        raise DecisionError("未知的处理方式")
    if decision == DISMISSED and not reason:
        raise DecisionError("排除时请说明理由（例如：不是个人信息、为公职人员依法公开的信息）")
    with transaction.atomic():
        row = PiiHit.objects.select_for_update().get(pk=hit.pk)
        if row.status != PENDING:
            raise DecisionError("该项已处理，处理结果不能更改")
        now = timezone.now()
        PiiHit.objects.filter(
            content_type=row.content_type_id,
            object_id=row.object_id,
            source=row.source,
            kind=row.kind,
            value=row.value,
            status=PENDING,
        ).update(status=decision, decided_by=actor, decided_at=now, reason=reason)
        row.refresh_from_db()
    return row


def confirmed_values(obj) -> list[tuple[str, str]]:
    return sorted(
        set(hits_of(obj).filter(status=CONFIRMED).values_list("kind", "value")), key=lambda kv: -len(kv[1])
    )


def redacted(obj, text: str) -> str:
    """``text`` with every confirmed value of ``obj`` masked."""
    values = confirmed_values(obj)
    return core.redact_values(text, values) if values and text else text


def regenerate_files(obj) -> list[RedactedFile]:
    """For each attachment source of ``obj`` holding a confirmed value: a new file of the same
    kind built from the redacted text (stored as :class:`RedactedFile`)."""
    values = confirmed_values(obj)
    if not values:
        return []
    ct = _ct(obj)
    made = []
    for source in target_for(obj).sources(obj):
        if source.file is None:
            continue
        clean = core.redact_values(source.text, values)
        if clean == source.text:
            continue
        name = source.file.original_name
        kind = extract.kind_of(name, getattr(source.file, "content_type", "")) or "txt"
        ctype = {"docx": extract.DOCX, "pdf": "application/pdf"}.get(kind, "text/plain")
        stem = PurePath(name).stem
        suffix = {"docx": ".docx", "pdf": ".pdf"}.get(kind, ".txt")
        out = RedactedFile(
            content_type=ct,
            object_id=obj.pk,
            source=source.key,
            original_name=f"{stem}{suffix}",
            content_type_name=ctype,
            text=clean,
        )
        out.file.save(f"{stem}-redacted{suffix}", ContentFile(extract.build(clean, kind, stem)), save=False)
        out.save()
        made.append(out)
    return made


def redacted_file(obj, source_key: str) -> RedactedFile | None:
    return (
        RedactedFile.objects.filter(content_type=_ct(obj), object_id=obj.pk, source=source_key)
        .order_by("-pk")
        .first()
    )
