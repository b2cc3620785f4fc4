"""PostgreSQL backend (default): segmented ``tsvector`` + GIN for words and filters, ``pg_trgm``
GIN on 文号 for 发文字号 terms, phrases checked as substrings of the candidates.

One term matches when
- its words are all in the document's vector, or (3+ characters) all its two-character pieces
  are pieces of the title or the 文号 (``b:`` lexemes: partial words, runs across words);
- a quoted phrase: its words are in the vector and the exact text is in the title or the text;
- a 发文字号: the 文号 contains it (any bracket style), or the text does.
Filters are lexemes of the same vector (``f:year:2024``), so the GIN index intersects words and
filters in one scan — the rows' vectors are never read to match; several agencies (a region)
use the ``agency_id`` column.

Ranking at a million documents: a query's matches are counted up to ``max_count`` (1,000; more
show as 「1000+」) and, up to that many, ranked exactly; beyond it the ranking is over a bounded
candidate set (:class:`Candidates`). Only the 20 shown rows are read whole (snippets are cut in
Python from their text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from gongkai.core.search_text import (
    ParsedQuery,
    SearchDocument,
    Term,
    facet,
    piece_lexemes,
    sort_facet,
    title_lexeme,
    tsquery_any,
    tsquery_literal,
)

from ..models import SearchEntry
from .base import HIT_FIELDS, MAX_COUNT, SearchBackend, SearchFilters, SearchPage, clamp_page, max_count
from .rows import entry_fields

TABLE = SearchEntry._meta.db_table
UPDATE_FIELDS = [
    f.name for f in SearchEntry._meta.concrete_fields if f.name not in {"id", "kind", "object_id"}
]


INSERT_FIELDS = [f for f in SearchEntry._meta.concrete_fields if f.name != "id"]
_CASTS = {"vector": "::tsvector", "extra": "::jsonb"}
UPSERT_SQL = (
    f"INSERT INTO {TABLE} ({', '.join(f.column for f in INSERT_FIELDS)}) VALUES ("
    + ", ".join("now()" if f.name == "indexed_at" else "%s" + _CASTS.get(f.name, "") for f in INSERT_FIELDS)
    + ") ON CONFLICT (kind, object_id) DO UPDATE SET "
    + ", ".join(f"{f.column} = EXCLUDED.{f.column}" for f in INSERT_FIELDS if f.name in UPDATE_FIELDS)
)
_PARAM_FIELDS = [f.name for f in INSERT_FIELDS if f.name != "indexed_at"]


def _upsert_params(row: dict) -> list:
    row["extra"] = json.dumps(row["extra"], ensure_ascii=False)
    return [row[name] for name in _PARAM_FIELDS]


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


@dataclass
class Where:
    """The match condition: ``tsq``, tsquery parts that must all hold (words, filters, excluded
    words, a 3+ character term's words OR its two-character pieces in title / 文号), served by
    the GIN index alone without reading the rows; ``filters``, conditions checked on the rows
    (phrases, 文号 terms, agencies)."""

    tsq: list[str]
    filters: list[tuple[str, list]]
    common: list[tuple[str, list]] = dataclasses.field(default_factory=list)  # kind, in force

    def sql(self, extra: str | None = None, common: bool = True) -> tuple[str, list]:
        """SQL and parameters; ``extra`` is one more tsquery every row must match; without the
        ``common`` filters for the planner's estimate (it knows no statistics of ``kind || ''``)."""
        parts = [*self.tsq, *([extra] if extra else [])]
        clauses: list[str] = []
        params: list = []
        if parts:
            clauses.append("vector @@ %s::tsquery")
            params.append(_and(parts))
        for sql, ps in [*self.filters, *(self.common if common else [])]:
            clauses.append(sql)
            params += ps
        return (" AND ".join(clauses) or "TRUE"), params


def _and(parts: list[str]) -> str:
    return " & ".join(f"({p})" for p in parts)


def _common_facets(filters: SearchFilters) -> tuple[set[str], list[tuple[str, list]]]:
    """Filter lexemes held by most documents — the kind (every document of a one-kind site),
    in force / 现行有效 (four in five) — and the same conditions on the row's columns. In a GIN
    scan such a lexeme costs its whole posting list (at a million documents, more than the
    query's words together) and removes almost nothing; on the rows the scan reads anyway it is
    a comparison of a short column."""
    lexemes: set[str] = set()
    conds: list[tuple[str, list]] = []
    if filters.kind:
        lexemes.add(facet("kind", filters.kind))
        # not "kind = %s": the planner would walk the (kind, object_id) index reading vectors
        conds.append(("kind || '' = %s", [filters.kind]))
    if filters.in_force is not None:
        lexemes.add(facet("in_force", int(filters.in_force)))
        conds.append(("in_force = %s", [bool(filters.in_force)]))
    if filters.validity == "in_force":
        lexemes.add(facet("validity", filters.validity))
        conds.append(("validity = %s", [filters.validity]))
    return lexemes, conds


def where_sql(parsed: ParsedQuery, filters: SearchFilters) -> Where:
    w = Where(tsq=[], filters=[])
    # words of plain terms go into one tsquery with the filters: a single GIN scan
    plain = [t for t in parsed.positive if not (t.phrase or t.doc_number or t.trigram)]
    words = [x for t in plain for x in t.words]
    facets = filters.facets()
    if any(t.words for t in parsed.positive):  # the words narrow the scan: common filters on the rows
        common, conds = _common_facets(filters)
        facets = [f for f in facets if f not in common]
        w.common = conds
    if words or facets:
        w.tsq.append(tsquery_literal(words, facets))
    for t in parsed.positive:
        if t in plain:
            continue
        if t.trigram and not (t.phrase or t.doc_number):
            pieces = sorted(piece_lexemes(t.text))
            w.tsq.append(f"({tsquery_literal(t.words)}) | ({tsquery_literal(pieces)})")
        elif t.phrase and not t.doc_number:  # its words in the vector, the exact text checked on the rows
            w.tsq.append(tsquery_literal(t.words))
            w.filters.append(("(strpos(title_norm, %s) > 0 OR strpos(text, %s) > 0)", [t.text, t.text]))
        else:
            w.filters.append(term_sql(t))
    for t in parsed.terms:
        if t.negated:
            if t.phrase or t.doc_number:
                w.filters.append(("strpos(title_norm, %s) = 0 AND strpos(text, %s) = 0", [t.text, t.text]))
            else:
                w.tsq.append("!(" + tsquery_literal(t.words) + ")")
    if len(filters.doc_types()) > 1:
        w.tsq.append(tsquery_any([facet("doc_type", t) for t in filters.doc_types()]))
    if filters.agencies is not None:
        w.filters.append(("agency_id = ANY(%s)", [list(filters.agencies)]))
    return w


class PostgresSearchBackend(SearchBackend):
    name = "postgres"

    @property
    def max_count(self) -> int:
        """Matches counted and ranked exactly; more are ranked over a bounded candidate set."""
        return max_count()

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Upsert the rows: one prepared ``INSERT … ON CONFLICT DO UPDATE`` sent for every row in a
        pipeline (``executemany``) — no ORM compilation of a 500-row statement per batch."""
        rows = [_upsert_params(entry_fields(d)) for d in documents]
        if rows:
            with connection.cursor() as cur:
                cur.executemany(UPSERT_SQL, rows)
        return len(rows)

    def remove(self, kind: str, object_ids: Iterable[int]) -> int:
        return SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()[0]

    def clear(self, kind: str | None = None) -> int:
        qs = SearchEntry.objects.all()
        return (qs.filter(kind=kind) if kind else qs).delete()[0]

    def search(self, query, filters: SearchFilters | None = None, page=1, per_page: int = 20) -> SearchPage:
        parsed = self.parse(query)
        filters = filters or SearchFilters()
        page = clamp_page(page, per_page, self.max_count)
        where = where_sql(parsed, filters)
        tiers = [title_sql(t) for t in parsed.positive]
        tier = "(" + "".join(f"{s} + " for s, _ in tiers) + "0)"
        tier_params = [p for _, ps in tiers for p in ps]
        need = page * per_page
        with transaction.atomic(), connection.cursor() as cur:
            # the planner does not know that reading a vector costs more than a heap row: a
            # sequential scan with the match as a filter would read every vector it meets
            cur.execute("SET LOCAL enable_seqscan = off")
            q = Candidates(cur, where, tier, tier_params, self.max_count, filters)
            if q.estimate() > dense_factor() * self.max_count:  # common words: no scan over every match
                rows, total = q.dense(parsed, need)
            else:
                rows = q.probe([])
                if len(rows) <= self.max_count:  # every match is here: ranked exactly
                    total = len(rows)
                else:  # more than we sort: a bounded candidate set (see Candidates)
                    total = self.max_count + 1
                    rows = q.bounded(parsed, need, rows)
            rows.sort(key=rank_key)
            chosen = [r[0] for r in rows[need - per_page : need]]
            full: dict[int, dict] = {}
            if chosen:
                cur.execute(f"SELECT {COLS}, text FROM {TABLE} WHERE id = ANY(%s)", [chosen])
                names = [c.name for c in cur.description]
                full = {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
        needles = parsed.highlight_terms()
        hits = []
        for pk in chosen:
            r = full[pk]
            if isinstance(r["extra"], str):  # Django leaves jsonb undecoded on raw cursors
                r["extra"] = json.loads(r["extra"])
            hits.append(self.make_hit(r, r["text"], needles))
        return SearchPage(parsed, hits, total, page, per_page, cap=self.max_count)


COLS = ", ".join(HIT_FIELDS)


def dense_factor() -> float:
    """A query the planner estimates to match more than this many times the cap skips the
    scan over every match (``GONGKAI_SEARCH_DENSE``, default 20)."""
    from django.conf import settings

    return float(getattr(settings, "GONGKAI_SEARCH_DENSE", 20))


def rank_key(row: tuple):
    """(id, tier, in_force, published_on): more title matches, in force, newest, highest id."""
    pk, tier, in_force, published_on = row
    return (
        -tier,
        not in_force,
        published_on is None,
        -(published_on.toordinal() if published_on else 0),
        -pk,
    )


class Candidates:
    """Sort keys ``(id, tier, in_force, published_on)`` of matching rows, never more than a few
    thousand per query.

    - ``probe``: up to ``cap`` + 1 matches in index order (the scan stops there). When that is
      all of them, the caller ranks them exactly.
    - ``bounded`` (more matches than that): the documents with the query's words in their title
      (``t:`` lexemes) and the others are each walked newest-first — in force before not in force,
      a publication month at a time through the ``f:sort:…`` bucket lexemes, several months per
      index scan while they are sparse — until ``need`` rows are collected; each bucket is read
      whole, so within each of the two sets the order is exact. Title matches beyond the first
      ``need`` of their set by date are not considered (the ranking of a query with more than
      ``cap`` hits is bounded, not exhaustive).
    """

    def __init__(self, cur, where: Where, tier: str, tier_params: list, cap: int = MAX_COUNT, filters=None):
        self.cur, self.where, self.tier, self.tier_params, self.cap = cur, where, tier, tier_params, cap
        self.filters = filters or SearchFilters()
        self._months: list[dt.date] | None = None

    def fetch(self, extra: list[str], limit: int | None, order: str = "") -> list[tuple]:
        where, params = self.where.sql(_and(extra) if extra else None)
        sql = f"SELECT id, {self.tier}, in_force, published_on FROM {TABLE} WHERE {where}{order}"
        args = [*self.tier_params, *params]
        if limit is not None:
            sql += " LIMIT %s"
            args.append(limit)
        self.cur.execute(sql, args)
        return self.cur.fetchall()

    def probe(self, extra: list[str]) -> list[tuple]:
        return self.fetch(extra, self.cap + 1)

    def bounded(self, parsed: ParsedQuery, need: int, probed: list[tuple]) -> list[tuple]:
        """``probed``: the rows of the query's own probe (more than ``cap``). Probing a set whose
        size is known to be large is skipped: each probe is a scan over every match (its cost
        grows with the posting lists of common words), a month's is a scan over one bucket."""
        seen = {r[2] for r in probed}
        title = title_tsquery(parsed)
        if not title:
            return self.walk([], need, seen)
        in_title = self.probe([title])
        if len(in_title) > self.cap:
            return self.walk([title], need, {r[2] for r in in_title}) + self.walk([f"!({title})"], need, seen)
        if len(in_title) <= self.cap // 2:  # the others are more than half the cap: walk them
            return in_title + self.walk([f"!({title})"], need, seen)
        others = self.probe([f"!({title})"])
        if len(others) <= self.cap:
            return in_title + others
        return in_title + self.walk([f"!({title})"], need, {r[2] for r in others})

    def estimate(self) -> float:
        """The planner's estimate of the matches (statistics of the vector's common lexemes)."""
        where, params = self.where.sql(common=False)
        self.cur.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} WHERE {where}", params)
        plan = self.cur.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return float(plan[0]["Plan"]["Plan Rows"])

    def dense(self, parsed: ParsedQuery, need: int) -> tuple[list[tuple], int]:
        """A query estimated to match many times the cap: instead of a scan over every match,
        the title set is probed and the rest walked by buckets until ``need`` rows are ranked
        and more than ``cap`` are seen (the proof for 「1000+」). When the buckets run out
        first, every match has been read: the rows are all of them, ranked exactly."""
        title = title_tsquery(parsed)
        halves = self.halves([], None)
        over = self.cap + 1
        if not title:
            rows = self.walk([], need, halves=halves, want=over)
        else:
            in_title = self.probe([title])
            if len(in_title) > self.cap:
                rows = self.walk([title], need, halves=halves)
                return rows + self.walk([f"!({title})"], need, halves=halves), over
            want = max(need, over - len(in_title))
            rows = in_title + self.walk([f"!({title})"], need, halves=halves, want=want)
        return rows, min(len(rows), over)

    def walk(
        self, extra: list[str], need: int, seen: set[bool] = frozenset(), halves=None, want: int = 0
    ) -> list[tuple]:
        """The first ``need`` rows of the set ``extra`` (known to be large) by rank — and at
        least ``want`` rows when there are so many: its buckets newest first, several months
        per scan while they are sparse."""
        out: list[tuple] = []
        want = max(want, need)
        buckets = self.buckets(halves if halves is not None else self.halves(extra, seen))
        i, step = 0, 1
        while i < len(buckets) and len(out) < want:
            group = buckets[i : i + step]
            got = self.probe([*extra, tsquery_any(group)])
            if len(got) > self.cap:
                if step > 1:  # too many at once: fewer months
                    step = max(1, step // 4)
                    continue
                # one month with more matches than cap: sort it in the database
                got = self.fetch(
                    [*extra, tsquery_any(group)],
                    want - len(out),
                    order=" ORDER BY 2 DESC, published_on DESC NULLS LAST, id DESC",
                )
            out += got
            i += len(group)
            if len(got) < need // 4 + 1:
                step = min(step * 2, 64)
        return out

    def halves(self, extra: list[str], seen: set[bool] | None = frozenset()) -> list[bool]:
        """In force, not in force, or both: what the filters leave (现行有效 / 已废止 …), else the
        halves with matches — ``seen`` among the rows probed, the others looked up (one row);
        ``seen=None``: both, unchecked (a walk reaches the second only past the first)."""
        f = self.filters
        if f.in_force is not None:
            return [bool(f.in_force)]
        if f.validity:
            return [f.validity == "in_force"]
        if seen is None:
            return [True, False]
        return [
            h
            for h in (True, False)
            if h in seen or self.fetch([*extra, tsquery_literal([facet("in_force", int(h))])], 1)
        ]

    def months(self) -> list[dt.date]:
        """The publication months to walk, newest first: those of the filtered year, else every
        month from the newest publication to the oldest (read once per search)."""
        if self._months is None:
            if self.filters.year:
                first, last = dt.date(self.filters.year, 1, 1), dt.date(self.filters.year, 12, 1)
            else:
                first, last = _date_range(self.cur)
            self._months = []
            if first and last:
                y, m = last.year, last.month
                while (y, m) >= (first.year, first.month):
                    self._months.append(dt.date(y, m, 1))
                    y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return self._months

    def buckets(self, halves=(True, False)) -> list[str]:
        """Every ordering bucket from the first in the ranking to the last: in force, months
        newest first, undated; then the same not in force (``halves``: which of the two).
        A year filter holds documents published that year (or undated ones of that year)."""
        return [sort_facet(f, d) for f in halves for d in [*self.months(), None]]


def _date_range(cur) -> tuple:
    """The oldest and newest publication dates in the index (two index probes; not cached: a
    month missing from the walk would drop its documents from the ranking)."""
    cur.execute(f"SELECT min(published_on), max(published_on) FROM {TABLE}")
    return cur.fetchone()


def title_tsquery(parsed: ParsedQuery) -> str:
    """Any positive term with all its words in the title's words (``t:`` lexemes)."""
    parts = []
    for t in parsed.positive:
        if t.words:
            parts.append("(" + tsquery_literal([title_lexeme(w) for w in t.words]) + ")")
    return " | ".join(parts)
