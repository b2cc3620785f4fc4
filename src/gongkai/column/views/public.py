"""Public pages of the disclosure column (政府信息公开专栏), per agency (/gk/<id>/) and per region
(/region/<id>/, the agency and every agency below it). No login; only disclosed records."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core import record_lifecycle as lc
from gongkai.core.disclosure_guide import guide_sections
from gongkai.files import protected_response
from gongkai.search import services as search_services
from gongkai.search.backends.base import SearchFilters

from .. import hooks
from ..guide import current_page
from ..models import PageKind
from ..services import (
    ART_ITEM_LABELS,
    CATALOGUE_SORT_LABELS,
    CATEGORY_LABELS,
    CSV_HEADERS,
    VALIDITY_LABELS,
    ListParams,
    catalogue,
    csv_response,
    json_response,
    page_json,
    page_of,
    public_records,
    record_row,
    scope_ids,
    wants,
)

POLICY_TABS = [("", "全部政策文件"), *((c, CATEGORY_LABELS[c]) for c in lc.POLICY_CATEGORIES)]


def _agency(agency_id: int) -> Agency:
    return get_object_or_404(Agency, pk=agency_id, active=True)


def _column(request, agency: Agency, region: bool, current: str) -> dict:
    """Context every column page shares: the agency, scope, and the sub-column navigation."""
    prefix = "column:region_" if region else "column:agency_"
    nav = [
        ("home", "专栏首页", reverse(prefix + "home", args=[agency.pk])),
        ("guide", "政府信息公开指南", reverse("column:guide", args=[agency.pk])),
        ("system", "政府信息公开制度", reverse("column:system", args=[agency.pk])),
        ("statutory", "法定主动公开内容", reverse(prefix + "statutory", args=[agency.pk])),
        ("catalogue", "主动公开目录", reverse(prefix + "catalogue", args=[agency.pk])),
        ("policies", "政策文件库", reverse(prefix + "policies", args=[agency.pk])),
        (
            "reports",
            "政府信息公开年报",
            reverse("public_reports:index") + "?" + urlencode({"q": agency.name}),
        ),
        ("apply", "依申请公开", reverse("portal:apply") + f"?agency={agency.pk}"),
    ]
    return {
        "agency": agency,
        "region": region,
        "scope_label": f"{agency.name}{'（含下级机关）' if region else ''}",
        "column_nav": nav,
        "current": current,
        "prefix": prefix,
    }


def _warn(request, params: ListParams) -> None:
    for e in params.errors:
        messages.warning(request, e)


@require_GET
def home(request):
    """The platform's home (/): 「我要找政策」 first, then the columns of every agency."""
    agencies = list(Agency.objects.filter(active=True).order_by("path"))
    governments = [a for a in agencies if a.kind == AgencyKind.GOVERNMENT]
    latest = public_records().select_related("agency").order_by("-published_on", "-pk")[:10]
    from gongkai.records.models import Topic

    return render(
        request,
        "column/home.html",
        {
            "agencies": agencies,
            "governments": governments,
            "latest": latest,
            "topics": Topic.objects.filter(active=True, parent__isnull=True),
            "categories": POLICY_TABS[1:],
        },
    )


@require_GET
def agency_home(request, agency_id: int, region: bool = False):
    agency = _agency(agency_id)
    ids = scope_ids(agency, region)
    records = public_records().filter(agency_id__in=ids).select_related("agency")
    ctx = _column(request, agency, region, "home")
    ctx.update(
        latest=records.order_by("-published_on", "-pk")[:10],
        counts={label: records.filter(category=code).count() for code, label in lc.CATEGORY_CHOICES},
        children=agency.children.filter(active=True).order_by("path"),
    )
    return render(request, "column/agency_home.html", ctx)


@require_GET
def guide(request, agency_id: int):
    agency = _agency(agency_id)
    page = current_page(agency, PageKind.GUIDE, request)
    ctx = _column(request, agency, False, "guide")
    ctx.update(page=page, sections=guide_sections(page.body), can_edit=page.can_edit(request.user))
    return render(request, "column/guide.html", ctx)


@require_GET
def system(request, agency_id: int):
    agency = _agency(agency_id)
    page = current_page(agency, PageKind.SYSTEM, request)
    # the agency's own documents about disclosure work (制度): found by the search backend
    found = search_services.search(
        '"政府信息公开"', SearchFilters(kind="records.record", agencies=[agency.pk]), per_page=20
    )
    ctx = _column(request, agency, False, "system")
    ctx.update(
        page=page, sections=guide_sections(page.body), found=found, can_edit=page.can_edit(request.user)
    )
    return render(request, "column/system.html", ctx)


