"""Staff pages of policy interpretations: the 三同步 queue (documents of the user's agencies that
need an interpretation, flagged when missing or late), create/edit, review actions, images with
alt text, and the supervision figures of a subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.core import interpretation_rules as rules
from gongkai.records.models import Record

from . import services
from .forms import ImageForm, InterpretationForm
from .models import Interpretation


def _acting(user):
    return access.acting_agency_ids(user, (*rules.AUTHORS, *rules.REVIEWERS))


@login_required
def queue(request):
    acting = _acting(request.user)
    if not acting:
        raise Http404
    records = list(services.required_records(acting)[:300])
    sync = services.sync_for_records(records)
    rows = [{"record": r, "sync": sync.get(r.pk)} for r in records]
    order = {rules.MISSING: 0, rules.LATE: 1, rules.PENDING: 2}
    rows.sort(key=lambda row: order.get(row["sync"].status if row["sync"] else "", 3))
    open_items = Interpretation.objects.filter(agency_id__in=acting).exclude(state=rules.PUBLISHED)
    return render(
        request,
        "interpretations/staff_queue.html",
        {
            "rows": rows,
            "open_items": open_items.exclude(state=rules.WITHDRAWN).select_related("agency"),
            "flagged": sum(1 for r in rows if r["sync"] and r["sync"].flagged),
            "limit": services.limit_workdays(),
        },
    )


def _agency_for_new(request) -> Agency:
    acting = access.acting_agency_ids(request.user, rules.AUTHORS)
    rec_id = request.GET.get("record") or request.POST.get("record")
    if rec_id:
        rec = get_object_or_404(Record, pk=rec_id)
        if rec.agency_id in acting:
            return rec.agency
    agency_id = request.GET.get("agency") or request.POST.get("agency")
    if agency_id and int(agency_id) in acting:
        return Agency.objects.get(pk=agency_id)
    if len(acting) == 1:
        return Agency.objects.get(pk=next(iter(acting)))
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    agency = _agency_for_new(request)
    form = InterpretationForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "GET" and request.GET.get("record"):
        form.fields["record_ids"].initial = [int(request.GET["record"])]
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in InterpretationForm.Meta.fields}
        try:
            interp = services.create(
                agency,
                data,
                records=list(form.cleaned_data["record_ids"]),
                qa=form.cleaned_data["qa_text"],
                actor=request.user,
            )
        except (services.InterpretationError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or "; ".join(exc.messages))
        else:
            return redirect("interpretations:staff_detail", interp.pk)
    return render(request, "interpretations/staff_form.html", {"form": form, "agency": agency})


def _visible(request, pk) -> Interpretation:
    interp = get_object_or_404(Interpretation.objects.select_related("agency", "reviewer"), pk=pk)
    if interp.agency_id not in access.visible_agency_ids(request.user):
        raise Http404
    return interp


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk: int):
    interp = _visible(request, pk)
    roles = access.roles_in(request.user, interp.agency_id)
    editable = interp.state == rules.DRAFT and bool(roles & {*rules.AUTHORS, *rules.REVIEWERS})
    form = (
        InterpretationForm(request.POST or None, request.FILES or None, instance=interp, agency=interp.agency)
        if editable
        else None
    )
    if request.method == "POST":
        if not editable:
            return HttpResponseForbidden("不能修改")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in InterpretationForm.Meta.fields}
            try:
                services.update(
                    interp,
                    data,
                    records=list(form.cleaned_data["record_ids"]),
                    qa=form.cleaned_data["qa_text"],
                    actor=request.user,
                )
                messages.success(request, "已保存")
                return redirect("interpretations:staff_detail", pk)
            except (services.InterpretationError, ValidationError) as exc:
                messages.error(request, getattr(exc, "message", None) or "; ".join(exc.messages))
    sync = services.sync_for_records(interp.records.all())
    return render(
        request,
        "interpretations/staff_detail.html",
        {
            "i": interp,
            "form": form,
            "image_form": ImageForm() if editable else None,
            "actions": rules.available(interp.state, roles),
            "events": interp.events.select_related("actor"),
            "documents": [(r, sync.get(r.pk)) for r in interp.records.all()],
            "pii_url": reverse("pii:check", args=["interpretations.interpretation", interp.pk]),
        },
    )


@login_required
@require_POST
def action(request, pk: int, name: str):
    interp = _visible(request, pk)
    try:
        services.transition(interp, name, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, f"已{rules.TRANSITIONS[name].label}")
    except services.InterpretationError as exc:
        messages.error(request, exc.message)
    except KeyError:
        raise Http404 from None
    return redirect("interpretations:staff_detail", pk)


@login_required
@require_POST
def add_image(request, pk: int):
    interp = _visible(request, pk)
    if interp.state != rules.DRAFT or not access.has_role(request.user, interp.agency_id, *rules.AUTHORS):
        return HttpResponseForbidden("不能修改")
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        interp.images.create(
            image=form.cleaned_data["image"],
            alt_text=form.cleaned_data["alt_text"].strip(),
            sort=interp.images.count(),
        )
        services.record_edit(interp, request.user, "image")
        messages.success(request, "已添加图片")
    else:
        messages.error(request, "请选择图片并填写替代文字")
    return redirect("interpretations:staff_detail", pk)


@login_required
def supervision(request):
    """三同步 figures per agency of the user's subtree (supervisors) or own agencies, for a year."""
    roots = access.supervised_roots(request.user)
    ids = set(access.visible_agency_ids(request.user))
    if not ids:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("path"))
    rows = [r for r in services.figures(agencies, year) if r["required"]]
    records = list(services.required_records(ids, year))
    sync = services.sync_for_records(records)
    flagged = [(r, sync[r.pk]) for r in records if sync.get(r.pk) and sync[r.pk].flagged]
    totals = {k: sum(r[k] for r in rows) for k in (*rules.SYNC_LABELS, "required", "flagged")}
    return render(
        request,
        "interpretations/supervision.html",
        {
            "rows": rows,
            "year": year,
            "flagged": flagged,
            "totals": totals,
            "roots": roots,
            "limit": services.limit_workdays(),
        },
    )
