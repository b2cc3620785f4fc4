"""What can be searched: a registry of indexable models (the way froide registers its search
documents). Each registration says how one object becomes a
:class:`~gongkai.core.search_text.SearchDocument` (or ``None`` when it must not be public, e.g.
a draft or a withheld record) and which objects ``gongkai reindex`` walks::

    from gongkai.search import registry

    registry.register(
        Interpretation,
        kind="interpretations.interpretation",
        document=interpretation_document,  # obj -> SearchDocument | None
        queryset=lambda: Interpretation.objects.select_related(...),
    )

Apps register in their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.core.search_text import SearchDocument


@dataclass(frozen=True)
class Registration:
    kind: str
    model: type
    document: Callable[[Any], SearchDocument | None]
    queryset: Callable[[], Any]
    label: str = ""  # shown in search results (政策文件, 政策解读)


_by_kind: dict[str, Registration] = {}


def register(
    model: type,
    *,
    document: Callable[[Any], SearchDocument | None],
    kind: str | None = None,
    queryset: Callable[[], Any] | None = None,
    label: str = "",
) -> Registration:
    kind = kind or model._meta.label_lower
    reg = Registration(
        kind=kind,
        model=model,
        document=document,
        queryset=queryset or (lambda: model._default_manager.all()),
        label=label or str(model._meta.verbose_name),
    )
    _by_kind[kind] = reg
    return reg


def unregister(kind: str) -> None:
    _by_kind.pop(kind, None)


def for_object(obj) -> Registration | None:
    for reg in _by_kind.values():
        if isinstance(obj, reg.model):
            return reg
    return None


def get(kind: str) -> Registration:
    try:
        return _by_kind[kind]
    except KeyError:
        raise LookupError(f"no search registration for {kind!r}") from None


def all_registrations() -> list[Registration]:
    return list(_by_kind.values())
