"""PostgreSQL backend (default): segmented ``tsvector`` + GIN for words and filters, ``pg_trgm``
GIN on title and 文号 for partial matches, phrases checked as substrings of the candidates.

One term matches when
- its words are all in the document's vector, or (3+ characters) the title or 文号 contains it;
- a quoted phrase: its words are in the vector and the exact text is in the title or the text;
- a 发文字号: the 文号 contains it (any bracket style), or the text does.
Filters are lexemes of the same vector (``f:year:2024``), so the GIN index intersects words and
filters in one scan; several agencies (a region) use the ``agency_id`` column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection, transaction

from gongkai.core.search_text import ParsedQuery, SearchDocument, Term, facet, tsquery_any, tsquery_literal

from ..models import SearchEntry
from .base import HIT_FIELDS, MAX_COUNT, SearchBackend, SearchFilters, SearchPage, clamp_page
from .rows import entry_fields

TABLE = SearchEntry._meta.db_table
UPDATE_FIELDS = [
    f.name for f in SearchEntry._meta.concrete_fields if f.name not in {"id", "kind", "object_id"}
]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def term_sql(t: Term) -> tuple[str, list]:
    """SQL condition (and parameters) for one term matching a row."""
    words = tsquery_literal(t.words)
    if t.doc_number:
        return "(doc_number_norm LIKE %s OR (vector @@ %s::tsquery AND strpos(text, %s) > 0))", [
            _like(t.text),
            words,
            t.text,
        ]
    if t.phrase:
        return "(vector @@ %s::tsquery AND (strpos(title_norm, %s) > 0 OR strpos(text, %s) > 0))", [
            words,
            t.text,
            t.text,
        ]
    if t.trigram:
        return "(vector @@ %s::tsquery OR title_norm LIKE %s OR doc_number_norm LIKE %s)", [
            words,
            _like(t.text),
            _like(t.text),
        ]
    return "vector @@ %s::tsquery", [words]


def title_sql(t: Term) -> tuple[str, list]:
    """1 when the term is in the title (all its words, or its exact text), else 0."""
    needles = [t.text] if (t.phrase or t.doc_number) else t.words
    cond = " AND ".join(["strpos(title_norm, %s) > 0"] * len(needles))
    if t.doc_number:
        cond = f"({cond}) OR doc_number_norm LIKE %s"
        return f"(CASE WHEN {cond} THEN 2 ELSE 0 END)", [*needles, _like(t.text)]
    return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)", list(needles)


def where_sql(parsed: ParsedQuery, filters: SearchFilters) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    facets = filters.facets()
    # words of plain terms go into one tsquery with the filters: a single GIN scan
    plain = [t for t in parsed.positive if not (t.phrase or t.doc_number or t.trigram)]
    words = [w for t in plain for w in t.words]
    if words or facets:
        clauses.append("vector @@ %s::tsquery")
        params.append(tsquery_literal(words, facets))
    for t in parsed.positive:
        if t in plain:
            continue
        sql, p = term_sql(t)
        clauses.append(sql)
        params += p
    for t in parsed.terms:
        if t.negated:
            if t.phrase or t.doc_number:
                clauses.append("strpos(title_norm, %s) = 0 AND strpos(text, %s) = 0")
                params += [t.text, t.text]
            else:
                clauses.append("NOT (vector @@ %s::tsquery)")
                params.append(tsquery_literal(t.words))
    if len(filters.doc_types()) > 1:
        clauses.append("vector @@ %s::tsquery")
        params.append(tsquery_any([facet("doc_type", t) for t in filters.doc_types()]))
    if filters.agencies is not None:
        clauses.append("agency_id = ANY(%s)")
        params.append(list(filters.agencies))
    return (" AND ".join(clauses) or "TRUE"), params


class PostgresSearchBackend(SearchBackend):
    name = "postgres"

    def index(self, documents: Iterable[SearchDocument]) -> int:
        rows = [SearchEntry(**entry_fields(d)) for d in documents]
        if rows:
            SearchEntry.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=UPDATE_FIELDS,
            )
        return len(rows)

    def remove(self, kind: str, object_ids: Iterable[int]) -> int:
        return SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()[0]

    def clear(self, kind: str | None = None) -> int:
        qs = SearchEntry.objects.all()
        return (qs.filter(kind=kind) if kind else qs).delete()[0]

    def search(self, query, filters: SearchFilters | None = None, page=1, per_page: int = 20) -> SearchPage:
        parsed = self.parse(query)
        filters = filters or SearchFilters()
        page = clamp_page(page, per_page)
        where, params = where_sql(parsed, filters)
        tiers = [title_sql(t) for t in parsed.positive]
        tier_sql = "".join(f"{s} + " for s, _ in tiers)
        tier_params = [p for _, ps in tiers for p in ps]
        cols = ", ".join(HIT_FIELDS)
        order = f"({tier_sql}0) DESC, " if tiers else ""
        sql = (
            f"SELECT {cols} FROM {TABLE} WHERE {where} "
            f"ORDER BY {order}in_force DESC, published_on DESC NULLS LAST, id DESC "
            "LIMIT %s OFFSET %s"
        )
        count_sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} LIMIT %s) s"
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [*params, *tier_params, per_page, (page - 1) * per_page])
            names = [c.name for c in cur.description]
            rows = [dict(zip(names, r)) for r in cur.fetchall()]
            if len(rows) < per_page and (rows or page == 1):
                total = (page - 1) * per_page + len(rows)
            else:
                cur.execute(count_sql, [*params, MAX_COUNT + 1])
                total = cur.fetchone()[0]
            texts: dict[int, str] = {}
            if rows:
                cur.execute(f"SELECT id, text FROM {TABLE} WHERE id = ANY(%s)", [[r["id"] for r in rows]])
                texts = dict(cur.fetchall())
        for r in rows:  # Django leaves jsonb undecoded on raw cursors
            if isinstance(r["extra"], str):
                r["extra"] = json.loads(r["extra"])
        needles = parsed.highlight_terms()
        hits = [self.make_hit(r, texts.get(r["id"], ""), needles) for r in rows]
        return SearchPage(parsed, hits, total, page, per_page)