@require_GET
def statutory(request, agency_id: int, region: bool = False):
    """法定主动公开内容: the Art. 20/21 items with their counts; one item's list when chosen."""
    agency = _agency(agency_id)
    ids = scope_ids(agency, region)
    params = ListParams.from_request(request)
    _warn(request, params)
    counts = dict(
        public_records()
        .filter(agency_id__in=ids)
        .exclude(art_item="")
        .values_list("art_item")
        .annotate(n=Count("pk"))
    )
    items = [(code, label, counts.get(code, 0)) for code, label in lc.ART_ITEM_CHOICES]
    ctx = _column(request, agency, region, "statutory")
    ctx.update(items=items, params=params)
    if params.art_item:
        qs = catalogue(ids, params)
        page = page_of(qs, params)
        fmt = wants(request)
        if fmt == "csv":
            return csv_response((record_row(r, request) for r in qs.iterator()), CSV_HEADERS, "statutory.csv")
        if fmt == "json":
            return json_response(
                page_json(page, [record_row(r, request) for r in page], params, item=params.art_item)
            )
        ctx.update(page=page, item_label=ART_ITEM_LABELS[params.art_item], topics=_topics())
    return render(request, "column/statutory.html", ctx)


def _topics():
    from gongkai.records.models import Topic

    return Topic.objects.filter(active=True).select_related("parent")


@require_GET
def catalogue_view(request, agency_id: int, region: bool = False):
    """主动公开目录: 索引号, 名称, 内容概述, 生成日期; sortable, filterable, paged; JSON and CSV."""
    agency = _agency(agency_id)
    ids = scope_ids(agency, region)
    params = ListParams.from_request(request)
    qs = catalogue(ids, params)
    fmt = wants(request)
    if fmt == "csv":
        return csv_response((record_row(r, request) for r in qs.iterator()), CSV_HEADERS, "catalogue.csv")
    page = page_of(qs, params)
    if fmt == "json":
        return json_response(page_json(page, [record_row(r, request) for r in page], params))
    _warn(request, params)
    ctx = _column(request, agency, region, "catalogue")
    ctx.update(
        page=page,
        params=params,
        sorts=CATALOGUE_SORT_LABELS,
        topics=_topics(),
        categories=lc.CATEGORY_CHOICES,
        validities=lc.VALIDITY_CHOICES,
        issuers=Agency.objects.filter(pk__in=ids).order_by("path") if region else None,
    )
    return render(request, "column/catalogue.html", ctx)


@require_GET
def policies(request, agency_id: int, region: bool = False):
    """政策文件库: rules, normative and other policy documents, searched with the backend."""
    agency = _agency(agency_id)
    ids = scope_ids(agency, region)
    from .search import run_search

    ctx = _column(request, agency, region, "policies")
    result = run_search(request, agencies=ids, default_types=list(lc.POLICY_CATEGORIES))
    if not isinstance(result, dict):
        return result  # JSON / CSV
    ctx.update(result, tabs=POLICY_TABS)
    return render(request, "column/policies.html", ctx)


@require_GET
def document(request, pk: int):
    from gongkai.records.models import Record

    record = get_object_or_404(
        Record.objects.select_related("agency", "topic", "replaced_by").prefetch_related(
            "joint_agencies", "attachments"
        ),
        pk=pk,
        state__in=lc.DISCLOSED_STATES,
    )
    replaced = record.replaced_by if (record.replaced_by and record.replaced_by.is_disclosed) else None
    ctx = {
        "record": record,
        "issuers": [record.agency, *record.joint_agencies.all()],
        "category_label": CATEGORY_LABELS.get(record.category, ""),
        "validity_label": VALIDITY_LABELS.get(record.validity, ""),
        "art_item_label": ART_ITEM_LABELS.get(record.art_item, ""),
        "replaced_by": replaced,
        "replaces": [r for r in record.replaces.all() if r.is_disclosed],
        "in_force": record.validity == lc.IN_FORCE,
        "body_paragraphs": [p for p in record.body.splitlines() if p.strip()],
        "interpretations": [],
    }
    for fn in hooks.document_context:
        ctx.update(fn(request, record) or {})
    ctx["extra_sections"] = [sec for fn in hooks.document_sections for sec in (fn(request, record) or [])]
    return render(request, "column/document.html", ctx)


@require_GET
def attachment(request, pk: int, attachment_id: int):
    """An attachment of a disclosed record, served through this view (never a media URL)."""
    from gongkai.records.models import RecordAttachment

    att = get_object_or_404(
        RecordAttachment.objects.select_related("record"),
        pk=attachment_id,
        record_id=pk,
        record__state__in=lc.DISCLOSED_STATES,
    )
    att = hooks.public_attachment(att)
    ctype = att.content_type or mimetypes.guess_type(att.original_name)[0] or "application/octet-stream"
    inline = ctype in ("application/pdf", "image/png", "image/jpeg", "text/plain")
    return protected_response(
        att.file, filename=att.original_name, content_type=ctype, inline=inline, private=False
    )
