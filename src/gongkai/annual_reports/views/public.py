"""Public portal pages of published annual reports (政府信息公开工作年度报告).

Stable URLs: ``/reports/<agency_id>/<year>/`` (current version), ``.../v<n>/`` (a given published
version), and ``download.<fmt>`` under either. ``?scope=single|subtree`` picks the report when an
agency publishes both (default: the region report for local governments, else its own).
Drafts are never shown.
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from gongkai.core.report_render import render_html_fragment
from gongkai.core.report_schema import outcome_choices

from ..models import AnnualReport, ReportStatus, ReportVersion, Scope
from ..services import version_data
from ..services.export import FORMATS
from .workbench import _file_response


def _published():
    return AnnualReport.objects.filter(
        status=ReportStatus.PUBLISHED, current_version__isnull=False
    ).select_related("agency", "current_version")


def report_index(request):
    qs = _published()
    # NUL cannot reach PostgreSQL (it refuses the string: a 500); "²".isdigit() is true too
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    year = request.GET.get("year") or ""
    if q:
        qs = qs.filter(Q(agency__name__icontains=q) | Q(agency__short_name__icontains=q))
    if re.fullmatch(r"[0-9]{4}", year):
        qs = qs.filter(year=int(year))
    qs = qs.order_by("-year", "agency__path", "scope")
    years = sorted(set(_published().values_list("year", flat=True)), reverse=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "annual_reports/public/index.html", {"page": page, "q": q, "year": year, "years": years}
    )


def _report(agency_id: int, year: int, scope: str | None) -> AnnualReport:
    reports = list(_published().filter(agency_id=agency_id, year=year))
    if not reports:
        raise Http404
    if scope in (Scope.SINGLE, Scope.SUBTREE):
        for r in reports:
            if r.scope == scope:
                return r
        raise Http404
    preferred = Scope.SUBTREE if reports[0].agency.is_local_government else Scope.SINGLE
    reports.sort(key=lambda r: r.scope != preferred)
    return reports[0]


def _version(report: AnnualReport, number: int | None) -> ReportVersion:
    if number is None:
        return report.current_version
    return get_object_or_404(ReportVersion, report=report, number=number, published_at__isnull=False)


def chart_data(data) -> dict | None:
    """Data of the optional charts: Section 3 results (non-zero rows) and new applications by
    applicant type; labels from the schema. None when the report has no applications."""
    t = data.template
    s3 = data.tables["applications"]
    total_col = next(c.key for c in t.applications.value_columns if c.is_total)
    labels = dict(outcome_choices(t.id))
    results = [(labels[r.key], s3[r.key][total_col]) for r in t.result_rows if s3[r.key][total_col]]
    flow = t.application_flow
    applicants = [(c.qualified_label, s3[flow.new_received][c.key]) for c in t.applicant_columns]
    if not results and not any(v for _, v in applicants):
        return None
    return {
        "results": {
            "title": "本年度办理结果（件）",
            "labels": [x for x, _ in results],
            "values": [v for _, v in results],
        },
        "applicants": {
            "title": t.applications.row(flow.new_received).label + "（按申请人，件）",
            "labels": [x for x, _ in applicants],
            "values": [v for _, v in applicants],
        },
    }


def report_page(request, agency_id: int, year: int, number: int | None = None):
    report = _report(agency_id, year, request.GET.get("scope"))
    version = _version(report, number)
    data = version_data(version)
    others = (
        AnnualReport.objects.filter(agency_id=agency_id, status=ReportStatus.PUBLISHED)
        .exclude(pk=report.pk)
        .order_by("-year", "scope")
    )
    return render(
        request,
        "annual_reports/public/report.html",
        {
            "report": report,
            "version": version,
            "is_current": version.pk == report.current_version_id,
            "versions": report.published_versions,
            "body": render_html_fragment(data),
            "formats": [f for f in FORMATS if f != "html"],
            "scope_param": f"?scope={report.scope}",
            "others": others,
            "data": data,
            "charts": chart_data(data),
        },
    )


def report_download(request, agency_id: int, year: int, fmt: str, number: int | None = None):
    if fmt not in FORMATS:
        raise Http404
    report = _report(agency_id, year, request.GET.get("scope"))
    version = _version(report, number)
    return _file_response(version_data(version), fmt, version.number, inline=fmt == "html")
