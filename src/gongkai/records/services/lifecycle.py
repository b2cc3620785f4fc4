"""The single write path of records (政府信息记录): transitions and edits.

:func:`transition` applies one action of :data:`gongkai.core.record_lifecycle.TRANSITIONS` in ONE
transaction: it locks the record row, checks state, role, reason and preconditions (the table's,
then the checks other apps registered in :mod:`gongkai.records.checks`), applies the effects,
re-derives the Art. 26 due date, appends an immutable :class:`RecordEvent`, and after commit sends
``record_changed``. :func:`create_record` and :func:`update_record` are the write paths of edits
(events ``create`` / ``edit``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.agencies import access
from gongkai.core import record_lifecycle as lc

from .. import checks as check_registry
from ..models import Record, RecordEvent
from ..signals import send_after_commit
from . import clock, numbering

SYSTEM_LABEL = "系统"

# Fields a record's content consists of: editable only before review; afterwards a change is a new
# record that amends this one. Catalogue fields may be corrected at any time (recorded).
CONTENT_FIELDS = (
    "agency",
    "category",
    "title",
    "doc_number",
    "written_on",
    "formed_on",
    "body",
    "disclosure_mode",
)
CATALOGUE_FIELDS = ("topic", "doc_type", "keywords", "summary", "art_item", "source_url")
EDITABLE_STATES = (lc.DRAFT, lc.ATTRIBUTE_DECIDED)


class TransitionError(Exception):
    """An action that may not be performed; ``message`` is Chinese and meant for the user.
    ``code``: unknown · state · role · precondition · invalid."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def reassess_months() -> int:
    """Art. 18 re-assessment interval of withheld records (setting, default 12 months: the
    Regulation says 定期 without a period)."""
    return int(getattr(settings, "GONGKAI_WITHHELD_REASSESS_MONTHS", 12))


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
    record: Record,
    action: str,
    *,
    label: str = "",
    from_state: str = "",
    to_state: str = "",
    actor=None,
    role: str = "",
    reason: str = "",
    effective_date: dt.date | None = None,
    data: dict | None = None,
) -> RecordEvent:
    """Append one event; the caller holds the record's row lock (so ``seq`` is race-free)."""
    seq = (RecordEvent.objects.filter(record=record).aggregate(m=Max("seq"))["m"] or 0) + 1
    return RecordEvent.objects.create(
        record=record,
        seq=seq,
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label="" if getattr(actor, "pk", None) else SYSTEM_LABEL,
        role=role,
        at=timezone.now(),
        effective_date=effective_date,
        reason=reason or "",
        data=_jsonable(data or {}),
    )


def _date(value, default: dt.date) -> dt.date:
    if value in (None, ""):
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise TransitionError("日期格式不正确，应为 YYYY-MM-DD", "invalid") from None


def _acting_role(t: lc.Transition, roles: set[str]) -> str:
    return next((r for r in t.roles if r in roles), "")


# -- effects, one per action ---------------------------------------------------------------------
def _apply_decide_attribute(rec: Record, data: dict, on: dt.date) -> dict:
    rec.disclosure_attribute = data.get("disclosure_attribute") or rec.disclosure_attribute
    if "attribute_reason" in data:
        rec.attribute_reason = str(data["attribute_reason"] or "").strip()
    if "attribute_basis" in data:
        rec.attribute_basis = str(data["attribute_basis"] or "").strip()
    return {
        "disclosure_attribute": rec.disclosure_attribute,
        "attribute_reason": rec.attribute_reason,
        "attribute_basis": rec.attribute_basis,
    }


_BOOL_FIELDS = ("secrecy_reviewed", "consultation_held", "interpretation_ready")
_NOTE_FIELDS = ("consultation_note", "interpretation_note")


def _apply_approve(rec: Record, data: dict, on: dt.date) -> dict:
    for f in _BOOL_FIELDS:
        if f in data:
            setattr(rec, f, lc._truthy(data[f]))
    for f in _NOTE_FIELDS:
        if f in data:
            setattr(rec, f, str(data[f] or "").strip())
    return {f: getattr(rec, f) for f in (*_BOOL_FIELDS, *_NOTE_FIELDS)}


