"""Simple backend for databases without a Chinese word index (SQLite in the demo): every term is
a substring (``LIKE``) match on the normalised title, 文号 and text, filters are plain column
filters, ranking is the same contract as PostgreSQL's. A sequential scan: fine for the demo's
few thousand records, not for production volumes. (SQLite's FTS5 ``trigram`` tokenizer was not
used: it silently finds nothing for one- and two-character queries, the most common Chinese
words.)"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import and_

from django.db.models import Case, F, IntegerField, Q, Value, When

from gongkai.core.search_text import SearchDocument, Term

from ..models import SearchEntry
from .base import HIT_FIELDS, SearchBackend, SearchFilters, SearchPage, clamp_page, max_count
from .rows import entry_fields


def _contains(text: str) -> Q:
    return Q(title_norm__contains=text) | Q(text__contains=text)


def term_q(t: Term) -> Q:
    if t.doc_number:
        return Q(doc_number_norm__contains=t.text) | Q(text__contains=t.text)
    if t.phrase:
        return _contains(t.text)
    q = reduce(and_, [_contains(w) for w in t.words]) | Q(doc_number_norm__contains=t.text)
    return q | Q(title_norm__contains=t.text)


def title_case(t: Term):
    needles = [t.text] if (t.phrase or t.doc_number) else t.words
    cond = reduce(and_, [Q(title_norm__contains=n) for n in needles])
    if t.doc_number:
        return Case(When(cond | Q(doc_number_norm__contains=t.text), then=Value(2)), default=Value(0))
    return Case(When(cond, then=Value(1)), default=Value(0), output_field=IntegerField())


class SimpleSearchBackend(SearchBackend):
    name = "simple"

    def index(self, documents: Iterable[SearchDocument]) -> int:
        n = 0
        for d in documents:
            fields = entry_fields(d)
            SearchEntry.objects.update_or_create(
                kind=fields.pop("kind"), object_id=fields.pop("object_id"), defaults=fields
            )
            n += 1
        return n

    def remove(self, kind: str, object_ids: Iterable[int]) -> int:
        return SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()[0]

    def clear(self, kind: str | None = None) -> int:
        qs = SearchEntry.objects.all()
        return (qs.filter(kind=kind) if kind else qs).delete()[0]

    def queryset(self, parsed, filters: SearchFilters):
        qs = SearchEntry.objects.all()
        for t in parsed.positive:
            qs = qs.filter(term_q(t))
        for t in parsed.terms:
            if t.negated:
                qs = qs.exclude(
                    _contains(t.text)
                    if (t.phrase or t.doc_number)
                    else reduce(and_, [_contains(w) for w in t.words])
                )
        f = filters
        if f.kind:
            qs = qs.filter(kind=f.kind)
        if f.agencies is not None:
            qs = qs.filter(agency_id__in=list(f.agencies))
        if f.issuer is not None:
            qs = qs.filter(issuer_ids__contains=f"|{f.issuer}|")
        if f.doc_types():
            qs = qs.filter(doc_type__in=f.doc_types())
        for name in ("year", "topic", "validity"):
            value = getattr(f, name)
            if value not in (None, ""):
                qs = qs.filter(**{name: value})
        if f.in_force is not None:
            qs = qs.filter(in_force=f.in_force)
        return qs

    def search(self, query, filters: SearchFilters | None = None, page=1, per_page: int = 20) -> SearchPage:
        parsed = self.parse(query)
        filters = filters or SearchFilters()
        cap = max_count()
        page = clamp_page(page, per_page, cap)
        qs = self.queryset(parsed, filters)
        tiers = [title_case(t) for t in parsed.positive]
        qs = qs.annotate(tier=sum(tiers[1:], tiers[0]) if tiers else Value(0))
        qs = qs.order_by("-tier", "-in_force", F("published_on").desc(nulls_last=True), "-id")
        start = (page - 1) * per_page
        rows = list(qs.values(*HIT_FIELDS, "text")[start : start + per_page])
        total = qs.values("id")[: cap + 1].count()
        needles = parsed.highlight_terms()
        hits = [self.make_hit(r, r["text"], needles) for r in rows]
        return SearchPage(parsed, hits, total, page, per_page, cap=cap)
