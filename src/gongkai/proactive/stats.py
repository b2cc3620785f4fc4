"""Section 2 of the annual report (二、主动公开政府信息情况) computed from proactive data.

``section2(agency_ids, year, template_id)`` returns ``{table_key: {row_key: {column_key: value}}}``
with the keys of ``report_schema`` for the chosen template, summed over ``agency_ids``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.core.report_schema import get_template

from .models import ART20_COLUMN_FIELDS, Art20Count, NormativeDocument

# 2021 Art. 20(1) row keys in print order; the 2019 rows are matched by position
# (规章 -> 规章, 行政规范性文件 -> 规范性文件).
_DOC_ROWS_2021 = [r.key for r in get_template("2021").table("art20_1").cell_rows]


def _doc_row_map(template_id: str) -> dict[str, str]:
    rows = [r.key for r in get_template(template_id).table("art20_1").cell_rows]
    return dict(zip(_DOC_ROWS_2021, rows, strict=True))


def _art20_1(agency_ids, year: int, template_id: str) -> dict[str, dict[str, int]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tb = get_template(template_id).table("art20_1")
    out = tb.empty()
    rowmap = _doc_row_map(template_id)
    alive = Q(issue_date__lte=end) & (Q(abolition_date__isnull=True) | Q(abolition_date__gt=end))
    if template_id == "2021":
        aggs = {
            "issued": Count("pk", filter=Q(issue_date__range=(start, end))),
            "repealed": Count("pk", filter=Q(abolition_date__range=(start, end))),
            "in_force": Count("pk", filter=alive),
        }
    else:
        pub = Q(published=True)
        aggs = {
            "new_made": Count("pk", filter=Q(issue_date__range=(start, end))),
            "new_published": Count("pk", filter=pub & Q(published_date__range=(start, end))),
            "total_published": Count("pk", filter=pub & Q(published_date__lte=end)),
        }
    rows = NormativeDocument.objects.filter(agency_id__in=agency_ids).values("kind").annotate(**aggs).order_by()
    for r in rows:
        key = rowmap.get(r["kind"])
        if key is None:
            continue
        for col in aggs:
            out[key][col] += r[col]
    return out


def section2(agency_ids: Iterable[int], year: int, template_id: str | None = None) -> dict:
    """All Section 2 tables of ``template_id`` (default: the template of ``year``)."""
    from gongkai.core.report_schema import template_for_year

    template = get_template(template_id) if template_id else template_for_year(year)
    ids = agency_ids if isinstance(agency_ids, QuerySet) else list(agency_ids)
    result: dict[str, dict[str, dict]] = {}
    counts = {}
    kinds = {r.key for tb in template.proactive_tables if tb.key != "art20_1" for r in tb.cell_rows}
    fields = sorted(set(ART20_COLUMN_FIELDS.values()))
    for r in (
        Art20Count.objects.filter(agency_id__in=ids, year=year, kind__in=kinds)
        .values("kind")
        .annotate(**{f: Sum(f) for f in fields})
        .order_by()
    ):
        counts[r["kind"]] = r
    for tb in template.proactive_tables:
        if tb.key == "art20_1":
            result[tb.key] = _art20_1(ids, year, template.id)
            continue
        table = tb.empty()
        for row in tb.cell_rows:
            agg = counts.get(row.key)
            for col in tb.value_columns:
                raw = agg[ART20_COLUMN_FIELDS[col.key]] if agg else None
                if col.type == "money":
                    table[row.key][col.key] = Decimal(raw or 0)
                else:
                    table[row.key][col.key] = int(raw or 0)
        result[tb.key] = table
    return result
