"""What is checked for personal information before publication: one registration per model.

Each registration says which texts of an object are published (``sources``), which agency's
staff decide its hits, and how the object is named and linked on the check page::

    registry.register(Interpretation, sources=interp_sources, agency_id=lambda i: i.agency_id,
                      label=str, staff_url=lambda i: reverse(...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    """One published text of an object. ``file``: the attachment it was extracted from (an
    object with ``file``, ``original_name`` and ``content_type``), regenerated when redacted."""

    key: str
    label: str
    text: str
    file: Any = None


@dataclass(frozen=True)
class Target:
    model: type
    sources: Callable[[Any], list[Source]]
    agency_id: Callable[[Any], int]
    label: Callable[[Any], str]
    staff_url: Callable[[Any], str]


_targets: dict[type, Target] = {}


def register(model, *, sources, agency_id, label=str, staff_url=lambda obj: "") -> Target:
    t = Target(model=model, sources=sources, agency_id=agency_id, label=label, staff_url=staff_url)
    _targets[model] = t
    return t


def target_for(obj) -> Target:
    for model, t in _targets.items():
        if isinstance(obj, model):
            return t
    raise LookupError(f"{type(obj).__name__} is not registered for the personal-data check")


def models() -> list[type]:
    return list(_targets)
