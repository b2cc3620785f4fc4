"""Official working-day calendar app (工作日历).

Public API (import from ``gongkai.workdays``):

- ``get_calendar(*, fallback=True) -> WorkCalendar``: cached calendar (package + DB overrides).
- ``calendar_changed``: Django signal sent when overrides/years change (see ``signals``).
- ``uncovered_years(dates, horizon_days=0)``, ``upcoming_uncovered_years(today=None, horizon_days=120)``.
- ``deadlines_for(ClockInputs, *, calendar=None) -> Deadlines``: compute with the current calendar
  and the ``GONGKAI_FEE_PAUSES_CLOCK`` setting (``fee_pauses_clock()``; declared in settings.py, on by default).
- ``invalidate()``: drop the cache (called automatically by model signals).

Deadline arithmetic itself lives in :mod:`gongkai.core.deadlines` (pure).
"""

from .calendar import (
    deadlines_for,
    fee_pauses_clock,
    get_calendar,
    invalidate,
    uncovered_years,
    upcoming_uncovered_years,
)
from .signals import calendar_changed

__all__ = [
    "calendar_changed",
    "deadlines_for",
    "fee_pauses_clock",
    "get_calendar",
    "invalidate",
    "uncovered_years",
    "upcoming_uncovered_years",
]
