"""Clean-up campaigns (政策性文件清理): list and create, review each document, apply in one step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc
from gongkai.workbench import clock as wb_clock

from ..forms import CampaignForm
from ..models import CleanupCampaign, Record
from ..services import cleanup
from ..services.lifecycle import TransitionError


def _organiser_agencies(user) -> list[Agency]:
    return list(
        Agency.objects.filter(pk__in=access.acting_agency_ids(user, cleanup.ORGANISERS)).order_by("path")
    )


def _may_organise(user, campaign: CleanupCampaign) -> bool:
    return bool(access.roles_in(user, campaign.agency_id) & set(cleanup.ORGANISERS))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request):
    ids = access.visible_agency_ids(request.user)
    if not ids:
        raise Http404
    organiser = _organiser_agencies(request.user)
    form = CampaignForm(request.POST or None, agencies=organiser) if organiser else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                c = cleanup.create_campaign(
                    form.cleaned_data["agency"],
                    form.cleaned_data["name"],
                    include_subtree=form.cleaned_data["include_subtree"],
                    actor=request.user,
                )
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已建立清理，列入 {c.items.count()} 件现行有效文件")
                return redirect("records:campaign", c.pk)
    today = wb_clock.today()
    campaigns = CleanupCampaign.objects.filter(agency_id__in=ids).select_related("agency")
    flagged = Record.objects.filter(cleanup.review_overdue_q(today), agency_id__in=ids).count()
    return render(
        request,
        "records/staff/campaigns.html",
        {
            "campaigns": campaigns,
            "form": form,
            "flagged": flagged,
            "cycle": cleanup.review_cycle_months(),
        },
    )


def _visible_campaign(user, pk: int) -> CleanupCampaign:
    return get_object_or_404(
        CleanupCampaign.objects.select_related("agency"), pk=pk, agency_id__in=access.visible_agency_ids(user)
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, pk: int):
    campaign = _visible_campaign(request.user, pk)
    may = _may_organise(request.user, campaign) and campaign.state == CleanupCampaign.OPEN
    items = list(campaign.items.select_related("record", "record__agency", "decided_by"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not may:
            raise Http404
        saved = 0
        for item in items:
            decision = request.POST.get(f"decision-{item.pk}", "")
            reason = request.POST.get(f"reason-{item.pk}", "")
            if not decision or (decision == item.decision and reason.strip() == item.reason):
                continue
            try:
                cleanup.decide_item(item, decision, reason, actor=request.user)
                saved += 1
            except TransitionError as exc:
                errors[item.pk] = exc.message
        if not errors:
            messages.success(request, f"已保存 {saved} 件文件的清理结论")
            return redirect("records:campaign", campaign.pk)
    today = wb_clock.today()
    months = cleanup.review_cycle_months()
    rows = [
        {
            "item": i,
            "overdue": lc.review_overdue(i.record.last_reviewed_on, i.record.written_on, today, months),
            "error": errors.get(i.pk, ""),
            "posted_decision": request.POST.get(f"decision-{i.pk}", i.decision) if errors else i.decision,
            "posted_reason": request.POST.get(f"reason-{i.pk}", i.reason) if errors else i.reason,
        }
        for i in items
    ]
    counts = {label: sum(1 for i in items if i.decision == k) for k, label in lc.CLEANUP_DECISIONS}
    return render(
        request,
        "records/staff/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "may": may,
            "decisions": lc.CLEANUP_DECISIONS,
            "counts": counts,
            "undecided": sum(1 for i in items if not i.decision),
            "errors": errors,
        },
    )


@login_required
@require_POST
def campaign_apply(request, pk: int):
    campaign = _visible_campaign(request.user, pk)
    if not _may_organise(request.user, campaign):
        raise Http404
    try:
        counts = cleanup.apply_campaign(campaign, actor=request.user, on=wb_clock.today())
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        labels = dict(lc.CLEANUP_DECISIONS)
        messages.success(
            request, "清理结果已应用：" + "，".join(f"{labels[k]} {n} 件" for k, n in counts.items())
        )
    return redirect("records:campaign", campaign.pk)
