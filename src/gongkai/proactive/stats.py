"""Section 2 of the annual report (二、主动公开政府信息情况) computed from proactive data: the
Art. 20(1) table from the government information records (``gongkai.records``), the other tables
from the Art. 20 counts.

``section2(agency_ids, year, template_id)`` returns ``{table_key: {row_key: {column_key: value}}}``
with the keys of ``report_schema`` for the chosen template, summed over ``agency_ids`` (a list of
ids or a queryset of ids).

The two queries are exposed as builders (``documents_queryset``, ``art20_queryset``) and their
rows are turned into tables by ``section2_from_rows``, so the annual report can run them inside
one combined statement (``annual_reports.services.stats.report_facts``) with the same logic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from gongkai.core import record_lifecycle as lc
from gongkai.core.report_schema import get_template, template_for_year
from gongkai.records.models import Record

from .models import ART20_COLUMN_FIELDS, Art20Count

# 2021 Art. 20(1) row keys in print order; the 2019 rows are matched by position
# (规章 -> 规章, 行政规范性文件 -> 规范性文件).
_DOC_ROWS_2021 = [r.key for r in get_template("2021").table("art20_1").cell_rows]
ART20_FIELDS = sorted(set(ART20_COLUMN_FIELDS.values()))


def _doc_row_map(template_id: str) -> dict[str, str]:
    rows = [r.key for r in get_template(template_id).table("art20_1").cell_rows]
    return dict(zip(_DOC_ROWS_2021, rows, strict=True))


def _ids(agency_ids):
    return agency_ids if isinstance(agency_ids, QuerySet) else list(agency_ids)


def document_columns(template_id: str) -> list[str]:
    return [c.key for c in get_template(template_id).table("art20_1").value_columns]


def documents_queryset(agency_ids, year: int, template_id: str) -> QuerySet:
    """GROUP BY category: the Art. 20(1) counts of the government information records (规章,
    行政规范性文件) by their dates (columns of ``template_id``).

    Issued (制发) = 成文日期 in the year, counting records that were issued (approved, withheld or
    disclosed; drafts are not). 废止 = 已废止 / 已失效 with the change date in the year. 现行有效 at
    31 Dec = issued by then and not repealed, expired or amended (replaced by a later record) by
    then. 2019 format: 本年新制作 = issued in Y, 本年新公开 = 发布日期 in Y, 对外公开总数量 =
    published by 31 Dec Y. Only the primary issuer counts (a joint document counts once)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ended = Q(validity__in=(lc.VALIDITY_REPEALED, lc.VALIDITY_EXPIRED))
    alive = (
        Q(written_on__lte=end)
        & ~Q(state__in=lc.UNPUBLISHED_STATES)
        & (Q(validity=lc.IN_FORCE) | Q(validity_changed_on__isnull=True) | Q(validity_changed_on__gt=end))
    )
    issued = Count("pk", filter=Q(written_on__range=(start, end)))
    if template_id == "2021":
        # 本年制发 · 本年废止 · 现行有效 (at 31 Dec)
        aggs = [
            issued,
            Count("pk", filter=ended & Q(validity_changed_on__range=(start, end))),
            Count("pk", filter=alive),
        ]
    else:
        # 本年新制作 · 本年新公开 · 对外公开总数量 (published by 31 Dec)
        pub = Q(state__in=lc.DISCLOSED_STATES)
        aggs = [
            issued,
            Count("pk", filter=pub & Q(published_on__range=(start, end))),
            Count("pk", filter=pub & Q(published_on__lte=end)),
        ]
    named = dict(zip(document_columns(template_id), aggs, strict=True))
    return (
        Record.objects.filter(
            agency_id__in=_ids(agency_ids), category__in=list(lc.SECTION2_ROWS), state__in=lc.ISSUED_STATES
        )
        .values(kind=F("category"))
        .annotate(**named)
        .order_by()
    )


def art20_kinds(template_id: str) -> list[str]:
    t = get_template(template_id)
    return sorted({r.key for tb in t.proactive_tables if tb.key != "art20_1" for r in tb.cell_rows})


def art20_queryset(agency_ids, year: int, template_id: str) -> QuerySet:
    """GROUP BY kind: sums of the Art. 20 counts of ``year``."""
    return (
        Art20Count.objects.filter(
            agency_id__in=_ids(agency_ids), year=year, kind__in=art20_kinds(template_id)
        )
        .values("kind")
        .annotate(**{f"sum_{f}": Sum(f) for f in ART20_FIELDS})
        .order_by()
    )


def section2_from_rows(template_id: str, document_rows: Iterable[dict], art20_rows: Iterable[dict]) -> dict:
    """Section 2 tables from the rows of the two querysets (dicts by column name)."""
    template = get_template(template_id)
    rowmap = _doc_row_map(template.id)
    result: dict[str, dict[str, dict]] = {}
    docs = template.table("art20_1").empty()
    for r in document_rows:
        key = rowmap.get(lc.SECTION2_ROWS.get(r["kind"], r["kind"]))
        if key is not None:
            for col in docs[key]:
                docs[key][col] += int(r[col] or 0)
    counts = {r["kind"]: r for r in art20_rows}
    for tb in template.proactive_tables:
        if tb.key == "art20_1":
            result[tb.key] = docs
            continue
        table = tb.empty()
        for row in tb.cell_rows:
            agg = counts.get(row.key)
            for col in tb.value_columns:
                raw = agg.get(f"sum_{ART20_COLUMN_FIELDS[col.key]}") if agg else None
                table[row.key][col.key] = Decimal(raw or 0) if col.type == "money" else int(raw or 0)
        result[tb.key] = table
    return result


def section2(agency_ids, year: int, template_id: str | None = None) -> dict:
    """All Section 2 tables of ``template_id`` (default: the template of ``year``)."""
    template = get_template(template_id) if template_id else template_for_year(year)
    ids = _ids(agency_ids)
    return section2_from_rows(
        template.id,
        documents_queryset(ids, year, template.id),
        art20_queryset(ids, year, template.id),
    )
