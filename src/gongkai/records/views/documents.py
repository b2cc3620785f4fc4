"""Record list (queue with the Art. 26 clock), record page, editor, actions and attachments."""

from __future__ import annotations

import datetime as dt
import mimetypes
import urllib.parse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc
from gongkai.files import protected_response
from gongkai.workbench import clock as wb_clock

from ..forms import AttachmentForm, RecordFilterForm, RecordForm, action_form_class, find_record
from ..models import RecordAttachment
from ..services import attachments as attachment_service
from ..services import clock, lifecycle
from ..services.cleanup import review_overdue_q
from .common import get_visible_record, visible_records

PAGE_SIZE = 50
REASSESS_HORIZON_DAYS = 30

EVENT_FACT_LABELS = {
    "disclosure_attribute": "公开属性",
    "attribute_reason": "理由",
    "attribute_basis": "法律依据",
    "index_number": "索引号",
    "published_on": "发布日期",
    "validity": "有效性",
    "validity_changed_on": "日期",
    "replaced_by": "替代文件",
    "replaces": "替代的文件",
    "next_reassessment_on": "下次复核",
    "decision": "结论",
    "secrecy_reviewed": "保密审查",
    "consultation_held": "已征求意见",
    "interpretation_ready": "解读已准备",
    "consultation_note": "未征求意见理由",
    "interpretation_note": "未同步解读理由",
}


def tabs_for(today: dt.date) -> list[tuple[str, str, Q]]:
    cal = clock.get_calendar()
    return [
        ("pending", "待办（未发布）", Q(state__in=lc.UNPUBLISHED_STATES)),
        ("overdue", "第二十六条已逾期", clock.overdue_q(today)),
        ("due_soon", "即将到期", clock.due_soon_q(today, cal)),
        ("review", "待审查", Q(state=lc.IN_REVIEW)),
        ("published", "已公开", Q(state__in=lc.DISCLOSED_STATES)),
        (
            "reassess",
            "不公开信息待复核（第十八条）",
            Q(state=lc.WITHHELD, next_reassessment_on__lte=today + dt.timedelta(days=REASSESS_HORIZON_DAYS)),
        ),
        ("cleanup", "超过清理周期", review_overdue_q(today)),
        ("all", "全部", Q()),
    ]


def _filter(qs, data: dict):
    if data.get("agency"):
        qs = qs.filter(agency_id=data["agency"])
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(index_number__icontains=q))
    return qs


@login_required
def record_list(request):
    today = wb_clock.today()
    ids = access.visible_agency_ids(request.user)
    if not ids:
        raise Http404
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("path"))
    form = RecordFilterForm(request.GET or None, agencies=agencies)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    base = _filter(visible_records(request.user), data)
    tabs = tabs_for(today)
    tab = request.GET.get("tab") or "pending"
    if tab not in {k for k, _l, _q in tabs}:
        tab = "pending"
    params = {k: v for k, v in request.GET.items() if k not in ("page", "tab") and v}
    tab_rows = [
        {
            "key": k,
            "label": label,
            "count": base.filter(q).count(),
            "query": urllib.parse.urlencode({**params, "tab": k}),
        }
        for k, label, q in tabs
    ]
    shown = base.filter({k: q for k, _l, q in tabs}[tab]).select_related("agency", "topic")
    if tab in ("pending", "overdue", "due_soon", "review"):
        shown = shown.order_by("publish_due", "pk")
    elif tab == "reassess":
        shown = shown.order_by("next_reassessment_on", "pk")
    else:
        shown = shown.order_by("-published_on", "-written_on", "-pk")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    cal = clock.get_calendar()
    rows = [{"rec": r, "clock": clock.status(r, today, cal)} for r in page.object_list]
    return render(
        request,
        "records/staff/list.html",
        {
            "form": form,
            "tabs": tab_rows,
            "tab": tab,
            "rows": rows,
            "page": page,
            "keep": urllib.parse.urlencode({**params, "tab": tab}),
            "today": today,
            "clock_labels": lc.CLOCK_LABELS,
            "may_draft": bool(access.acting_agency_ids(request.user, lc.DRAFTERS)),
            "overdue_count": base.filter(clock.overdue_q(today)).count(),
        },
    )


