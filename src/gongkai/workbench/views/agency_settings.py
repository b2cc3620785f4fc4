"""Agency settings (机关设置) for the agency's administrator (机关管理员) and superusers.

Letterhead data and tracking-number prefix (``agencies.services``), the agency's own letter
templates with preview and revert (``letters.agency_templates``), and staff roles. Everyone else
gets 404 (the page does not reveal that the agency exists).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape

from gongkai.agencies import services
from gongkai.agencies.access import acting_agency_ids
from gongkai.agencies.models import Agency, AgencyChange, Membership, Role
from gongkai.core.official_doc import render_html, render_pdf
from gongkai.letters import agency_templates
from gongkai.letters.models import LetterKind
from gongkai.letters.services import CONTEXT_DOC
from gongkai.portal.forms import HINT_ATTR  # the input-hint attribute name, one definition

HINTS = {
    "letterhead_name": "留空则使用机关名称",
    "office_hours": "如：工作日上午9:00—12:00，下午13:30—17:00",
    "reconsideration_body": "留空则按机关层级自动确定",
    "court": "留空则按机关层级自动确定",
    "username": "已有账号的用户名",
}


def _admin_agency(request, agency_id: int) -> Agency:
    """The agency if the user administers it (机关管理员) or is a superuser; else 404."""
    agency = get_object_or_404(Agency, pk=agency_id)
    if not services.can_administer(request.user, agency):
        raise Http404
    return agency


class LetterheadForm(forms.Form):
    letterhead_name = forms.CharField(label="文书署名", required=False, max_length=200)
    address = forms.CharField(label="通讯地址", required=False, max_length=300)
    postal_code = forms.CharField(label="邮政编码", required=False, max_length=10)
    phone = forms.CharField(label="联系电话", required=False, max_length=50)
    email = forms.CharField(label="电子邮箱", required=False, max_length=254)
    office_hours = forms.CharField(label="受理时间", required=False, max_length=200)
    reconsideration_body = forms.CharField(label="行政复议机关", required=False, max_length=200)
    court = forms.CharField(label="管辖人民法院", required=False, max_length=200)
    vertically_led = forms.BooleanField(
        label="实行垂直领导（海关、金融、外汇管理、税务、国家安全机关等，行政复议机关为上一级主管部门）",
        required=False,
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if name in HINTS:
                f.widget.attrs[HINT_ATTR] = HINTS[name]
        if agency is not None:  # the default the letters use when the field is left blank
            from gongkai.letters.services import derived_court, derived_reconsideration_body

            for name, derived in (
                ("reconsideration_body", derived_reconsideration_body(agency)),
                ("court", derived_court(agency)),
            ):
                if derived:
                    self.fields[name].help_text = f"留空则为：{derived}"
                    self.fields[name].widget.attrs[HINT_ATTR] = f"留空则为：{derived}"


class PrefixForm(forms.Form):
    tracking_prefix = forms.CharField(label="受理编号前缀", required=False, max_length=40)


class MemberForm(forms.Form):
    username = forms.CharField(label="用户名", required=False, max_length=150)
    role = forms.ChoiceField(label="角色", choices=[(r.value, r.label) for r in services.MANAGED_ROLES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs[HINT_ATTR] = HINTS["username"]


class TemplateForm(forms.Form):
    name = forms.CharField(label="模板名称", required=False, max_length=100)
    title = forms.CharField(label="标题", required=False, max_length=200)
    doc_number = forms.CharField(label="文号", required=False, max_length=200)
    addressee = forms.CharField(label="主送（称谓）", required=False, max_length=200)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 18}))
    notes = forms.CharField(label="附注", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    cc = forms.CharField(label="抄送", required=False, max_length=300)


@login_required
def agency_index(request):
    """The agencies the user administers: straight to the one, or a list."""
    if request.user.is_superuser:
        agencies = list(Agency.objects.order_by("path"))
    else:
        agencies = list(
            Agency.objects.filter(pk__in=acting_agency_ids(request.user, [Role.ADMIN])).order_by("path")
        )
    if not agencies:
        raise Http404
    if len(agencies) == 1:
        return redirect("workbench:agency_settings", agencies[0].pk)
    return render(request, "workbench/agency_settings_index.html", {"agencies": agencies})


def _settings_context(agency: Agency, **forms_) -> dict:
    initial = {f: getattr(agency, f) for f in services.LETTERHEAD_FIELDS}
    members = list(
        Membership.objects.filter(agency=agency).select_related("user").order_by("user__username", "role")
    )
    ctx = {
        "agency": agency,
        "letterhead_form": forms_.get("letterhead_form") or LetterheadForm(initial=initial, agency=agency),
        "prefix_form": forms_.get("prefix_form")
        or PrefixForm(initial={"tracking_prefix": agency.tracking_prefix}),
        "member_form": forms_.get("member_form") or MemberForm(),
        "members": members,
        "templates": agency_templates.template_overview(agency),
        "changes": list(AgencyChange.objects.filter(agency=agency).select_related("actor")[:20]),
        "wide_fields": ("letterhead_name", "address", "email", "office_hours"),
        "supervisor_role": Role.SUPERVISOR.value,
        "admin_role": Role.ADMIN.value,
    }
    return ctx


@login_required
def agency_settings(request, agency_id: int):
    agency = _admin_agency(request, agency_id)
    if request.method != "POST":
        return render(request, "workbench/agency_settings.html", _settings_context(agency))
    action = request.POST.get("action")
    bound: dict = {}
    try:
        if action == "letterhead":
            form = LetterheadForm(request.POST, agency=agency)
            bound["letterhead_form"] = form
            if form.is_valid():
                services.update_letterhead(agency, request.user, form.cleaned_data)
                messages.success(request, "文书抬头信息已保存，此后生成的文书将使用新的信息。")
                return redirect("workbench:agency_settings", agency.pk)
        elif action == "prefix":
            form = PrefixForm(request.POST)
            bound["prefix_form"] = form
            if form.is_valid():
                services.update_tracking_prefix(agency, request.user, form.cleaned_data["tracking_prefix"])
                messages.success(
                    request, "受理编号前缀已修改。已发出的受理编号不变，仅此后登记的申请使用新前缀。"
                )
                return redirect("workbench:agency_settings", agency.pk)
        elif action == "member_add":
            form = MemberForm(request.POST)
            bound["member_form"] = form
            if form.is_valid():
                services.add_membership(
                    agency, request.user, form.cleaned_data["username"], form.cleaned_data["role"]
                )
                messages.success(request, "岗位已添加。")
                return redirect("workbench:agency_settings", agency.pk)
        elif action == "member_remove":
            try:
                mid = int(request.POST.get("membership") or 0)
            except ValueError:
                mid = 0
            services.remove_membership(agency, request.user, mid)
            messages.success(request, "岗位已移除。")
            if not services.can_administer(request.user, agency):
                return redirect("workbench:queue")
            return redirect("workbench:agency_settings", agency.pk)
        else:
            messages.error(request, "未知的操作")
    except services.AgencySettingsError as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        raise Http404 from None
    return render(request, "workbench/agency_settings.html", _settings_context(agency, **bound), status=400)


def _kind_or_404(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise Http404 from None


@login_required
def agency_template(request, agency_id: int, kind: str):
    """One letter kind: create own from default, edit (syntax-checked), preview, revert."""
    agency = _admin_agency(request, agency_id)
    kind = _kind_or_404(kind)
    own = agency_templates.own_template(agency, kind.value)
    status = next(s for s in agency_templates.template_overview(agency) if s.kind == kind.value)
    errors: dict[str, str] = {}
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                agency_templates.create_own_template(agency, kind.value, request.user)
                messages.success(request, f"已由默认模板创建本机关“{kind.label}”模板，可在下方修改。")
                return redirect("workbench:agency_template", agency.pk, kind.value)
            if action == "revert":
                agency_templates.revert_to_default(agency, kind.value, request.user)
                messages.success(request, f"“{kind.label}”已恢复使用默认模板。")
                return redirect("workbench:agency_template", agency.pk, kind.value)
            if action == "save":
                form = TemplateForm(request.POST)
                form.is_valid()
                agency_templates.update_own_template(agency, kind.value, request.user, form.cleaned_data)
                messages.success(request, "模板已保存，此后生成的文书将使用新模板。")
                return redirect("workbench:agency_template", agency.pk, kind.value)
            messages.error(request, "未知的操作")
        except agency_templates.TemplateEditError as exc:
            errors = exc.errors
            messages.error(request, "模板未保存：" + "；".join(exc.errors.values()))
        except PermissionDenied:
            raise Http404 from None
    if form is None:
        src = own or status.effective
        form = TemplateForm(
            initial={f: getattr(src, f) for f in agency_templates.EDITABLE_FIELDS} if src else None
        )
    return render(
        request,
        "workbench/agency_settings_template.html",
        {
            "agency": agency,
            "kind": kind,
            "own": own,
            "status": status,
            "form": form,
            "errors": errors,
            "context_doc": CONTEXT_DOC,
        },
        status=400 if errors else 200,
    )


@login_required
def agency_template_preview(request, agency_id: int, kind: str, fmt: str):
    """The template in force rendered on a recent case of the agency (HTML or PDF; nothing stored)."""
    agency = _admin_agency(request, agency_id)
    kind = _kind_or_404(kind)
    if fmt not in ("html", "pdf"):
        raise Http404
    try:
        pv = agency_templates.preview(agency, kind.value)
    except agency_templates.TemplateEditError as exc:
        return HttpResponse(
            "预览失败：" + "；".join(exc.errors.values()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if fmt == "pdf":
        resp = HttpResponse(render_pdf(pv.letter), content_type="application/pdf")
        resp["Content-Disposition"] = f'inline; filename="preview-{kind.value}.pdf"'
        return resp
    html = render_html(pv.letter)
    banner = (
        '<div style="font:14px sans-serif;background:#fff8e1;border-bottom:1px solid #e0c97f;padding:6px 12px">'
        f"预览（不保存）：{escape(pv.source_label)}；模板：{'本机关模板' if pv.template.agency_id == agency.pk else '默认模板'}</div>"
    )
    banner += (
        "<style>@media screen { body { max-width: 180mm; margin: 0 auto 2rem; padding: 0 1rem; } }</style>"
    )
    html = html.replace("<body>", "<body>" + banner, 1) if "<body>" in html else banner + html
    return HttpResponse(html)
