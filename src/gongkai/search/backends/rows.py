"""One index row from a :class:`SearchDocument` (the same row for every database backend)."""

from __future__ import annotations

import dataclasses

from gongkai.core.search_text import (
    SearchDocument,
    index_words,
    normalize,
    normalize_doc_number,
    piece_lexemes,
    sort_facet,
    title_lexeme,
    vector_literal,
)


def entry_fields(doc: SearchDocument) -> dict:
    if doc.year is None and doc.published_on is not None:
        doc = dataclasses.replace(doc, year=doc.published_on.year)
    title_norm = normalize(doc.title)
    text = normalize(" ".join(p for p in (doc.summary, doc.body) if p))
    words = index_words(" ".join(p for p in (title_norm, normalize(doc.doc_number), text) if p))
    # the title's own words once more (t:…), the pieces of title and 文号 (b:…) and the
    # ordering bucket (f:sort:…): see postgres.py
    doc_number_norm = normalize_doc_number(doc.doc_number)
    words |= {title_lexeme(w) for w in index_words(title_norm)}
    words |= piece_lexemes(title_norm) | piece_lexemes(doc_number_norm)
    return {
        "kind": doc.kind,
        "object_id": doc.object_id,
        "agency_id": doc.agency_id,
        "issuer_ids": "".join(f"|{i}" for i in sorted(set(doc.issuer_ids or ())))
        + ("|" if doc.issuer_ids else ""),
        "title": doc.title,
        "title_norm": title_norm,
        "doc_number": doc.doc_number,
        "doc_number_norm": doc_number_norm,
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
        "vector": vector_literal(words, [*doc.facets(), sort_facet(doc.in_force, doc.published_on)]),
        "extra": doc.extra or {},
    }
