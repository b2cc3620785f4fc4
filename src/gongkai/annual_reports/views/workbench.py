"""Workbench pages of annual reports (年度报告工作台), proactive data and appeals. Chinese UI."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.appeals.models import Appeal
from gongkai.appeals.services import save_appeal
from gongkai.core.report_render import render_html_fragment
from gongkai.proactive.models import Art20Count
from gongkai.proactive.services import (
    IMPORT_COLUMNS,
    Art20ImportError,
    import_art20_counts,
    save_art20_count,
)
from gongkai.proactive.stats import section2

from .. import services
from ..forms import (
    AppealForm,
    Art20Form,
    CreateReportForm,
    ImportForm,
    NarrativeForm,
    PublishForm,
    default_year,
)
from ..models import AnnualReport, ReportVersion, Scope
from ..services.export import FORMATS, filename
from ..services.export import render as render_file
from ..services.stats import subtree_breakdown
from ..services.timeliness import STATUS_LABELS


def _msg(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or default_year())
    except ValueError:
        return default_year()


def _visible_report(request, report_id: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("agency", "current_version"),
        pk=report_id,
        agency_id__in=access.visible_agency_ids(request.user),
    )


def _acting_agency(request, agency_id: int) -> Agency:
    if agency_id not in access.visible_agency_ids(request.user):
        raise Http404
    return get_object_or_404(Agency, pk=agency_id)


@login_required
def report_list(request):
    year = _year(request)
    visible = access.visible_agency_ids(request.user)
    acting = access.acting_agency_ids(request.user)
    agencies = list(Agency.objects.filter(pk__in=acting, active=True).order_by("path"))
    reports = {
        (r.agency_id, r.scope): r
        for r in AnnualReport.objects.filter(agency_id__in=visible, year=year).select_related(
            "current_version"
        )
    }
    rows = []
    for a in agencies:
        for scope in (Scope.SINGLE, Scope.SUBTREE) if a.is_local_government else (Scope.SINGLE,):
            r = reports.get((a.pk, scope))
            draft = r.draft if r else None
            version = draft or (r.current_version if r else None)
            rows.append(
                {
                    "agency": a,
                    "scope": scope,
                    "scope_label": Scope(scope).label,
                    "report": r,
                    "draft": draft,
                    "version": version,
                }
            )
    return render(
        request,
        "annual_reports/workbench/list.html",
        {
            "rows": rows,
            "year": year,
            "years": range(dt.date.today().year, 2018, -1),
            "supervises": bool(access.supervised_roots(request.user)),
        },
    )


@login_required
@require_POST
def report_create(request):
    form = CreateReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "参数有误：" + form.errors.as_text())
        return redirect("annual_reports:list")
    agency = _acting_agency(request, form.cleaned_data["agency"])
    try:
        report, _ = services.get_or_create_draft(
            agency,
            form.cleaned_data["year"],
            subtree=form.cleaned_data["subtree"],
            template_id=form.cleaned_data["template_id"] or None,
            user=request.user,
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "无权操作。")
        return redirect("annual_reports:list")
    return redirect("annual_reports:detail", report_id=report.pk)


@login_required
def report_detail(request, report_id: int):
    report = _visible_report(request, report_id)
    draft = report.draft
    shown = draft or report.current_version
    data = services.version_data(shown) if shown else None
    narrative = NarrativeForm(template_id=report.template_id, initial=(data.text_sections if data else {}))
    can_edit = access.has_role(request.user, report.agency_id, *services.reports.EDIT_ROLES)
    can_publish = access.has_role(request.user, report.agency_id, *services.reports.PUBLISH_ROLES)
    is_head = access.has_role(request.user, report.agency_id, "head")
    return render(
        request,
        "annual_reports/workbench/detail.html",
        {
            "report": report,
            "draft": draft,
            "shown": shown,
            "preview": render_html_fragment(data) if data else "",
            "errors": [f for f in (shown.findings if shown else []) if f["severity"] == "error"],
            "warnings": [f for f in (shown.findings if shown else []) if f["severity"] == "warning"],
            "narrative": narrative,
            "publish_form": PublishForm(),
            "versions": report.versions.order_by("number"),
            "formats": list(FORMATS),
            "can_edit": can_edit,
            "can_publish": can_publish,
            "is_head": is_head,
            "deadline": report.statutory_deadline(),
            "breakdown": _breakdown(report, data),
        },
    )


def _breakdown(report: AnnualReport, data) -> dict | None:
    """Per-agency Section 3 flow of a region report, with the live totals beside the report's."""
    if report.scope != Scope.SUBTREE or data is None:
        return None
    rows = subtree_breakdown(report.agency, report.year)
    totals = {k: sum(r[k] for r in rows) for k in ("n_new", "n_in", "n_result", "n_out")}
    t = data.template
    flow = t.application_flow
    total_col = next(c.key for c in t.applications.value_columns if c.is_total)
    s3 = data.tables["applications"]
    in_report = {
        "n_new": s3[flow.new_received][total_col],
        "n_in": s3[flow.carried_in][total_col],
        "n_result": s3[flow.results_total][total_col],
        "n_out": s3[flow.carried_out][total_col],
    }
    labels = [
        t.applications.row(k).label
        for k in (flow.new_received, flow.carried_in, flow.results_total, flow.carried_out)
    ]
    return {
        "rows": [r for r in rows if any(r[k] for k in totals)],
        "totals": totals,
        "in_report": in_report,
        "labels": labels,
        "agencies": len(rows),
    }


