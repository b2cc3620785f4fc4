"""Staff pages of the personal-data check (发布前个人信息检查): the list of objects with open
hits in the user's agencies, and one object's hits with 确认 / 排除 for each."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.agencies import access

from . import registry, services
from .models import PENDING, PiiHit


def _object(kind: str, pk: int):
    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        raise Http404 from None
    if model not in registry.models():
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    return obj, registry.target_for(obj)


@login_required
def queue(request):
    """Objects of the user's agencies with hits still 待确认."""
    acting = access.acting_agency_ids(request.user, services.DECIDERS)
    rows = []
    pending = PiiHit.objects.filter(status=PENDING).order_by("content_type", "object_id")
    seen = set()
    for hit in pending:
        key = (hit.content_type_id, hit.object_id)
        if key in seen:
            continue
        seen.add(key)
        obj = hit.target
        if obj is None:
            continue
        target = registry.target_for(obj)
        if target.agency_id(obj) not in acting:
            continue
        ct = ContentType.objects.get_for_id(hit.content_type_id)
        rows.append(
            {
                "label": target.label(obj),
                "kind": f"{ct.app_label}.{ct.model}",
                "pk": obj.pk,
                "count": pending.filter(content_type=hit.content_type_id, object_id=obj.pk).count(),
            }
        )
    return render(request, "pii/queue.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def check(request, kind: str, pk: int):
    obj, target = _object(kind, pk)
    agency_id = target.agency_id(obj)
    if agency_id not in access.visible_agency_ids(request.user):
        raise Http404
    may = services.may_decide(request.user, obj)
    if request.method == "POST":
        if not may:
            return render(request, "pii/check.html", {"forbidden": True}, status=403)
        action = request.POST.get("action")
        if action == "scan":
            services.scan(obj)
            messages.success(request, "已重新检查")
        elif action in (services.CONFIRMED, services.DISMISSED):
            hit = get_object_or_404(services.hits_of(obj), pk=request.POST.get("hit"))
            try:
                services.decide(hit, action, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, "已记录处理结果")
            except services.DecisionError as exc:
                messages.error(request, exc.message)
        return redirect(request.path)
    hits = list(services.hits_of(obj).select_related("decided_by").order_by("source", "start"))
    return render(
        request,
        "pii/check.html",
        {
            "obj": obj,
            "label": target.label(obj),
            "back": target.staff_url(obj),
            "hits": hits,
            "unresolved": services.unresolved(obj),
            "may_decide": may,
            "kind": kind,
        },
    )
