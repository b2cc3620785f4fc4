"""Periodic clean-up of policy documents (政策性文件清理).

A campaign (:class:`~gongkai.records.models.CleanupCampaign`) lists every document in force of an
agency (or its subtree) when it is created; each item is reviewed as 继续有效 / 修改 / 废止 / 失效
with a reason; :func:`apply_campaign` applies every decision in ONE transaction through the
lifecycle's single write path (``repeal`` / ``expire`` transitions; ``keep`` and ``amend`` record
the review on the document). The review cycle (``GONGKAI_RECORD_REVIEW_CYCLE_MONTHS``) flags
documents in force not reviewed for longer than the cycle.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc

from ..models import CleanupCampaign, CleanupItem, Record
from .lifecycle import TransitionError, append_event, transition

DECISION_LABELS = dict(lc.CLEANUP_DECISIONS)
# Roles that organise a campaign and decide its items (the agency's disclosure office and head).
ORGANISERS = (lc.ADMIN, lc.HEAD, lc.HANDLER)


def review_cycle_months() -> int:
    return int(getattr(settings, "GONGKAI_RECORD_REVIEW_CYCLE_MONTHS", 24))


def scope_q(agency: Agency, include_subtree: bool) -> Q:
    if include_subtree:
        return Q(agency__path__startswith=agency.path)
    return Q(agency=agency)


def in_force_documents(agency: Agency, include_subtree: bool = False):
    """Documents in force (rules, normative and other policy documents) of the scope."""
    return Record.objects.filter(
        scope_q(agency, include_subtree),
        state=lc.PUBLISHED,
        validity=lc.IN_FORCE,
        category__in=lc.POLICY_CATEGORIES,
    )


def review_overdue_q(today: dt.date, months: int | None = None) -> Q:
    """In-force documents whose last review (or 成文日期 when never reviewed) is older than the cycle."""
    months = review_cycle_months() if months is None else months
    cutoff = lc.add_months(today, -months)
    return Q(state=lc.PUBLISHED, validity=lc.IN_FORCE, category__in=lc.POLICY_CATEGORIES) & (
        Q(last_reviewed_on__lt=cutoff)
        | Q(last_reviewed_on__isnull=True, written_on__lt=cutoff)
        | Q(last_reviewed_on__isnull=True, written_on__isnull=True, published_on__lt=cutoff)
    )


def create_campaign(
    agency: Agency, name: str, *, include_subtree: bool = False, actor=None
) -> CleanupCampaign:
    """A campaign listing every document in force of the scope now."""
    name = (name or "").strip()
    if not name:
        raise TransitionError("请填写清理名称", "invalid")
    with transaction.atomic():
        campaign = CleanupCampaign.objects.create(
            name=name,
            agency=agency,
            include_subtree=include_subtree,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        docs = in_force_documents(agency, include_subtree).order_by("agency__path", "written_on", "pk")
        CleanupItem.objects.bulk_create([CleanupItem(campaign=campaign, record=r) for r in docs])
    return campaign


def decide_item(item: CleanupItem, decision: str, reason: str, *, actor=None) -> CleanupItem:
    if item.campaign.state != CleanupCampaign.OPEN:
        raise TransitionError("该清理已完成，不能再修改结论", "state")
    if decision not in DECISION_LABELS:
        raise TransitionError("请选择清理结论：继续有效、修改、废止或失效", "invalid")
    reason = (reason or "").strip()
    if decision != "keep" and not reason:
        raise TransitionError(f"清理结论为“{DECISION_LABELS[decision]}”的，应当写明理由", "invalid")
    item.decision, item.reason = decision, reason
    item.decided_by = actor if getattr(actor, "pk", None) else None
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    return item


def apply_campaign(campaign: CleanupCampaign, *, actor=None, on: dt.date | None = None) -> dict[str, int]:
    """Apply every decision in one transaction; refused when an item is undecided. Returns counts
    per decision. 废止 / 失效 go through the lifecycle transitions (recorded with the campaign's
    name); 继续有效 / 修改 are recorded as a ``cleanup_review`` event on the document."""
    on = on or timezone.localdate()
    counts = dict.fromkeys(DECISION_LABELS, 0)
    with transaction.atomic():
        campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.state != CleanupCampaign.OPEN:
            raise TransitionError("该清理已完成", "state")
        items = list(campaign.items.select_related("record"))
        undecided = [i for i in items if not i.decision]
        if undecided:
            raise TransitionError(f"还有 {len(undecided)} 件文件未作出清理结论", "precondition")
        roles = set(lc.PUBLISHERS)  # the organiser applies on behalf of every agency in scope
        for item in items:
            rec = Record.objects.select_for_update().get(pk=item.record_id)
            why = f"{campaign.name}：{item.reason}" if item.reason else campaign.name
            if item.decision in ("repeal", "expire") and rec.state in (lc.PUBLISHED, lc.AMENDED):
                transition(rec, item.decision, actor=actor, reason=why, data={"date": on}, roles=roles)
                rec = Record.objects.select_for_update().get(pk=rec.pk)
            rec.last_reviewed_on = on
            rec.needs_amendment = item.decision == "amend"
            rec.save(update_fields=["last_reviewed_on", "needs_amendment", "updated_at"])
            append_event(
                rec,
                "cleanup_review",
                label="文件清理",
                from_state=rec.state,
                to_state=rec.state,
                actor=actor,
                reason=why,
                effective_date=on,
                data={"campaign": campaign.pk, "decision": item.decision},
            )
            counts[item.decision] += 1
        campaign.state = CleanupCampaign.APPLIED
        campaign.applied_by = actor if getattr(actor, "pk", None) else None
        campaign.applied_on = on
        campaign.save(update_fields=["state", "applied_by", "applied_on"])
    return counts
