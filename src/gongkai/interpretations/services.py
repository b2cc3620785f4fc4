"""Write paths and figures of policy interpretations (政策解读).

:func:`create` / :func:`update` edit a draft (event ``create`` / ``edit``); :func:`transition` is
the single path of state changes: one transaction, the row locked, the table's checks, for
``publish`` the personal-data check (refused while hits are open; confirmed values masked in the
published texts), then an immutable :class:`InterpretationEvent`. :func:`sync_for_records` gives
each document's 三同步 status; :func:`figures` the counts supervisors see.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai import trail
from gongkai.agencies import access
from gongkai.core import interpretation_rules as rules
from gongkai.core import record_lifecycle as lc
from gongkai.core.workdays import CalendarNotCovered

from .models import Interpretation, InterpretationEvent


class InterpretationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def limit_workdays() -> int:
    return int(getattr(settings, "GONGKAI_INTERPRETATION_WORKDAYS", rules.DEFAULT_LIMIT_WORKDAYS))


def required_categories() -> tuple[str, ...]:
    return tuple(
        getattr(settings, "GONGKAI_INTERPRETATION_REQUIRED_CATEGORIES", rules.DEFAULT_REQUIRED_CATEGORIES)
    )


def _event(interp, action, label, before, after, actor=None, reason="", data=None):
    return trail.append(
        InterpretationEvent, {"interpretation": interp}, action, label, before, after, actor, reason, data
    )


def _content(interp: Interpretation) -> dict:
    return {
        "form": interp.form,
        "body": interp.body,
        "images": [i.alt_text for i in interp.images.all()],
        "media": bool(interp.media_file or interp.media_url),
        "transcript": interp.transcript,
        "qa": interp.qa_pairs.count(),
        "records": interp.records.count(),
    }


def _check_records(agency, records) -> None:
    for r in records:
        if r.agency_id != agency.pk and not r.joint_agencies.filter(pk=agency.pk).exists():
            raise InterpretationError(f"《{r.title}》不是本机关（或联合发文）的文件")


def create(agency, data: dict, *, records=(), qa=(), actor=None) -> Interpretation:
    if not access.has_role(actor, agency.pk, *rules.AUTHORS):
        raise InterpretationError("您在本机关没有起草政策解读的权限")
    _check_records(agency, records)
    with transaction.atomic():
        interp = Interpretation(agency=agency, created_by=actor if getattr(actor, "pk", None) else None)
        for k, v in data.items():
            setattr(interp, k, v)
        interp.full_clean(exclude=["agency", "records"])
        interp.save()
        interp.records.set(records)
        _set_qa(interp, qa)
        _event(interp, "create", "起草", "", interp.state, actor, data={"records": [r.pk for r in records]})
    return interp


def _set_qa(interp, qa) -> None:
    interp.qa_pairs.all().delete()
    for i, (q, a) in enumerate(qa):
        interp.qa_pairs.create(question=q, answer=a, sort=i)


def update(interp: Interpretation, data: dict, *, records=None, qa=None, actor=None) -> Interpretation:
    if not access.has_role(actor, interp.agency_id, *rules.AUTHORS, *rules.REVIEWERS):
        raise InterpretationError("您在本机关没有修改政策解读的权限")
    with transaction.atomic():
        row = Interpretation.objects.select_for_update().get(pk=interp.pk)
        if row.state != rules.DRAFT:
            raise InterpretationError("只有起草中的解读可以修改（已送审的请先退回）")
        changed = sorted(k for k, v in data.items() if getattr(row, k) != v)
        for k, v in data.items():
            setattr(row, k, v)
        row.full_clean(exclude=["agency", "records"])
        row.save()
        if records is not None:
            _check_records(row.agency, records)
            row.records.set(records)
            changed.append("records")
        if qa is not None:
            _set_qa(row, qa)
            changed.append("qa")
        _event(row, "edit", "修改", row.state, row.state, actor, data={"changed": changed})
    return row


def _redact(interp: Interpretation) -> None:
    from gongkai.pii import services as pii

    if not pii.confirmed_values(interp):
        return
    for f in ("title", "body", "transcript"):
        setattr(interp, f, pii.redacted(interp, getattr(interp, f)))
    for pair in interp.qa_pairs.all():
        pair.question, pair.answer = pii.redacted(interp, pair.question), pii.redacted(interp, pair.answer)
        pair.save()
    for img in interp.images.all():
        img.alt_text = pii.redacted(interp, img.alt_text)
        img.save()


def transition(
    interp: Interpretation | int, action: str, *, actor, reason: str = "", on: dt.date | None = None
):
    pk = getattr(interp, "pk", interp)
    reason = (reason or "").strip()
    with transaction.atomic():
        row = Interpretation.objects.select_for_update().get(pk=pk)
        roles = access.roles_in(actor, row.agency_id)
        problem = rules.refusal(action, row.state, roles, _content(row), reason)
        if problem is None and action == "publish":
            from gongkai.pii import services as pii

            problem = pii.guard_message(row)
        if problem:
            raise InterpretationError(problem)
        t = rules.TRANSITIONS[action]
        before = row.state
        row.state = t.target
        data = {}
        if action == "publish":
            _redact(row)
            row.published_on = on or timezone.localdate()
            row.reviewer = actor
            data = {"published_on": row.published_on.isoformat()}
        row.save()
        _event(row, action, t.label, before, row.state, actor, reason, data)
        from . import hooks

        transaction.on_commit(lambda: hooks.reindex(row.pk))
    return row


# -- 三同步 ---------------------------------------------------------------------------------------
def first_interpretations(record_ids) -> dict[int, dt.date]:
    """Record id → the publication date of its first published interpretation."""
    out: dict[int, dt.date] = {}
    rows = Interpretation.records.through.objects.filter(
        record_id__in=list(record_ids), interpretation__state=rules.PUBLISHED
    ).values_list("record_id", "interpretation__published_on")
    for rid, day in rows:
        if day and (rid not in out or day < out[rid]):
            out[rid] = day
    return out


def sync_for_records(
    records, today: dt.date | None = None, calendar=None
) -> dict[int, rules.SyncState | None]:
    """三同步 status of each disclosed record (``None`` where the calendar does not cover it)."""
    from gongkai.workdays import get_calendar

    calendar = calendar or get_calendar()
    today = today or timezone.localdate()
    records = list(records)
    firsts = first_interpretations(r.pk for r in records)
    need = required_categories()
    out: dict[int, rules.SyncState | None] = {}
    for r in records:
        if not r.published_on or r.state not in lc.DISCLOSED_STATES:
            continue
        try:
            out[r.pk] = rules.sync_status(
                calendar, r.published_on, firsts.get(r.pk), today, limit_workdays(), r.category in need
            )
        except CalendarNotCovered:
            out[r.pk] = None
    return out


def required_records(agency_ids, year: int | None = None):
    from gongkai.records.models import Record

    qs = Record.objects.filter(
        agency_id__in=list(agency_ids), category__in=required_categories(), state__in=lc.DISCLOSED_STATES
    ).select_related("agency")
    if year:
        qs = qs.filter(published_on__year=year)
    return qs.order_by("-published_on", "-pk")


def figures(agencies, year: int, today: dt.date | None = None) -> list[dict]:
    """Per agency: documents requiring an interpretation published in ``year`` and their 三同步
    counts (same day, on time, late, missing, pending)."""
    rows = []
    for agency in agencies:
        records = list(required_records([agency.pk], year))
        states = [s for s in sync_for_records(records, today).values() if s is not None]
        rows.append({"agency": agency, **rules.tally(states)})
    return rows


def record_edit(interp: Interpretation, actor, what: str) -> None:
    _event(interp, "edit", "修改", interp.state, interp.state, actor, data={"changed": [what]})