def _draft_or_404(report: AnnualReport) -> ReportVersion:
    draft = report.draft
    if draft is None:
        raise Http404
    return draft


@login_required
@require_POST
def report_narratives(request, report_id: int):
    report = _visible_report(request, report_id)
    form = NarrativeForm(request.POST, template_id=report.template_id)
    if form.is_valid():
        try:
            services.update_narratives(_draft_or_404(report), form.cleaned_data, user=request.user)
            messages.success(request, "文字部分已保存。")
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _msg(exc))
    return redirect("annual_reports:detail", report_id=report.pk)


@login_required
@require_POST
def report_recompute(request, report_id: int):
    report = _visible_report(request, report_id)
    try:
        v = services.recompute_draft(_draft_or_404(report), user=request.user)
        messages.success(
            request, f"已按最新数据重新计算并校验：{v.error_count}项错误，{v.warning_count}项提示。"
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _msg(exc))
    return redirect("annual_reports:detail", report_id=report.pk)


@login_required
@require_POST
def report_publish(request, report_id: int):
    report = _visible_report(request, report_id)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        v = services.publish(
            _draft_or_404(report),
            request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
            change_note=form.cleaned_data.get("change_note", ""),
        )
        messages.success(request, f"第{v.number}版已发布。")
    except services.PublishBlocked as exc:
        messages.error(request, str(exc))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _msg(exc) or "无权发布。")
    return redirect("annual_reports:detail", report_id=report.pk)


@login_required
@require_POST
def report_correct(request, report_id: int):
    report = _visible_report(request, report_id)
    try:
        v = services.start_correction(report, user=request.user)
        messages.success(request, f"已创建更正草稿第{v.number}版。")
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _msg(exc) or "无权操作。")
    return redirect("annual_reports:detail", report_id=report.pk)


@login_required
def report_download(request, report_id: int, number: int, fmt: str):
    report = _visible_report(request, report_id)
    if fmt not in FORMATS:
        raise Http404
    version = get_object_or_404(ReportVersion, report=report, number=number)
    data = services.version_data(version)
    return _file_response(data, fmt, version.number, inline=fmt == "html")


