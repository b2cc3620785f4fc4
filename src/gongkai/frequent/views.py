"""Staff pages: proposals to publish frequently requested information proactively (Art. 44),
detection on demand, the agency's decision, yearly counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency

from . import services
from .models import Proposal


@login_required
def proposals(request):
    ids = access.visible_agency_ids(request.user)
    if not ids:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    agencies = Agency.objects.filter(pk__in=ids).order_by("path")
    return render(
        request,
        "frequent/list.html",
        {
            "proposals": Proposal.objects.filter(agency_id__in=ids).select_related("agency", "record"),
            "agencies": agencies,
            "figures": [r for r in services.figures(agencies, year) if r["proposed"]],
            "year": year,
            "threshold": services.min_applicants(),
        },
    )


@login_required
@require_POST
def detect(request):
    agency = get_object_or_404(Agency, pk=request.POST.get("agency"))
    region = request.POST.get("scope") == "region"
    allowed = access.visible_agency_ids(request.user) if region else access.acting_agency_ids(request.user)
    if agency.pk not in allowed:
        raise Http404
    found = services.detect(agency, region=region)
    messages.success(request, f"检测完成：新增或更新建议 {len(found)} 条")
    return redirect("frequent:list")


@login_required
def detail(request, pk: int):
    p = get_object_or_404(Proposal.objects.select_related("agency", "record", "decided_by"), pk=pk)
    if p.agency_id not in access.visible_agency_ids(request.user):
        raise Http404
    if request.method == "POST":
        try:
            services.decide(
                p,
                request.POST.get("decision", ""),
                actor=request.user,
                reason=request.POST.get("reason", ""),
                record_title=request.POST.get("record_title", ""),
            )
            messages.success(request, "已记录决定")
        except services.ProposalError as exc:
            messages.error(request, exc.message)
        return redirect("frequent:detail", pk)
    visible = access.visible_agency_ids(request.user)
    return render(
        request,
        "frequent/detail.html",
        {
            "p": p,
            "apps": [
                a
                for a in p.applications.select_related("agency").order_by("received_date")
                if a.agency_id in visible
            ],
            "events": p.events.select_related("actor"),
            "may_decide": access.has_role(request.user, p.agency_id, *services.DECIDERS),
        },
    )
