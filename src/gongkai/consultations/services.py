"""Write paths and figures of public consultations (意见征集).

Every change is one transaction with an appended :class:`ConsultationEvent` (who, when, from,
to, why). Minimum periods come from ``GONGKAI_CONSULTATION_MINIMUMS`` (see
:mod:`gongkai.core.consultation_rules`); the feedback passes the personal-data check before it is
published (confirmed values masked).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai import trail
from gongkai.agencies import access
from gongkai.core import consultation_rules as rules
from gongkai.core import record_lifecycle as lc

from .models import Comment, Consultation, ConsultationEvent

STAFF = ("handler", "reviewer", "head", "admin")
PUBLISHERS = ("reviewer", "head", "admin")


class ConsultationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def minimums() -> dict:
    return {**rules.DEFAULT_MINIMUMS, **(getattr(settings, "GONGKAI_CONSULTATION_MINIMUMS", None) or {})}


def _calendar():
    from gongkai.workdays import get_calendar

    return get_calendar()


def _event(c, action, label, before, after, actor=None, reason="", data=None):
    return trail.append(
        ConsultationEvent, {"consultation": c}, action, label, before, after, actor, reason, data
    )


def _require(actor, agency_id, roles, what):
    if not access.has_role(actor, agency_id, *roles):
        raise ConsultationError(f"您在本机关没有{what}的权限")


def kind_of(record) -> str:
    return {lc.RULE: rules.RULE, lc.NORMATIVE: rules.NORMATIVE}.get(record.category, rules.OTHER)


def period_problem(kind, market, start, end) -> str | None:
    return rules.period_problem(_calendar(), kind, market, start, end, minimums())


def create(record, data: dict, *, actor) -> Consultation:
    _require(actor, record.agency_id, STAFF, "发起意见征集")
    if record.state not in lc.UNPUBLISHED_STATES:
        raise ConsultationError("只能对尚未发布的草案征求意见")
    kind = data.get("draft_kind") or kind_of(record)
    problem = period_problem(
        kind, data.get("concerns_market", False), data.get("starts_on"), data.get("ends_on")
    )
    if problem:
        raise ConsultationError(problem)
    with transaction.atomic():
        c = Consultation(agency_id=record.agency_id, record=record, created_by=actor, draft_kind=kind)
        for k, v in data.items():
            if k != "draft_kind":
                setattr(c, k, v)
        c.full_clean()
        c.save()
        _event(c, "create", "创建", "", c.state, actor)
    return c


def open_consultation(c: Consultation, *, actor) -> Consultation:
    _require(actor, c.agency_id, PUBLISHERS, "发布意见征集")
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=c.pk)
        if row.state != rules.DRAFT:
            raise ConsultationError("该征集已发布")
        problem = period_problem(row.draft_kind, row.concerns_market, row.starts_on, row.ends_on)
        if problem:
            raise ConsultationError(problem)
        row.state = rules.OPEN
        row.save(update_fields=["state"])
        _event(row, "open", "发布征集", rules.DRAFT, rules.OPEN, actor)
    return row


def state_now(c: Consultation, today: dt.date | None = None) -> str:
    return rules.effective_state(c.state, c.ends_on, today or timezone.localdate())


def accepting(c: Consultation, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return state_now(c, today) == rules.OPEN and c.starts_on <= today


def submit_comment(
    c: Consultation, *, body: str, name: str = "", contact: str = "", at: dt.datetime | None = None
) -> Comment:
    """A comment from the public. ``at``: when it was received (paper letters entered later,
    the demo); default now."""
    at = at or timezone.now()
    body = (body or "").strip()
    if not body:
        raise ConsultationError("请填写意见建议")
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=c.pk)
        if not accepting(row, timezone.localtime(at).date()):
            raise ConsultationError("不在意见征集期内")
        comment = Comment.objects.create(
            consultation=row,
            body=body[:5000],
            name=name.strip()[:100],
            contact=contact.strip()[:200],
            submitted_at=at,
        )
        _event(row, "comment", "收到意见", row.state, row.state, None, data={"comment": comment.pk})
    return comment


def moderate(
    comment: Comment, decision: str, *, actor, reason: str = "", merge_into: int | None = None
) -> Comment:
    c = comment.consultation
    _require(actor, c.agency_id, STAFF, "处理意见")
    with transaction.atomic():
        row = Comment.objects.select_for_update().get(pk=comment.pk)
        target = None
        if decision == rules.MERGED and merge_into:
            target = (
                Comment.objects.filter(consultation=row.consultation_id, pk=merge_into)
                .exclude(pk=row.pk)
                .first()
            )
        problem = rules.moderation_problem(row.state, decision, reason, target.state if target else None)
        if problem:
            raise ConsultationError(problem)
        if Consultation.objects.get(pk=row.consultation_id).state == rules.FEEDBACK:
            raise ConsultationError("采纳情况已反馈，不能再处理意见")
        before = row.state
        row.state, row.reason, row.merged_into = decision, (reason or "").strip(), target
        row.decided_by, row.decided_at = actor, timezone.now()
        row.save()
        _event(
            row.consultation,
            "moderate",
            f"意见{rules.COMMENT_LABELS[decision]}",
            before,
            decision,
            actor,
            reason,
            {"comment": row.pk, "merged_into": target.pk if target else None},
        )
    return row


def counts(c: Consultation) -> dict[str, int]:
    rows = c.comments.select_related("merged_into")
    return rules.feedback_counts((r.state, r.merged_into.state if r.merged_into_id else None) for r in rows)


def publish_feedback(c: Consultation, summary: str, *, actor, on: dt.date | None = None) -> Consultation:
    _require(actor, c.agency_id, PUBLISHERS, "发布采纳情况反馈")
    from gongkai.pii import services as pii

    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=c.pk)
        row.feedback_summary = (summary or "").strip()
        on = on or timezone.localdate()
        problem = rules.feedback_problem(
            row.state, row.ends_on, on, counts(row)["pending"], row.feedback_summary
        )
        if problem is None:
            problem = pii.guard_message(row)
        if problem:
            raise ConsultationError(problem)
        row.feedback_summary = pii.redacted(row, row.feedback_summary)
        before = state_now(row, on)
        row.state = rules.FEEDBACK
        row.feedback_published_on = on
        row.save()
        _event(row, "feedback", "发布采纳情况反馈", before, row.state, actor, data=counts(row))
    return row


def figures(agencies, year: int) -> list[dict]:
    """Per agency and year: drafts consulted, the share of normative documents consulted (of
    those published in the year), comments received and adopted."""
    from gongkai.records.models import Record

    out = []
    for agency in agencies:
        cons = Consultation.objects.filter(agency=agency, starts_on__year=year).exclude(state=rules.DRAFT)
        normative = Record.objects.filter(
            agency=agency, category=lc.NORMATIVE, state__in=lc.DISCLOSED_STATES, published_on__year=year
        )
        consulted = normative.filter(
            consultations__state__in=[rules.OPEN, rules.CLOSED, rules.FEEDBACK]
        ).distinct()
        received = adopted = 0
        for c in cons:
            n = counts(c)
            received += n["received"]
            adopted += n["adopted"]
        n_norm, n_cons = normative.count(), consulted.count()
        out.append(
            {
                "agency": agency,
                "consultations": cons.count(),
                "normative": n_norm,
                "normative_consulted": n_cons,
                "share": f"{n_cons / n_norm:.0%}" if n_norm else "—",
                "received": received,
                "adopted": adopted,
            }
        )
    return out