def _file_response(data, fmt: str, number: int | None, inline: bool = False) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(render_file(data, fmt), content_type=FORMATS[fmt][0])
    disp = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f"{disp}; filename*=UTF-8''{quote(filename(data, fmt, number))}"
    if fmt == "html":
        # A standalone page with its own print style sheet and no script (django-csp keeps this).
        resp["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return resp


@login_required
def supervision(request):
    roots = access.supervised_roots(request.user)
    if not roots:
        raise Http404
    year = _year(request)
    today = timezone.localdate()
    groups = []
    for root in roots:
        rows = services.timeliness(root, year, today=today)
        summary = {k: sum(1 for r in rows if r.status == k) for k in STATUS_LABELS}
        failing = sum(1 for r in rows if r.fails_validation)
        groups.append(
            {
                "root": root,
                "rows": rows,
                "summary": [(STATUS_LABELS[k], v) for k, v in summary.items()],
                "failing": failing,
            }
        )
    return render(
        request,
        "annual_reports/workbench/supervision.html",
        {"groups": groups, "year": year, "years": range(dt.date.today().year, 2018, -1)},
    )


# -- proactive data (主动公开) -------------------------------------------------------------------------
@login_required
def proactive(request, agency_id: int):
    agency = _acting_agency(request, agency_id)
    year = _year(request)
    can_edit = access.has_role(request.user, agency.pk, *services.reports.EDIT_ROLES)
    counts = {c.kind: c for c in Art20Count.objects.filter(agency=agency, year=year)}
    form = Art20Form(initial_counts=counts)
    import_form = ImportForm()
    import_errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "counts":
            form = Art20Form(request.POST, initial_counts=counts)
            if form.is_valid():
                for kind, values in form.values().items():
                    if kind in counts or any(values.values()):
                        save_art20_count(agency, year, kind, values, user=request.user)
                messages.success(request, "第二十条事项统计已保存。")
                return redirect(f"{reverse('annual_reports:proactive', args=[agency.pk])}?year={year}")
        elif action == "import":
            import_form = ImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                f = import_form.cleaned_data["file"]
                try:
                    res = import_art20_counts(
                        f.name,
                        f.read(),
                        user=request.user,
                        allowed_agency_ids=access.acting_agency_ids(
                            request.user, services.reports.EDIT_ROLES
                        ),
                    )
                    messages.success(request, f"导入成功：新增{res.created}条，更新{res.updated}条。")
                    return redirect(f"{reverse('annual_reports:proactive', args=[agency.pk])}?year={year}")
                except Art20ImportError as exc:
                    import_errors = exc.errors
    documents = section2([agency.pk], year, "2021")["art20_1"]
    return render(
        request,
        "annual_reports/workbench/proactive.html",
        {
            "agency": agency,
            "year": year,
            "form": form,
            "import_form": import_form,
            "import_errors": import_errors,
            "documents": documents,
            "can_edit": can_edit,
            "import_columns": [label for _, label in IMPORT_COLUMNS],
        },
    )


@login_required
def appeals(request, agency_id: int, appeal_id: int | None = None):
    """Cases of one agency; ``appeal_id`` edits a case (e.g. records its decision)."""
    agency = _acting_agency(request, agency_id)
    can_edit = access.has_role(request.user, agency.pk, *services.reports.EDIT_ROLES)
    instance = get_object_or_404(Appeal, pk=appeal_id, agency=agency) if appeal_id else None
    form = AppealForm(instance=instance)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = AppealForm(request.POST, instance=instance or Appeal(agency=agency))
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["agency"] = agency
            save_appeal(data, instance=Appeal.objects.get(pk=instance.pk) if instance else None)
            messages.success(request, "案件已保存。" if instance else "案件已登记。")
            return redirect("annual_reports:appeals", agency_id=agency.pk)
    cases = Appeal.objects.filter(agency=agency).order_by("-filed_date")[:500]
    return render(
        request,
        "annual_reports/workbench/appeals.html",
        {"agency": agency, "form": form, "cases": cases, "can_edit": can_edit, "editing": instance},
    )