def _apply_publish(rec: Record, data: dict, on: dt.date) -> dict:
    rec.published_on = on
    if rec.formed_on is None:
        rec.formed_on = rec.written_on or on
    if not rec.index_number:
        rec.index_serial, rec.index_number = numbering.allocate(rec.agency, on.year)
        rec.index_year = on.year
    return {"index_number": rec.index_number, "published_on": on}


def _apply_withhold(rec: Record, data: dict, on: dt.date) -> dict:
    rec.next_reassessment_on = lc.add_months(on, reassess_months())
    return {"next_reassessment_on": rec.next_reassessment_on}


def _apply_reassess(rec: Record, data: dict, on: dt.date) -> dict:
    if data["decision"] == "keep":
        rec.next_reassessment_on = lc.add_months(on, reassess_months())
        return {"decision": "keep", "next_reassessment_on": rec.next_reassessment_on}
    # Now to be disclosed: the information "changed" today, the Art. 26 clock starts again.
    rec.disclosure_attribute = lc.PROACTIVE
    rec.next_reassessment_on = None
    rec.formed_on = on
    rec.state = lc.APPROVED
    return {"decision": "disclose", "formed_on": on}


def _replacement(rec: Record, data: dict) -> Record | None:
    raw = data.get("replaced_by")
    if raw in (None, ""):
        return None
    try:
        other = Record.objects.get(pk=int(getattr(raw, "pk", raw)))
    except (Record.DoesNotExist, ValueError, TypeError):
        raise TransitionError("找不到所选的替代文件", "invalid") from None
    if other.pk == rec.pk:
        raise TransitionError("替代文件不能是文件本身", "invalid")
    return other


def _apply_end(rec: Record, data: dict, on: dt.date, action: str) -> dict:
    rec.validity = lc.VALIDITY_AFTER[action]
    rec.validity_changed_on = on
    other = _replacement(rec, data)
    if other is not None:
        rec.replaced_by = other
    rec.needs_amendment = False
    return {"validity": rec.validity, "validity_changed_on": on, "replaced_by": rec.replaced_by_id}


EFFECTS = {
    "decide_attribute": _apply_decide_attribute,
    "approve": _apply_approve,
    "publish": _apply_publish,
    "withhold": _apply_withhold,
    "reassess": _apply_reassess,
    "amend": lambda r, d, on: _apply_end(r, d, on, "amend"),
    "repeal": lambda r, d, on: _apply_end(r, d, on, "repeal"),
    "expire": lambda r, d, on: _apply_end(r, d, on, "expire"),
}


def transition(
    record: Record | int,
    action: str,
    *,
    actor=None,
    reason: str = "",
    data: dict | None = None,
    roles: set[str] | None = None,
) -> Record:
    """Perform ``action`` on ``record`` as ``actor``; raises :class:`TransitionError` (nothing
    changed) when refused. ``roles`` overrides the actor's roles in the record's agency (used by
    system paths: clean-up campaigns applied by their organiser, imports)."""
    data = dict(data or {})
    reason = (reason or "").strip()
    pk = record.pk if isinstance(record, Record) else int(record)
    today = timezone.localdate()
    with transaction.atomic():
        try:
            rec = Record.objects.select_for_update().get(pk=pk)
        except Record.DoesNotExist:
            raise TransitionError("记录不存在", "unknown") from None
        have = set(roles) if roles is not None else access.roles_in(actor, rec.agency_id)
        on = _date(data.get("date"), today)
        data["date"] = on
        refused = lc.refusal(action, rec.state, have, rec.as_mapping(), data, reason)
        if refused is None:
            for check in check_registry.checks_for(action):
                message = check(rec, data)
                if message:
                    refused = lc.Refusal("precondition", message)
                    break
        if refused is not None:
            raise TransitionError(refused.message, refused.code)
        t = lc.TRANSITIONS[action]
        before = rec.state
        effect = EFFECTS.get(action)
        event_data = effect(rec, data, on) if effect else {}
        if t.target is not None:
            rec.state = t.target
        clock.derive(rec)
        rec.save()
        append_event(
            rec,
            action,
            label=t.label,
            from_state=before,
            to_state=rec.state,
            actor=actor,
            role=_acting_role(t, have),
            reason=reason,
            effective_date=on,
            data=event_data,
        )
        if action in ("amend", "repeal") and rec.replaced_by_id:
            new = Record.objects.select_for_update().get(pk=rec.replaced_by_id)
            append_event(
                new,
                "replaces",
                label="替代原文件",
                from_state=new.state,
                to_state=new.state,
                actor=actor,
                effective_date=on,
                data={"replaces": rec.pk, "action": action},
            )
        send_after_commit(rec, action)
    return rec


