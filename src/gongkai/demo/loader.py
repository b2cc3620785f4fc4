"""Loads the whole demo: region, staff, applications; then whatever other apps contribute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from gongkai.applications.models import Application

from .applications import generate_applications
from .region import build_region


def demo_calendar():
    from gongkai.workdays import get_calendar

    return get_calendar()


def load(*, seed: int, as_of: dt.date, log: Callable[[str], None] = print) -> str:
    agencies = build_region()
    log(f"机关 {len(agencies)} 个")
    cal = demo_calendar()
    n = generate_applications(agencies, seed=seed, as_of=as_of, cal=cal)
    log(f"政府信息公开申请 {n} 件")
    by_state = {}
    for state in Application.objects.values_list("state", flat=True):
        by_state[state] = by_state.get(state, 0) + 1
    return f"{len(agencies)} 个机关，{n} 件申请（{', '.join(f'{k}:{v}' for k, v in sorted(by_state.items()))}）"
