"""Cached :class:`~gongkai.core.workdays.WorkCalendar` built from package data + database.

Cache: one calendar per process, keyed by a version number kept in Django's cache (Redis in
production, so every worker sees a bump). Changes bump the version after commit and clear the
local copy immediately. Inside an atomic block a freshly built calendar is returned but not
stored, so uncommitted (possibly rolled-back) data are never cached.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

from gongkai.core.deadlines import ClockInputs, Deadlines, compute_deadlines
from gongkai.core.workdays import DayOverride, WorkCalendar

logger = logging.getLogger(__name__)

VERSION_KEY = "gongkai:workdays:calendar-version"
_lock = threading.Lock()
_cached: tuple[object, WorkCalendar] | None = None


def build_calendar() -> WorkCalendar:
    """Read overrides and complete years from the database (no caching)."""
    from .models import CalendarOverride, CalendarYear

    overrides = [
        DayOverride(o.date, o.is_workday, o.name)
        for o in CalendarOverride.objects.only("date", "is_workday", "name")
    ]
    years = list(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    return WorkCalendar(overrides, complete_years=years, provisional=provisional_enabled())


def provisional_enabled() -> bool:
    """Setting ``GONGKAI_PROVISIONAL_CALENDAR`` (default on): estimate uncovered years (暂定)."""
    from django.conf import settings

    return bool(getattr(settings, "GONGKAI_PROVISIONAL_CALENDAR", True))


def _version():
    try:
        return cache.get(VERSION_KEY, 0)
    except Exception:  # cache backend down: rebuild every time rather than serve stale data
        logger.warning("calendar version cache unavailable", exc_info=True)
        return object()


def get_calendar(*, fallback: bool = True) -> WorkCalendar:
    """The current official calendar (package data + administrator entries), cached.

    ``fallback=True``: if the database is not reachable/migrated, log a warning and return the
    package-only calendar (not cached). ``fallback=False``: let the ``DatabaseError`` propagate.
    """
    global _cached
    version = _version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        cal = build_calendar()
    except DatabaseError:
        if not fallback:
            raise
        logger.warning("workdays tables unavailable; using chinese-calendar package data only", exc_info=True)
        return WorkCalendar(provisional=provisional_enabled())
    if not connection.in_atomic_block:
        with _lock:
            _cached = (version, cal)
    return cal


def _bump() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("could not bump calendar version in cache", exc_info=True)


def invalidate() -> None:
    """Forget the cached calendar here now, and in every process once the transaction commits."""
    global _cached
    with _lock:
        _cached = None
    transaction.on_commit(_bump)


def uncovered_years(dates: Iterable[dt.date], horizon_days: int = 0) -> list[int]:
    """Years needed by ``dates`` (each up to ``horizon_days`` later) that the calendar lacks."""
    return get_calendar().uncovered_years(dates, horizon_days)


def upcoming_uncovered_years(today: dt.date | None = None, horizon_days: int = 120) -> list[int]:
    """Years in ``[today, today + horizon_days]`` not covered — for the administrator alert.

    120 calendar days comfortably contains 20 + 20 working days plus holidays.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    return uncovered_years([today], horizon_days)


def fee_pauses_clock() -> bool:
    """Setting ``GONGKAI_FEE_PAUSES_CLOCK`` (declared in settings.py, off by default): does the
    fee-notice-to-payment interval stop the answer clock? Not confirmed by the reference
    (ogi-rules §2.6), hence a setting; the fee notice states it whenever it applies."""
    from django.conf import settings

    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", False))


def deadlines_for(inputs: ClockInputs, *, calendar: WorkCalendar | None = None) -> Deadlines:
    """:func:`gongkai.core.deadlines.compute_deadlines` with the current calendar and fee rule.

    Raises :class:`gongkai.core.workdays.CalendarNotCovered` (Chinese message) when a needed year
    has not been entered.
    """
    cal = calendar if calendar is not None else get_calendar()
    return compute_deadlines(cal, inputs, fee_pauses_clock=fee_pauses_clock())
