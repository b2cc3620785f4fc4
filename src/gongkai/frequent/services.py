"""Detection of frequent requests, the agency's decision, figures, and similar past applications.

Settings: ``GONGKAI_FREQUENT_MIN_APPLICANTS`` (3 different applicants), ``GONGKAI_FREQUENT_SIMILARITY``
(0.45, cosine of TF-IDF over segmented words), ``GONGKAI_FREQUENT_WINDOW_DAYS`` (365: applications
received within this many days are compared).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai import trail
from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.core import text_cluster as tc

from .models import DECLINE, PROPOSED, PUBLISH, Proposal, ProposalEvent

DECIDERS = ("head", "admin")


class ProposalError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def min_applicants() -> int:
    return int(getattr(settings, "GONGKAI_FREQUENT_MIN_APPLICANTS", 3))


def min_similarity() -> float:
    return float(getattr(settings, "GONGKAI_FREQUENT_SIMILARITY", 0.45))


def window_days() -> int:
    return int(getattr(settings, "GONGKAI_FREQUENT_WINDOW_DAYS", 365))


def applicant_key(app) -> str:
    """Who asked: the identity document number when given, else the name with the phone."""
    if app.id_document_number:
        return f"id:{app.id_document_number.strip().upper()}"
    return f"name:{app.applicant_name.strip()}|{(app.phone or app.email or '').strip()}"


def _applications(agency_ids, today):
    from gongkai.applications.models import Application

    since = today - dt.timedelta(days=window_days())
    return Application.objects.filter(agency_id__in=list(agency_ids), received_date__gte=since).exclude(
        state="withdrawn"
    )


def _event(p, action, label, before, after, actor=None, reason="", data=None):
    return trail.append(ProposalEvent, {"proposal": p}, action, label, before, after, actor, reason, data)


def detect(agency: Agency, *, region: bool = False, today: dt.date | None = None) -> list[Proposal]:
    """Cluster the applications of ``agency`` (or of its whole subtree with ``region``) and make
    or extend a proposal for each cluster with enough different applicants. Returns the new or
    extended proposals."""
    today = today or timezone.localdate()
    ids = list(agency.subtree().values_list("pk", flat=True)) if region else [agency.pk]
    apps = list(
        _applications(ids, today).only(
            "pk", "description", "applicant_name", "id_document_number", "phone", "email", "agency_id"
        )
    )
    items = [tc.Item(a.pk, applicant_key(a), a.description) for a in apps]
    found = tc.clusters(items, min_similarity=min_similarity(), min_applicants=min_applicants())
    by_pk = {a.pk: a for a in apps}
    scope = "region" if region else "agency"
    changed = []
    for cl in found:
        if region and len({by_pk[k].agency_id for k in cl.keys}) < 2:
            continue  # one agency's own cluster is found by its own detection
        with transaction.atomic():
            hit = Proposal.objects.filter(agency=agency, scope=scope, applications__in=cl.keys).values("pk")[
                :1
            ]
            existing = Proposal.objects.select_for_update().filter(pk__in=hit).first()
            if existing is not None:
                known = set(existing.applications.values_list("pk", flat=True))
                new = set(cl.keys) - known
                if not new or existing.state != PROPOSED:
                    continue
                existing.applications.add(*new)
                existing.applicant_count = cl.size
                existing.save(update_fields=["applicant_count"])
                _event(
                    existing, "extend", "新增相同申请", PROPOSED, PROPOSED, data={"applications": sorted(new)}
                )
                changed.append(existing)
                continue
            title = min((by_pk[k].description.strip() for k in cl.keys), key=len)[:200]
            p = Proposal.objects.create(
                agency=agency,
                scope=scope,
                title=f"多人申请：{title}"[:300],
                terms=" ".join(cl.terms)[:300],
                applicant_count=cl.size,
            )
            p.applications.set(cl.keys)
            _event(
                p,
                "propose",
                "提出转主动公开建议",
                "",
                PROPOSED,
                data={"applications": list(cl.keys), "applicants": cl.size},
            )
            changed.append(p)
    return changed


def decide(p: Proposal, decision: str, *, actor, reason: str = "", record_title: str = "") -> Proposal:
    """The agency's decision, once: ``publish`` drafts a record (title given) to go through the
    records lifecycle; ``decline`` needs a reason."""
    if not access.has_role(actor, p.agency_id, *DECIDERS):
        raise ProposalError("只有机关负责人或机关管理员可以作出决定")
    reason = (reason or "").strip()
    if decision not in (PUBLISH, DECLINE):
        raise ProposalError("未知的决定")
    if decision == DECLINE and not reason:
        raise ProposalError("决定不主动公开的，应当说明理由")
    with transaction.atomic():
        row = Proposal.objects.select_for_update().get(pk=p.pk)
        if row.state != PROPOSED:
            raise ProposalError("该建议已作出决定")
        if decision == PUBLISH:
            from gongkai.records.services import lifecycle

            title = (record_title or "").strip() or row.title.removeprefix("多人申请：")
            row.record = lifecycle.create_record(
                row.agency,
                {
                    "title": title,
                    "category": "other",
                    "summary": f"依《条例》第四十四条，{row.applicant_count}名申请人申请公开的信息转为主动公开。",
                },
                actor=actor,
                roles={"handler"},  # drafted on the head's decision; the records lifecycle reviews it
            )
        row.state, row.reason, row.decided_by, row.decided_on = decision, reason, actor, timezone.localdate()
        row.save()
        _event(
            row,
            decision,
            dict(STATE_LABELS)[decision],
            PROPOSED,
            decision,
            actor,
            reason,
            {"record": row.record_id},
        )
    return row


STATE_LABELS = {PUBLISH: "决定主动公开", DECLINE: "决定不主动公开"}


def figures(agencies, year: int) -> list[dict]:
    out = []
    for a in agencies:
        qs = Proposal.objects.filter(agency=a, created_at__year=year)
        out.append(
            {
                "agency": a,
                "proposed": qs.count(),
                "published": qs.filter(state=PUBLISH).count(),
                "declined": qs.filter(state=DECLINE).count(),
                "pending": qs.filter(state=PROPOSED).count(),
            }
        )
    return out


def similar_applications(app, limit: int = 5) -> list[tuple[object, float]]:
    """Closed applications of the same agency (and its region) most like ``app``, with their
    answers: what was answered before for the same request."""
    from gongkai.applications.models import Application

    scope = app.agency.parent.subtree() if app.agency.parent_id else app.agency.subtree()
    past = list(
        Application.objects.filter(agency__in=scope, answered_on__isnull=False)
        .exclude(pk=app.pk)
        .select_related("agency")
        .order_by("-answered_on")[:2000]
    )
    if not past:
        return []
    ranked = tc.rank(app.description, [p.description for p in past])
    return [(past[i], s) for i, s in ranked if s >= 0.3][:limit]


def similar_section(request, app) -> dict | None:
    from django.urls import reverse

    rows = similar_applications(app)
    if not rows:
        return None
    visible = access.visible_agency_ids(request.user)
    items = []
    for other, score in rows:
        if other.agency_id not in visible:
            continue
        items.append(
            {
                "title": f"{other.tracking_number}（{other.agency.name}，{other.answered_on:%Y-%m-%d} 答复：{other.get_outcome_display() or '—'}）",
                "url": reverse("workbench:case", args=[other.pk]),
                "text": f"申请内容：{other.description[:120]}；答复：{(other.answer_text or '')[:200]}（相似度 {score:.2f}）",
            }
        )
    return {"id": "similar", "heading": "相似的既往申请及答复", "items": items} if items else None
