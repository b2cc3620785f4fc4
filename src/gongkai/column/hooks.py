"""Extension points for other apps.

``document_context``: callables ``(request, record) -> dict`` whose results are added to the
document page's context. The interpretations app (政策解读) adds ``interpretations`` here and
fills the template ``column/document_interpretations.html``, included by the document page in
its block ``interpretations``.

``document_sections``: callables ``(request, record) -> list[dict]`` of extra sections of the
document page (``id``, ``heading``, ``items``: ``title`` and ``url``), e.g. its consultation.

``search_listeners``: callables ``(request, query)`` told of each search typed on the search pages
(first page, HTML) — the Q&A app keeps anonymised counts of searched terms for 猜您想问.

``attachment_substitutes``: callables ``(attachment) -> object | None``; the first non-None result
(with ``file``, ``original_name``, ``content_type``, ``text``) is served and indexed instead of the
attachment — the personal-data check (``pii``) regenerates attachments from redacted text.
"""

from __future__ import annotations

from collections.abc import Callable

document_context: list[Callable] = []


def add_document_context(fn: Callable) -> Callable:
    if fn not in document_context:
        document_context.append(fn)
    return fn


attachment_substitutes: list[Callable] = []


def add_attachment_substitute(fn: Callable) -> Callable:
    if fn not in attachment_substitutes:
        attachment_substitutes.append(fn)
    return fn


def public_attachment(att):
    """What the public gets for ``att``: a registered substitute, else the attachment itself."""
    for fn in attachment_substitutes:
        sub = fn(att)
        if sub is not None:
            return sub
    return att


document_sections: list[Callable] = []


def add_document_section(fn: Callable) -> Callable:
    if fn not in document_sections:
        document_sections.append(fn)
    return fn


search_listeners: list[Callable] = []


def add_search_listener(fn: Callable) -> Callable:
    if fn not in search_listeners:
        search_listeners.append(fn)
    return fn


def searched(request, query: str) -> None:
    """Tell the listeners; the page is then never served from the page cache (each search counts)."""
    request.page_cache_off = True
    for fn in search_listeners:
        fn(request, query)