def _changed(rec: Record, data: dict) -> dict:
    out = {}
    for name, value in data.items():
        old = getattr(rec, name + "_id" if name in ("agency", "topic", "replaced_by") else name)
        new = getattr(value, "pk", value)
        if old != new:
            out[name] = [old, new]
    return out


def create_record(agency, data: dict, *, actor=None, roles: set[str] | None = None, joint=()) -> Record:
    """A new record in ``draft`` (event ``create``); the actor must be a drafter in ``agency``."""
    have = set(roles) if roles is not None else access.roles_in(actor, agency.pk)
    if not have & set(lc.DRAFTERS):
        raise TransitionError("您在本机关没有起草信息记录的权限", "role")
    with transaction.atomic():
        rec = Record(agency=agency, created_by=actor if getattr(actor, "pk", None) else None)
        for name, value in data.items():
            setattr(rec, name, value)
        rec.full_clean(exclude=["agency"])
        clock.derive(rec)
        rec.save()
        if joint:
            rec.joint_agencies.set(joint)
        append_event(
            rec,
            "create",
            label="起草",
            to_state=rec.state,
            actor=actor,
            role=next((r for r in lc.DRAFTERS if r in have), ""),
            data={"title": rec.title},
        )
        send_after_commit(rec, "create")
    return rec


def update_record(
    record: Record, data: dict, *, actor=None, roles: set[str] | None = None, joint=None, reason: str = ""
) -> Record:
    """Edit a record's fields (event ``edit`` listing the changes). Content fields only before
    review; catalogue fields any time."""
    with transaction.atomic():
        rec = Record.objects.select_for_update().get(pk=record.pk)
        have = set(roles) if roles is not None else access.roles_in(actor, rec.agency_id)
        if not have & {*lc.DRAFTERS, *lc.PUBLISHERS}:
            raise TransitionError("您在本机关没有修改信息记录的权限", "role")
        changes = _changed(rec, data)
        content = [f for f in changes if f not in CATALOGUE_FIELDS]
        if content and rec.state not in EDITABLE_STATES:
            raise TransitionError(
                f"当前状态“{rec.state_label}”下不能修改正文和基本信息（如需变更，请起草新文件后标注“已修改”）",
                "state",
            )
        for name, value in data.items():
            setattr(rec, name, value)
        rec.full_clean(exclude=["agency"])
        clock.derive(rec)
        rec.save()
        joint_changed = False
        if joint is not None:
            old = set(rec.joint_agencies.values_list("pk", flat=True))
            new = {a.pk for a in joint}
            if old != new:
                if rec.state not in EDITABLE_STATES:
                    raise TransitionError("已送审的记录不能修改联合发文机关", "state")
                rec.joint_agencies.set(joint)
                changes["joint_agencies"] = [sorted(old), sorted(new)]
                joint_changed = True
        if changes or joint_changed:
            append_event(
                rec,
                "edit",
                label="修改信息",
                from_state=rec.state,
                to_state=rec.state,
                actor=actor,
                reason=reason,
                data={"changes": changes},
            )
            send_after_commit(rec, "edit")
    return rec


def actions_for(record: Record, user) -> list[lc.Transition]:
    """Actions the user may try on ``record`` now (state and role; preconditions on submit)."""
    return lc.available_actions(record.state, access.roles_in(user, record.agency_id))
