"""The search backend interface. A backend stores :class:`SearchDocument` rows and answers
queries; ``GONGKAI_SEARCH_BACKEND`` names the class (dotted path). Two ship: the PostgreSQL one
(default, segmented ``tsvector`` + ``pg_trgm``) and a simple ``LIKE`` one for other databases
(SQLite in the demo). An OpenSearch/Elasticsearch backend implements the same four methods."""

from __future__ import annotations

import datetime as dt
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gongkai.core.search_text import ParsedQuery, SearchDocument, facet, mark, parse_query, snippet

MAX_COUNT = 1_000  # totals above this show as 「1000+」 (counting every hit of a common word costs)


@dataclass
class SearchFilters:
    """Filters; each ``None``/empty means "any"."""

    kind: str | None = None
    agencies: Sequence[int] | None = None  # 发布机关 (an agency's column: one; a region: its subtree)
    issuer: int | None = None  # 发文机关 (joint issuers included)
    year: int | None = None
    topic: str | None = None
    doc_type: str | Sequence[str] | None = None  # one type, or any of several
    validity: str | None = None
    in_force: bool | None = None

    def doc_types(self) -> list[str]:
        if not self.doc_type:
            return []
        return [self.doc_type] if isinstance(self.doc_type, str) else list(self.doc_type)

    def facets(self) -> list[str]:
        """Filter lexemes that must all be present (several document types: see doc_types)."""
        out = []
        if self.kind:
            out.append(facet("kind", self.kind))
        if self.issuer is not None:
            out.append(facet("issuer", self.issuer))
        for name in ("year", "topic", "validity"):
            value = getattr(self, name)
            if value not in (None, ""):
                out.append(facet(name, value))
        if len(self.doc_types()) == 1:
            out.append(facet("doc_type", self.doc_types()[0]))
        if self.in_force is not None:
            out.append(facet("in_force", int(self.in_force)))
        return out


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    title_html: str
    snippet_html: str
    url: str
    doc_number: str = ""
    index_number: str = ""
    summary: str = ""
    agency_id: int | None = None
    topic: str = ""
    doc_type: str = ""
    year: int | None = None
    validity: str = ""
    in_force: bool = True
    published_on: dt.date | None = None
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.object_id,
            "title": self.title,
            "title_html": self.title_html,
            "snippet_html": self.snippet_html,
            "url": self.url,
            "doc_number": self.doc_number,
            "index_number": self.index_number,
            "summary": self.summary,
            "agency_id": self.agency_id,
            "topic": self.topic,
            "doc_type": self.doc_type,
            "year": self.year,
            "validity": self.validity,
            "in_force": self.in_force,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            **{k: v for k, v in self.extra.items() if k not in {"id", "kind"}},
        }


@dataclass
class SearchPage:
    query: ParsedQuery
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    cap: int = MAX_COUNT  # the backend counts this many hits at most

    @property
    def capped(self) -> bool:
        return self.total > self.cap

    @property
    def count_label(self) -> str:
        """The total as shown: 「1000+」 when capped."""
        return f"{self.cap}+" if self.capped else str(self.total)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.total, self.cap) / self.per_page))


def max_count() -> int:
    """Hits counted (and, on PostgreSQL, ranked exactly) per query; more show as 「N+」.
    ``GONGKAI_SEARCH_MAX_COUNT``, default 1,000."""
    from django.conf import settings

    return int(getattr(settings, "GONGKAI_SEARCH_MAX_COUNT", None) or MAX_COUNT)


class SearchBackend(ABC):
    """Stores documents and answers queries. Ranking contract: more query terms in the title
    first; at equal relevance documents in force (现行有效) first; then the newest."""

    name = "base"

    @abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Insert or replace the documents (by kind and object id); returns how many."""

    @abstractmethod
    def remove(self, kind: str, object_ids: Iterable[int]) -> int:
        """Delete these objects' entries; returns how many were there."""

    @abstractmethod
    def clear(self, kind: str | None = None) -> int:
        """Delete every entry (of one kind)."""

    @abstractmethod
    def search(
        self,
        query: str | ParsedQuery,
        filters: SearchFilters | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> SearchPage:
        """One page of hits with highlighted titles and snippets."""

    # helpers shared by backends -----------------------------------------------------------
    @staticmethod
    def parse(query: str | ParsedQuery) -> ParsedQuery:
        return query if isinstance(query, ParsedQuery) else parse_query(query)

    @staticmethod
    def make_hit(row: dict, text: str, needles: list[str]) -> Hit:
        return Hit(
            kind=row["kind"],
            object_id=row["object_id"],
            title=row["title"],
            title_html=mark(row["title"], needles),
            snippet_html=snippet(text or row.get("summary") or "", needles),
            url=row["url"],
            doc_number=row["doc_number"],
            index_number=row["index_number"],
            summary=row["summary"],
            agency_id=row["agency_id"],
            topic=row["topic"],
            doc_type=row["doc_type"],
            year=row["year"],
            validity=row["validity"],
            in_force=row["in_force"],
            published_on=row["published_on"],
            extra=row["extra"] or {},
        )


HIT_FIELDS = (
    "id",
    "kind",
    "object_id",
    "title",
    "url",
    "doc_number",
    "index_number",
    "summary",
    "agency_id",
    "topic",
    "doc_type",
    "year",
    "validity",
    "in_force",
    "published_on",
    "extra",
)


def clamp_page(page, per_page: int, cap: int = MAX_COUNT) -> int:
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 1
    last = max(1, math.ceil(cap / per_page))
    return min(max(1, page), last)
