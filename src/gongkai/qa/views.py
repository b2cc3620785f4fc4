"""问答 (public) and its curation (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies import access

from . import services
from .models import HIDDEN, PINNED, QUESTION, SEARCH, Curation


@require_GET
def ask(request):
    q = (request.GET.get("q") or "").strip()[:200]
    results = services.answer(q) if q else []
    if q:
        services.log(QUESTION, q)
    return render(
        request,
        "qa/ask.html",
        {
            "q": q,
            "results": results,
            "suggestions": services.suggestions(),
            "terms": services.top(SEARCH, 10),
        },
    )


def _curator(user) -> bool:
    return access.is_staff_member(user) and bool(
        access.acting_agency_ids(user, ("admin",)) or user.is_superuser
    )


@login_required
def curate(request):
    if not _curator(request.user):
        raise Http404
    return render(
        request,
        "qa/curate.html",
        {
            "questions": services.top(QUESTION, 30),
            "terms": services.top(SEARCH, 30),
            "curations": Curation.objects.all(),
        },
    )


@login_required
@require_POST
def curate_action(request):
    if not _curator(request.user):
        raise Http404
    text = services._clean(request.POST.get("text", ""))
    kind = request.POST.get("kind") if request.POST.get("kind") in (QUESTION, SEARCH) else QUESTION
    state = request.POST.get("state")
    if state == "remove":
        Curation.objects.filter(kind=kind, text=text).delete()
    elif state in (PINNED, HIDDEN) and text:
        Curation.objects.update_or_create(
            kind=kind, text=text, defaults={"state": state, "created_by": request.user}
        )
    messages.success(request, "已保存")
    return redirect("qa:curate")
