"""Queries behind the column pages: which records are public, an agency's or region's scope,
list parameters read from the query string (bad values are dropped with a Chinese message, never
an error page), the catalogue (主动公开目录) and exports (JSON, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc

PER_PAGE = 20
MAX_PER_PAGE = 100
CATEGORY_LABELS = dict(lc.CATEGORY_CHOICES)
VALIDITY_LABELS = dict(lc.VALIDITY_CHOICES)
ART_ITEM_LABELS = dict(lc.ART_ITEM_CHOICES)
FIRST_YEAR = 1980

# 主动公开目录 sort keys: value -> ORDER BY (the id makes every order total)
CATALOGUE_SORTS = {
    "-generated": ("-written_on", "-pk"),
    "generated": ("written_on", "pk"),
    "-published": ("-published_on", "-pk"),
    "published": ("published_on", "pk"),
    "index_number": ("index_number", "pk"),
    "-index_number": ("-index_number", "-pk"),
    "title": ("title", "pk"),
}
CATALOGUE_SORT_LABELS = {
    "-generated": "生成日期（新→旧）",
    "generated": "生成日期（旧→新）",
    "-published": "发布日期（新→旧）",
    "published": "发布日期（旧→新）",
    "index_number": "索引号（升序）",
    "-index_number": "索引号（降序）",
    "title": "名称",
}


def public_records():
    from gongkai.records.models import Record

    return Record.objects.filter(state__in=lc.DISCLOSED_STATES)


def scope_ids(agency: Agency, region: bool) -> list[int]:
    if not region:
        return [agency.pk]
    return list(agency.subtree().filter(active=True).values_list("pk", flat=True))


@dataclass
class ListParams:
    """Filters and paging from the query string; ``errors`` lists what was ignored and why."""

    q: str = ""
    issuer: int | None = None
    year: int | None = None
    topic: str = ""
    category: str = ""
    validity: str = ""
    art_item: str = ""
    sort: str = "-generated"
    page: int = 1
    per_page: int = PER_PAGE
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, request, *, sorts=CATALOGUE_SORTS, max_year: int | None = None) -> ListParams:
        """``max_year``: the latest year accepted (default next year; the API takes any year up to
        its schema's maximum and simply finds nothing)."""
        g = request.GET
        p = cls(q=g.get("q", "").strip()[:200])
        p.issuer = p._int(g.get("issuer"), "发文机关")
        year = p._int(g.get("year"), "年份")
        last = max_year if max_year is not None else dt.date.today().year + 1
        if year is not None and not (FIRST_YEAR <= year <= last):
            p.errors.append(f"年份“{year}”超出范围，已忽略")
            year = None
        p.year = year
        p.topic = g.get("topic", "").strip()[:20]
        p.category = p._choice(g.get("category"), CATEGORY_LABELS, "信息类别")
        p.validity = p._choice(g.get("validity"), VALIDITY_LABELS, "有效性")
        p.art_item = p._choice(g.get("item"), ART_ITEM_LABELS, "条例条项")
        sort = g.get("sort") or next(iter(sorts))
        if sort not in sorts:
            p.errors.append("排序方式无效，已按默认排序")
            sort = next(iter(sorts))
        p.sort = sort
        p.page = p._int(g.get("page"), "页码") or 1
        per_page = p._int(g.get("per_page"), "每页条数")
        if per_page:
            p.per_page = max(1, min(per_page, MAX_PER_PAGE))
        return p

    def _int(self, raw, label) -> int | None:
        if raw in (None, ""):
            return None
        try:
            return int(str(raw).strip())
        except ValueError:
            self.errors.append(f"{label}“{raw}”不是有效的数字，已忽略")
            return None

    def _choice(self, raw, choices: dict, label) -> str:
        if not raw:
            return ""
        if raw not in choices:
            self.errors.append(f"{label}“{raw}”无效，已忽略")
            return ""
        return raw

    def query_string(self, **overrides) -> str:
        """The list's query string without the page (paging links add it), some values replaced."""
        from urllib.parse import urlencode

        values = {
            "q": self.q,
            "issuer": self.issuer,
            "year": self.year,
            "topic": self.topic,
            "category": self.category,
            "validity": self.validity,
            "item": self.art_item,
            "sort": self.sort,
        }
        values.update(overrides)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def catalogue(agency_ids: list[int], p: ListParams):
    """The 主动公开目录 of these agencies, filtered and sorted (not paged)."""
    qs = (
        public_records().filter(agency_id__in=agency_ids)
        if len(agency_ids) != 1
        else public_records().filter(agency_id=agency_ids[0])
    )
    if p.issuer:
        qs = qs.filter(Q(agency_id=p.issuer) | Q(joint_agencies=p.issuer)).distinct()
    if p.year:
        qs = qs.filter(written_on__year=p.year)
    if p.topic:
        qs = qs.filter(Q(topic__code=p.topic) | Q(topic__parent__code=p.topic))
    if p.category:
        qs = qs.filter(category=p.category)
    if p.validity:
        qs = qs.filter(validity=p.validity)
    if p.art_item:
        qs = qs.filter(art_item=p.art_item)
    if p.q:
        qs = qs.filter(
            Q(title__icontains=p.q) | Q(index_number__icontains=p.q) | Q(doc_number__icontains=p.q)
        )
    return qs.select_related("agency", "topic").order_by(*CATALOGUE_SORTS[p.sort])


def page_of(qs, p: ListParams):
    paginator = Paginator(qs, p.per_page)
    return paginator.get_page(p.page)


def record_row(r, request=None) -> dict:
    """One record as an export row (JSON and CSV share it)."""
    from django.urls import reverse

    url = reverse("column:document", args=[r.pk])
    return {
        "index_number": r.index_number,
        "title": r.title,
        "summary": r.summary,
        "generated_on": (r.written_on or r.published_on).isoformat()
        if (r.written_on or r.published_on)
        else "",
        "published_on": r.published_on.isoformat() if r.published_on else "",
        "doc_number": r.doc_number,
        "agency": r.agency.name,
        "category": CATEGORY_LABELS.get(r.category, ""),
        "topic": r.topic.name if r.topic_id else "",
        "validity": VALIDITY_LABELS.get(r.validity, ""),
        "url": request.build_absolute_uri(url) if request is not None else url,
    }


CSV_HEADERS = {
    "index_number": "索引号",
    "title": "名称",
    "summary": "内容概述",
    "generated_on": "生成日期",
    "published_on": "发布日期",
    "doc_number": "发文字号",
    "agency": "发文机关",
    "category": "信息类别",
    "topic": "主题分类",
    "validity": "有效性",
    "url": "链接",
}


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, headers: dict, filename: str) -> StreamingHttpResponse:
    """A CSV download (UTF-8 with BOM, so spreadsheet programs read the Chinese), streamed."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(list(headers.values()))
        for row in rows:
            yield writer.writerow([row.get(k, "") for k in headers])

    resp = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return resp


def json_response(data) -> HttpResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, safe=False)


def wants(request) -> str:
    """``json`` / ``csv`` / ``html`` from ``?format=``."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in ("json", "csv") else "html"


def page_json(page, rows: list[dict], p: ListParams, **extra) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "num_pages": page.paginator.num_pages,
        "per_page": p.per_page,
        "ignored": p.errors,
        **extra,
        "results": rows,
    }


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
