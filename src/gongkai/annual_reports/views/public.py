"""Public portal pages of published annual reports (政府信息公开工作年度报告).

Stable URLs: ``/reports/<agency_id>/<year>/`` (current version), ``.../v<n>/`` (a given published
version), and ``download.<fmt>`` under either. ``?scope=single|subtree`` picks the report when an
agency publishes both (default: the region report for local governments, else its own).
Drafts are never shown.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import uuid
from urllib.parse import quote

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from ..models import AnnualReport, ReportStatus, ReportVersion, Scope
from ..services.export import FORMATS, file_name
from ..services.renditions import REVISION, etag, etag_of, rendition_hashes, renditions
from ..services.renditions import chart_data as chart_data  # re-exported (tests, templates)

# Public caches may keep a page or a current download this long (a correction shows within it);
# a download of a numbered version (``v<n>/``) never changes.
PAGE_MAX_AGE = 300
VERSION_MAX_AGE = 86400
# A rendered public page is kept this long in the cache, under a hash of what it is made of.
PAGE_CACHE_SECONDS = 3600


def _published():
    return AnnualReport.objects.filter(status=ReportStatus.PUBLISHED, current_version__isnull=False)


def report_index(request):
    # Only the columns the list shows: no version data or findings (JSON) is read.
    qs = (
        _published()
        .select_related("agency", "current_version")
        .only(
            "year",
            "scope",
            "first_published_at",
            "agency__name",
            "current_version__number",
        )
    )
    # NUL cannot reach PostgreSQL (it refuses the string: a 500); "²".isdigit() is true too
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    year = request.GET.get("year") or ""
    if q:
        qs = qs.filter(Q(agency__name__icontains=q) | Q(agency__short_name__icontains=q))
    if re.fullmatch(r"[0-9]{4}", year):
        qs = qs.filter(year=int(year))
    qs = qs.order_by("-year", "agency__path", "scope")
    years = list(_published().order_by("-year").values_list("year", flat=True).distinct())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [
        (r.pk, r.agency_id, r.year, r.scope, r.title, r.first_published_at, r.current_version.number)
        for r in page
    ]
    tag = etag_of("index", REVISION, q, year, years, page.number, page.paginator.num_pages, rows)
    not_modified = _validators(request, tag, None, PAGE_MAX_AGE)
    if not_modified is not None:
        return not_modified
    context = {"page": page, "q": q, "year": year, "years": years}
    html = _cached_page(tag, lambda: render_to_string("annual_reports/public/index.html", context, request))
    return _cache_headers(HttpResponse(html), tag, None, PAGE_MAX_AGE)


# Rendered pages are kept per process: a new deployment (templates may have changed) or worker
# never reads a page another one rendered.
_PROCESS_KEY = uuid.uuid4().hex


def _cached_page(tag: str, render_page) -> str:
    """The rendered page named by ``tag`` — a hash of everything the page is made of — from the
    cache, else rendered and kept."""
    key = f"gk:public-page:{_PROCESS_KEY}:{tag.strip(chr(34))}"
    html = cache.get(key)
    if html is None:
        html = render_page()
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html


def _report(agency_id: int, year: int, scope: str | None) -> AnnualReport:
    reports = list(
        _published()
        .filter(agency_id=agency_id, year=year)
        .select_related("agency", "current_version")
        .defer("current_version__data", "current_version__findings")
        .annotate(data_agency_name=KeyTextTransform("agency_name", "current_version__data"))
    )
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
    """The version asked for, without its data (renditions are stored); ``data_agency_name`` is
    the agency name the version was computed for (its title and file names)."""
    if number is None:
        version = report.current_version
        version.data_agency_name = report.data_agency_name
        return version
    version = (
        ReportVersion.objects.filter(report=report, number=number, published_at__isnull=False)
        .defer("data", "findings")
        .annotate(data_agency_name=KeyTextTransform("agency_name", "data"))
        .first()
    )
    if version is None:
        raise Http404
    return version


def _validators(request, tag: str, last_modified, max_age: int, styles=None):
    """A 304 response when the client's copy is current, else None; ``_cache_headers`` then marks
    the full response the same way."""
    response = get_conditional_response(
        request, etag=tag, last_modified=int(last_modified.timestamp()) if last_modified else None
    )
    if response is not None:
        _cache_headers(response, tag, last_modified, max_age, styles)
    return response


def _style_hashes(html: str) -> list[str]:
    """CSP sources allowing the inline style sheets of ``html`` by hash (no per-request nonce, so
    the page stays the same for every visitor)."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode() + "'"
        for css in re.findall(r"<style>(.*?)</style>", html, re.S)
    ]


