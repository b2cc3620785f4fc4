"""「我要找政策」: the search page over every registered kind (records, interpretations, …), its
JSON and CSV, and the search behind the policy library (政策文件库)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc
from gongkai.search import registry
from gongkai.search import services as search_services
from gongkai.search.backends.base import SearchFilters

from .. import hooks
from ..services import CATEGORY_LABELS, VALIDITY_LABELS, ListParams, csv_response, json_response, wants

SEARCH_SORTS = {"relevance": ()}
CSV_HEADERS = {
    "title": "标题",
    "doc_number": "发文字号",
    "index_number": "索引号",
    "agency": "发布机关",
    "published_on": "发布日期",
    "validity_label": "有效性",
    "category_label": "类别",
    "topic_label": "主题分类",
    "url": "链接",
}
CSV_MAX_PAGES = 50  # CSV of a search: the first 50 pages (1,000 hits)


def filters_from(params: ListParams, *, agencies=None, default_types=None, kind=None) -> SearchFilters:
    return SearchFilters(
        kind=kind,
        agencies=agencies,
        issuer=params.issuer,
        year=params.year,
        topic=params.topic or None,
        doc_type=params.category or default_types or None,
        validity=params.validity or None,
    )


def run_search(request, *, agencies=None, default_types=None):
    """Search with the request's query and filters. Returns the template context, or the JSON /
    CSV response when ``?format=`` asks for one."""
    params = ListParams.from_request(request, sorts=SEARCH_SORTS)
    kind = request.GET.get("kind") or None
    if kind and kind not in {r.kind for r in registry.all_registrations()}:
        params.errors.append("信息类型无效，已忽略")
        kind = None
    filters = filters_from(params, agencies=agencies, default_types=default_types, kind=kind)
    fmt = wants(request)
    if fmt == "csv":

        def rows():
            for n in range(1, CSV_MAX_PAGES + 1):
                page = search_services.search(params.q, filters, page=n, per_page=20)
                for h in page.hits:
                    row = h.as_json()
                    row["agency"] = h.extra.get("agency", "")
                    row["url"] = request.build_absolute_uri(h.url)
                    yield row
                if n >= page.num_pages:
                    break

        return csv_response(rows(), CSV_HEADERS, "search.csv")
    result = search_services.search(params.q, filters, page=params.page, per_page=params.per_page)
    if fmt == "html" and params.q and params.page == 1:
        hooks.searched(request, params.q)
    if fmt == "json":
        return json_response(
            {
                "query": params.q,
                "count": result.total,
                "count_capped": result.capped,
                "page": result.page,
                "num_pages": result.num_pages,
                "per_page": result.per_page,
                "ignored": params.errors,
                "results": [{**h.as_json(), "url": request.build_absolute_uri(h.url)} for h in result.hits],
            }
        )
    for e in params.errors:
        messages.warning(request, e)
    from gongkai.records.models import Topic

    return {
        "params": params,
        "result": result,
        "kind": kind,
        "kinds": [(r.kind, r.label) for r in registry.all_registrations()],
        "topics": Topic.objects.filter(active=True).select_related("parent"),
        "categories": lc.CATEGORY_CHOICES,
        "category_labels": CATEGORY_LABELS,
        "validities": list(VALIDITY_LABELS.items()),
        "years": range(search_year_max(), 2000, -1),
        "issuers": Agency.objects.filter(active=True).order_by("path"),
        "pages": page_window(result.page, result.num_pages),
    }


def search_year_max() -> int:
    import datetime as dt

    return dt.date.today().year


def page_window(page: int, num_pages: int, width: int = 3) -> list[int]:
    lo, hi = max(1, page - width), min(num_pages, page + width)
    return list(range(lo, hi + 1))


@require_GET
def search(request):
    result = run_search(request)
    if not isinstance(result, dict):
        return result
    return render(request, "column/search.html", result)
