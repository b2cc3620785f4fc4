"""Extension points for other apps.

``document_context``: callables ``(request, record) -> dict`` whose results are added to the
document page's context. The interpretations app (政策解读) adds ``interpretations`` here and
fills the template ``column/document_interpretations.html``, included by the document page in
its block ``interpretations``.
"""

from __future__ import annotations

from collections.abc import Callable

document_context: list[Callable] = []


def add_document_context(fn: Callable) -> Callable:
    if fn not in document_context:
        document_context.append(fn)
    return fn
