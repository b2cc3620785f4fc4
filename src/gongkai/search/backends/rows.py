"""One index row from a :class:`SearchDocument` (the same row for every database backend)."""

from __future__ import annotations

import dataclasses

from gongkai.core.search_text import (
    SearchDocument,
    index_words,
    normalize,
    normalize_doc_number,
    vector_literal,
)


def entry_fields(doc: SearchDocument) -> dict:
    if doc.year is None and doc.published_on is not None:
        doc = dataclasses.replace(doc, year=doc.published_on.year)
    title_norm = normalize(doc.title)
    text = normalize(" ".join(p for p in (doc.summary, doc.body) if p))
    words = index_words(" ".join(p for p in (title_norm, normalize(doc.doc_number), text) if p))
    return {
        "kind": doc.kind,
        "object_id": doc.object_id,
        "agency_id": doc.agency_id,
        "issuer_ids": "".join(f"|{i}" for i in sorted(set(doc.issuer_ids or ())))
        + ("|" if doc.issuer_ids else ""),
        "title": doc.title,
        "title_norm": title_norm,
        "doc_number": doc.doc_number,
        "doc_number_norm": normalize_doc_number(doc.doc_number),
        "index_number": doc.index_number,
        "summary": doc.summary,
        "topic": doc.topic or "",
        "doc_type": doc.doc_type or "",
        "year": doc.year,
        "validity": doc.validity or "",
        "in_force": bool(doc.in_force),
        "published_on": doc.published_on,
        "url": doc.url,
        "text": text,
        "vector": vector_literal(words, doc.facets()),
        "extra": doc.extra or {},
    }
