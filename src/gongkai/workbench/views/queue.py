"""The queue (待办队列): applications of the agencies the user may see."""

from __future__ import annotations

import urllib.parse

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import render

from gongkai.agencies.access import visible_agency_ids
from gongkai.agencies.models import Agency
from gongkai.applications.models import OPEN_STATES, Application, ApplicationState
from gongkai.applications.services.deadlines import get_calendar

from .. import clock
from ..clock import clock_for
from ..forms import QueueFilterForm, handler_choices

PAGE_SIZE = 50

ORDERINGS = {
    "due": [F("due_date").asc(nulls_last=True), "received_date", "serial"],
    "-due": [F("due_date").desc(nulls_last=True), "-received_date", "-serial"],
    "received": ["received_date", "serial"],
    "-received": ["-received_date", "-serial"],
}


def filter_queryset(qs, data: dict, user, today):
    """Apply every filter except the state tab."""
    if data.get("agency"):
        qs = qs.filter(agency_id=data["agency"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("applicant_type"):
        qs = qs.filter(applicant_type=data["applicant_type"])
    handler = data.get("handler")
    if handler == "me":
        qs = qs.filter(handler=user)
    elif handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif handler:
        qs = qs.filter(handler_id=int(handler))
    if data.get("overdue"):
        qs = qs.filter(state__in=OPEN_STATES, due_date__lt=today)
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(tracking_number__icontains=q) | Q(applicant_name__icontains=q) | Q(description__icontains=q)
        )
    return qs


@login_required
def queue(request):
    today = clock.today()
    ids = visible_agency_ids(request.user)
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("path"))
    form = QueueFilterForm(request.GET or None, agencies=agencies, handlers=handler_choices(ids))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    base = Application.objects.filter(agency_id__in=ids)
    filtered = filter_queryset(base, data, request.user, today)

    counts = dict(filtered.values_list("state").annotate(n=Count("pk")).order_by())
    tab = request.GET.get("state") or "open"
    if tab not in ("open", "all") and tab not in ApplicationState.values:
        tab = "open"
    tabs = [("open", "办理中（全部）", sum(counts.get(s, 0) for s in OPEN_STATES))]
    tabs += [(s.value, s.label, counts.get(s.value, 0)) for s in ApplicationState]
    tabs.append(("all", "全部", sum(counts.values())))

    if tab == "open":
        shown = filtered.filter(state__in=OPEN_STATES)
    elif tab == "all":
        shown = filtered
    else:
        shown = filtered.filter(state=tab)
    sort = data.get("sort") or "due"
    shown = shown.select_related("agency", "handler").order_by(*ORDERINGS.get(sort, ORDERINGS["due"]))
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))

    cal = get_calendar()
    rows = [{"app": a, "clock": clock_for(a, today, cal)} for a in page.object_list]

    params = {k: v for k, v in request.GET.items() if k not in ("page", "state") and v}
    keep = urllib.parse.urlencode(params)
    return render(
        request,
        "workbench/queue.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "tabs": [
                {
                    "key": k,
                    "label": label,
                    "count": n,
                    "query": urllib.parse.urlencode({**params, "state": k}),
                }
                for k, label, n in tabs
            ],
            "tab": tab,
            "keep": keep,
            "keep_state": urllib.parse.urlencode({**params, "state": tab}),
            "today": today,
            "overdue_count": filtered.filter(state__in=OPEN_STATES, due_date__lt=today).count(),
        },
    )
