"""Extension points of the workbench for other apps.

``case_sections``: callables ``(request, application) -> dict | None`` adding a section to the
case page (``id``, ``heading``, ``items``: ``title``, ``url``, optional ``text``) — e.g. similar
past applications and their answers (``frequent``).
"""

from __future__ import annotations

from collections.abc import Callable

case_sections: list[Callable] = []


def add_case_section(fn: Callable) -> Callable:
    if fn not in case_sections:
        case_sections.append(fn)
    return fn


def sections_for(request, app) -> list[dict]:
    return [s for s in (fn(request, app) for fn in case_sections) if s]