def _drafting_agencies(user):
    return list(Agency.objects.filter(pk__in=access.acting_agency_ids(user, lc.DRAFTERS)).order_by("path"))


def _form_data(form) -> tuple[dict, list | None]:
    data = dict(form.cleaned_data)
    data.pop("agency", None)
    joint = data.pop("joint_agencies", None)
    return data, (list(joint) if joint is not None else None)


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request):
    agencies = _drafting_agencies(request.user)
    if not agencies:
        raise Http404
    form = RecordForm(request.POST or None, agencies=agencies, creating=True)
    if request.method == "POST" and form.is_valid():
        data, joint = _form_data(form)
        try:
            rec = lifecycle.create_record(
                form.cleaned_data["agency"], data, actor=request.user, joint=joint or ()
            )
        except lifecycle.TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存草稿")
            return redirect("records:detail", rec.pk)
    return render(request, "records/staff/edit.html", {"form": form, "record": None})


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, pk: int):
    rec = get_visible_record(request.user, pk)
    if not access.roles_in(request.user, rec.agency_id) & {*lc.DRAFTERS, *lc.PUBLISHERS}:
        raise Http404
    initial = {"joint_agencies": list(rec.joint_agencies.all())}
    form = RecordForm(request.POST or None, instance=rec, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        data, joint = _form_data(form)
        try:
            lifecycle.update_record(
                rec, data, actor=request.user, joint=joint, reason=request.POST.get("edit_reason", "")
            )
        except lifecycle.TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存")
            return redirect("records:detail", rec.pk)
    return render(request, "records/staff/edit.html", {"form": form, "record": rec})


def _timeline(rec) -> list[dict]:
    from ..models import Record

    rows = []
    events = list(rec.events.select_related("actor").order_by("seq"))
    linked = {
        v for ev in events for k, v in (ev.data or {}).items() if k in ("replaced_by", "replaces") and v
    }
    titles = dict(Record.objects.filter(pk__in=linked).values_list("pk", "title"))
    for ev in events:
        facts = []
        for key, value in (ev.data or {}).items():
            if key in EVENT_FACT_LABELS and value not in (None, "", [], {}):
                if isinstance(value, bool):
                    value = "是" if value else "否"
                elif key == "disclosure_attribute":
                    value = dict(lc.ATTRIBUTE_CHOICES).get(value, value)
                elif key == "validity":
                    value = dict(lc.VALIDITY_CHOICES).get(value, value)
                elif key in ("replaced_by", "replaces"):
                    value = titles.get(value, value)
                elif key == "decision":
                    value = dict([*lc.CLEANUP_DECISIONS, ("disclose", "转为主动公开")]).get(value, value)
                facts.append((EVENT_FACT_LABELS[key], value))
        if "changes" in (ev.data or {}):
            facts.append(("修改字段", "、".join(_field_label(n) for n in ev.data["changes"])))
        if "attachments" in (ev.data or {}):
            facts.append(("附件", "、".join(name for _pk, name in ev.data["attachments"])))
        actor = ev.actor.get_full_name() or ev.actor.get_username() if ev.actor else ev.actor_label
        rows.append(
            {
                "ev": ev,
                "action": ev.label or ev.action,
                "actor": actor,
                "from": lc.STATE_LABELS.get(ev.from_state, ""),
                "to": lc.STATE_LABELS.get(ev.to_state, ""),
                "facts": facts,
            }
        )
    return rows


def _field_label(name: str) -> str:
    from ..models import Record

    if name == "joint_agencies":
        return "联合发文机关"
    try:
        return str(Record._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - unknown names shown as they are
        return name


def _action_items(rec, user, bound: dict | None = None) -> list[dict]:
    items = []
    for t in lifecycle.actions_for(rec, user):
        cls = action_form_class(t.action)
        form = bound.get(t.action) if bound else None
        if form is None:
            initial = {}
            if t.action == "approve":
                initial = {
                    f: getattr(rec, f)
                    for f in (
                        "secrecy_reviewed",
                        "consultation_held",
                        "consultation_note",
                        "interpretation_ready",
                        "interpretation_note",
                    )
                }
            elif t.action == "decide_attribute" and rec.disclosure_attribute:
                initial = {
                    "disclosure_attribute": rec.disclosure_attribute,
                    "attribute_reason": rec.attribute_reason,
                    "attribute_basis": rec.attribute_basis,
                }
            form = cls(prefix=t.action, initial=initial)
        items.append({"key": t.action, "label": t.label, "basis": t.basis, "form": form, "open": bool(bound)})
    return items


def _detail(request, rec, bound=None):
    today = wb_clock.today()
    roles = access.roles_in(request.user, rec.agency_id)
    status = clock.status(rec, today)
    actions = _action_items(rec, request.user, bound)
    offered = {item["key"] for item in actions}
    refused = [
        e for key, form in (bound or {}).items() if key not in offered for e in form.non_field_errors()
    ]
    return render(
        request,
        "records/staff/detail.html",
        {
            "rec": rec,
            "joint": list(rec.joint_agencies.all()),
            "replaces": list(rec.replaces.all()),
            "attachments": list(rec.attachments.all()),
            "actions": actions,
            "refused": refused,
            "timeline": _timeline(rec),
            "clock": status,
            "clock_label": lc.CLOCK_LABELS.get(status, ""),
            "may_edit": bool(roles & {*lc.DRAFTERS, *lc.PUBLISHERS}),
            "content_locked": rec.state not in lifecycle.EDITABLE_STATES,
            "attachment_form": AttachmentForm() if roles & {*lc.DRAFTERS, *lc.PUBLISHERS} else None,
            "public": rec.state in lc.DISCLOSED_STATES,
            "today": today,
        },
    )


@login_required
def record_detail(request, pk: int):
    return _detail(request, get_visible_record(request.user, pk))


@login_required
@require_POST
def record_action(request, pk: int, action: str):
    rec = get_visible_record(request.user, pk)
    if action not in lc.TRANSITIONS:
        raise Http404
    form = action_form_class(action)(request.POST, prefix=action)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason" and v not in (None, "")}
        if "replaced_by" in data:
            other = find_record(data["replaced_by"], access.visible_agency_ids(request.user))
            if other is None:
                form.add_error("replaced_by", "找不到该文件，请核对索引号、发文字号或记录编号")
            else:
                data["replaced_by"] = other.pk
        if form.is_valid():
            try:
                lifecycle.transition(
                    rec, action, actor=request.user, reason=form.cleaned_data["reason"], data=data
                )
            except lifecycle.TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已{lc.TRANSITIONS[action].label}")
                return redirect("records:detail", rec.pk)
    rec.refresh_from_db()
    return _detail(request, rec, bound={action: form})


@login_required
@require_POST
def record_attach(request, pk: int):
    rec = get_visible_record(request.user, pk)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            added = attachment_service.add_attachments(rec, files, actor=request.user)
        except lifecycle.TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已上传 {len(added)} 个附件，文字提取在后台进行")
    return redirect("records:detail", rec.pk)


@login_required
def attachment_download(request, pk: int):
    att = get_object_or_404(
        RecordAttachment.objects.select_related("record"),
        pk=pk,
        record__agency_id__in=access.visible_agency_ids(request.user),
    )
    ctype = att.content_type or mimetypes.guess_type(att.original_name)[0] or "application/octet-stream"
    return protected_response(att.file, filename=att.original_name, content_type=ctype)
