"""Public and staff pages of consultations (意见征集).

Public: the list, each consultation (draft, explanation, attachments, channels, period, the
comment form while open — rate-limited per IP like applications), and after the period the
feedback. Comments' names and contacts are never shown publicly. Staff: create, open, moderate
(采纳 / 合并 / 不采纳 with reason), publish the feedback; yearly figures for supervisors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.core import consultation_rules as rules
from gongkai.core import record_lifecycle as lc
from gongkai.files import protected_response
from gongkai.records.models import Record

from . import services
from .models import Comment, Consultation, ConsultationAttachment

COMMENT_RATE = "5/m"


class CommentForm(forms.Form):
    body = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    name = forms.CharField(label="姓名（可不填）", required=False, max_length=100)
    contact = forms.CharField(label="联系方式（用于反馈，不公开）", required=False, max_length=200)


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["title", "concerns_market", "explanation", "draft_text", "channels", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


def _public(pk):
    return get_object_or_404(
        Consultation.objects.select_related("agency", "record"),
        pk=pk,
        state__in=[rules.OPEN, rules.CLOSED, rules.FEEDBACK],
    )


@require_GET
def consultation_list(request):
    items = Consultation.objects.exclude(state=rules.DRAFT).select_related("agency")
    rows = [{"c": c, "state": rules.STATE_LABELS[services.state_now(c)]} for c in items[:200]]
    return render(request, "consultations/list.html", {"rows": rows})


@ratelimit(key="ip", rate=COMMENT_RATE, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    c = _public(pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return render(request, "429.html", status=429)
        if form.is_valid():
            try:
                services.submit_comment(c, **form.cleaned_data)
                messages.success(request, "您的意见已提交，感谢参与。")
                return redirect("consultations:detail", pk)
            except services.ConsultationError as exc:
                messages.error(request, exc.message)
    state = services.state_now(c)
    published_doc = c.record if c.record.is_disclosed else None
    return render(
        request,
        "consultations/detail.html",
        {
            "c": c,
            "state": state,
            "state_label": rules.STATE_LABELS[state],
            "accepting": services.accepting(c),
            "form": form,
            "counts": services.counts(c) if state == rules.FEEDBACK else None,
            "published_doc": published_doc,
            "draft_paragraphs": [p for p in c.draft_text.splitlines() if p.strip()],
        },
    )


@require_GET
def attachment(request, pk: int, att_id: int):
    c = _public(pk)
    att = get_object_or_404(ConsultationAttachment, pk=att_id, consultation=c)
    return protected_response(att.file, filename=att.original_name, private=False)


# -- staff ---------------------------------------------------------------------------------------
def _staff_visible(request, pk) -> Consultation:
    c = get_object_or_404(Consultation.objects.select_related("agency", "record"), pk=pk)
    if c.agency_id not in access.visible_agency_ids(request.user):
        raise Http404
    return c


@login_required
def staff_list(request):
    ids = access.visible_agency_ids(request.user)
    if not ids:
        raise Http404
    acting = access.acting_agency_ids(request.user, services.STAFF)
    drafts = Record.objects.filter(
        agency_id__in=acting, state__in=lc.UNPUBLISHED_STATES, category__in=lc.POLICY_CATEGORIES
    ).order_by("-pk")[:100]
    items = Consultation.objects.filter(agency_id__in=ids).select_related("agency", "record")
    rows = [
        {"c": c, "state": rules.STATE_LABELS[services.state_now(c)], "counts": services.counts(c)}
        for c in items
    ]
    return render(request, "consultations/staff_list.html", {"rows": rows, "drafts": drafts})


@login_required
@require_http_methods(["GET", "POST"])
def new(request, record_id: int):
    record = get_object_or_404(Record, pk=record_id)
    if not access.has_role(request.user, record.agency_id, *services.STAFF):
        raise Http404
    initial = {"title": f"关于《{record.title}（征求意见稿）》公开征求意见的公告", "draft_text": record.body}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create(record, form.cleaned_data, actor=request.user)
            for f in request.FILES.getlist("attachments"):
                ConsultationAttachment.objects.create(consultation=c, file=f, original_name=f.name)
            return redirect("consultations:staff_detail", c.pk)
        except services.ConsultationError as exc:
            form.add_error(None, exc.message)
    kind = services.kind_of(record)
    need = rules.minimum(kind, False, services.minimums())
    return render(
        request,
        "consultations/staff_new.html",
        {
            "form": form,
            "record": record,
            "kind_label": rules.KIND_LABELS[kind],
            "need": need,
            "market_need": rules.minimum(kind, True, services.minimums()),
        },
    )


@login_required
def staff_detail(request, pk: int):
    c = _staff_visible(request, pk)
    return render(
        request,
        "consultations/staff_detail.html",
        {
            "c": c,
            "state": services.state_now(c),
            "state_label": rules.STATE_LABELS[services.state_now(c)],
            "comments": c.comments.select_related("merged_into", "decided_by"),
            "counts": services.counts(c),
            "events": c.events.select_related("actor"),
            "may_act": access.has_role(request.user, c.agency_id, *services.STAFF),
            "decisions": [(rules.ACCEPTED, "采纳"), (rules.MERGED, "合并处理"), (rules.REJECTED, "不采纳")],
        },
    )


@login_required
@require_POST
def staff_action(request, pk: int, name: str):
    c = _staff_visible(request, pk)
    try:
        if name == "open":
            services.open_consultation(c, actor=request.user)
        elif name == "moderate":
            comment = get_object_or_404(Comment, pk=request.POST.get("comment"), consultation=c)
            merge = request.POST.get("merge_into")
            services.moderate(
                comment,
                request.POST.get("decision", ""),
                actor=request.user,
                reason=request.POST.get("reason", ""),
                merge_into=int(merge) if merge and merge.isdigit() else None,
            )
        elif name == "feedback":
            services.publish_feedback(c, request.POST.get("summary", ""), actor=request.user)
        else:
            raise Http404
        messages.success(request, "已保存")
    except services.ConsultationError as exc:
        messages.error(request, exc.message)
    return redirect("consultations:staff_detail", pk)


@login_required
def figures(request):
    ids = access.visible_agency_ids(request.user)
    if not ids:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    agencies = Agency.objects.filter(pk__in=ids).order_by("path")
    rows = [r for r in services.figures(agencies, year) if r["consultations"] or r["normative"]]
    return render(request, "consultations/figures.html", {"rows": rows, "year": year})