@functools.cache
def _report_style_sources() -> list[str]:
    from gongkai.core.report_render.html import report_css

    return _style_hashes(f"<style>{report_css()}</style>")


def _cache_headers(response, tag: str, last_modified, max_age: int, styles=None):
    # Also on a 304: its headers replace the cached ones, the CSP header included.
    response._csp_update = {"style-src": styles or _report_style_sources()}
    response["ETag"] = tag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def report_page(request, agency_id: int, year: int, number: int | None = None):
    report = _report(agency_id, year, request.GET.get("scope"))
    version = _version(report, number)
    versions = list(report.published_versions.only("report", "number", "published_at"))
    others = list(
        AnnualReport.objects.filter(agency_id=agency_id, status=ReportStatus.PUBLISHED)
        .exclude(pk=report.pk)
        .select_related("agency")
        .only("year", "scope", "updated_at", "agency__name")
        .order_by("-year", "scope")
    )
    # The page is made of these (and the stored body and charts, named by their hashes).
    hashes = rendition_hashes(version, ("fragment", "charts"))
    key = [version.pk, version.number, version.published_at, version.change_note, report.pk]
    key += [report.agency_id, report.year, report.current_version_id, report.title, report.scope]
    key += [REVISION, sorted(hashes.items())]
    key += [(v.pk, v.number, v.published_at) for v in versions]
    key += [(o.pk, o.agency_id, o.year, o.scope, o.title) for o in others]
    tag = etag_of("page", *key)
    last_modified = max([version.published_at, report.updated_at, *(o.updated_at for o in others)])
    not_modified = _validators(request, tag, last_modified, PAGE_MAX_AGE)
    if not_modified is not None:
        return not_modified

    def render_page() -> str:
        stored = renditions(version, tuple(hashes))
        return render_to_string(
            "annual_reports/public/report.html",
            {
                "report": report,
                "version": version,
                "is_current": version.pk == report.current_version_id,
                "versions": versions,
                "body": stored["fragment"].decode("utf-8"),
                "formats": [f for f in FORMATS if f != "html"],
                "scope_param": f"?scope={report.scope}",
                "others": others,
                "charts": json.loads(stored["charts"]),
            },
            request=request,
        )

    html = _cached_page(tag, render_page)
    return _cache_headers(HttpResponse(html), tag, last_modified, PAGE_MAX_AGE)


def report_download(request, agency_id: int, year: int, fmt: str, number: int | None = None):
    if fmt not in FORMATS:
        raise Http404
    report = _report(agency_id, year, request.GET.get("scope"))
    version = _version(report, number)
    max_age = PAGE_MAX_AGE if number is None else VERSION_MAX_AGE
    tag = etag(version, fmt)
    not_modified = _validators(request, tag, version.published_at, max_age, _download_styles(fmt))
    if not_modified is not None:
        return not_modified
    content = renditions(version, (fmt,))[fmt]
    response = HttpResponse(content, content_type=FORMATS[fmt][0])
    name = file_name(version.data_agency_name, report.year, fmt, version.number)
    disp = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f"{disp}; filename*=UTF-8''{quote(name)}"
    return _cache_headers(response, tag, version.published_at, max_age, _download_styles(fmt))


@functools.cache
def _download_styles(fmt: str) -> list[str]:
    """The HTML download's inline style sheet, allowed by hash (the file is the same for all)."""
    if fmt != "html":
        return []
    from gongkai.core.report_compute import build_report
    from gongkai.core.report_render import render_html

    return _style_hashes(render_html(build_report("样式", 2025))) or _report_style_sources()
