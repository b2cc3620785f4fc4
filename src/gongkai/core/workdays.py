"""Official working-day calendar (工作日历) for statutory deadlines.

Pure Python (plus numpy for the batch index): no Django import.

Sources of truth, in priority order for a given date:

1. **Overrides** entered by an administrator (``overrides``: date -> is_workday, with a name such
   as 春节 / 调休上班). They may add a year the package does not know (each year's
   国务院办公厅关于某年部分节假日安排的通知) or correct a year it does know.
2. The ``chinese-calendar`` package data (holidays and make-up workdays 调休), which covers
   2004–2026 in version 1.11 (it raises for 2027). Package years are detected from its data, so a
   newer package release extends coverage automatically.
3. For a year declared **complete** by an administrator (``complete_years``) and not in the
   package: Monday–Friday are working days unless overridden.

A date in a year covered by neither the package nor a complete declaration raises
:class:`CalendarNotCovered` — the calendar never guesses with a bare Monday–Friday rule.
Overrides alone do not make a year covered: the administrator must declare the year complete
once the whole State Council notice has been entered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = [
    "CalendarNotCovered",
    "DayOverride",
    "WorkCalendar",
    "WorkdayIndex",
    "package_years",
]

MAKEUP_WORKDAY_NAME = "调休上班"


class CalendarNotCovered(Exception):
    """A date falls in a year whose official holiday arrangement has not been entered.

    ``str(exc)`` is a Chinese message meant for users; ``exc.year`` is the missing year.
    """

    def __init__(self, year: int):
        self.year = int(year)
        super().__init__(
            f"{self.year}年的法定节假日安排尚未录入，无法计算期限，"
            f"请管理员录入国务院办公厅关于{self.year}年部分节假日安排的通知"
        )


@dataclass(frozen=True)
class DayOverride:
    """One administrator-entered day: ``is_workday`` plus a name (春节, 调休上班 ...)."""

    date: dt.date
    is_workday: bool
    name: str = ""


def _package_tables() -> tuple[dict[dt.date, str], dict[dt.date, str], range]:
    from chinese_calendar.constants import Holiday, holidays, workdays

    by_value = {h.value: h.chinese for h in Holiday}
    hol = {d: by_value.get(v, str(v)) for d, v in holidays.items()}
    wd = {d: by_value.get(v, str(v)) for d, v in workdays.items()}
    years = range(min(holidays).year, max(holidays).year + 1)
    return hol, wd, years


_PKG_HOLIDAYS, _PKG_WORKDAYS, _PKG_YEARS = _package_tables()


def package_years() -> range:
    """Years covered by the installed ``chinese-calendar`` package (2004–2026 for 1.11)."""
    return _PKG_YEARS


class WorkCalendar:
    """Working-day calendar = package data + administrator overrides + complete-year declarations.

    ``overrides`` maps a date to ``bool`` (is_workday) or to a :class:`DayOverride`
    (an iterable of :class:`DayOverride` is accepted too). Instances are immutable in practice:
    build a new one when the data change (``gongkai.workdays.get_calendar`` caches one).
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool | DayOverride] | Iterable[DayOverride] | None = None,
        complete_years: Iterable[int] = (),
        *,
        use_package: bool = True,
    ):
        ov: dict[dt.date, DayOverride] = {}
        if overrides is not None:
            items = overrides.items() if isinstance(overrides, Mapping) else ((o.date, o) for o in overrides)
            for d, v in items:
                if isinstance(v, DayOverride):
                    ov[d] = v
                else:
                    ov[d] = DayOverride(d, bool(v), "")
        self._overrides = ov
        self._complete_years = frozenset(int(y) for y in complete_years)
        self._use_package = use_package
        pkg = frozenset(_PKG_YEARS) if use_package else frozenset()
        self._covered = pkg | self._complete_years

    # -- coverage -------------------------------------------------------------------------------
    @property
    def covered_years(self) -> frozenset[int]:
        return self._covered

    @property
    def complete_years(self) -> frozenset[int]:
        return self._complete_years

    @property
    def overrides(self) -> Mapping[dt.date, DayOverride]:
        return dict(self._overrides)

    def covers(self, day: dt.date) -> bool:
        return day.year in self._covered

    def check(self, day: dt.date) -> None:
        """Raise :class:`CalendarNotCovered` if ``day``'s year is not covered."""
        if day.year not in self._covered:
            raise CalendarNotCovered(day.year)

    def uncovered_years(self, dates: Iterable[dt.date], horizon_days: int = 0) -> list[int]:
        """Sorted years needed by ``dates`` (each date up to ``horizon_days`` later) but not covered."""
        need: set[int] = set()
        for d in dates:
            need.add(d.year)
            if horizon_days:
                end = d + dt.timedelta(days=horizon_days)
                need.update(range(d.year, end.year + 1))
        return sorted(y for y in need if y not in self._covered)

    # -- single days ----------------------------------------------------------------------------
    def is_workday(self, day: dt.date) -> bool:
        """True if ``day`` is an official working day (调休 Saturdays included)."""
        if isinstance(day, dt.datetime):
            day = day.date()
        self.check(day)
        o = self._overrides.get(day)
        if o is not None:
            return o.is_workday
        if self._use_package and day.year in _PKG_YEARS:
            if day in _PKG_WORKDAYS:
                return True
            if day in _PKG_HOLIDAYS:
                return False
        return day.weekday() < 5

    def day_name(self, day: dt.date) -> str:
        """Name of a special day (holiday name, 调休上班), '' for an ordinary day."""
        o = self._overrides.get(day)
        if o is not None:
            if o.name:
                return o.name
            if o.is_workday == (day.weekday() < 5):
                return ""
            return MAKEUP_WORKDAY_NAME if o.is_workday else "休息日"
        if self._use_package:
            if day in _PKG_WORKDAYS:
                return MAKEUP_WORKDAY_NAME
            if day in _PKG_HOLIDAYS:
                return _PKG_HOLIDAYS[day]
        return ""

    # -- arithmetic -----------------------------------------------------------------------------
    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day strictly after ``start`` (``start`` itself never counts).

        ``n`` must be >= 1. Raises :class:`CalendarNotCovered` if ``start`` or any day up to
        the result is in an uncovered year.
        """
        if n < 1:
            raise ValueError("n must be >= 1")
        self.check(start)
        d = start
        count = 0
        one = dt.timedelta(days=1)
        while True:
            d += one
            if self.is_workday(d):
                count += 1
                if count == n:
                    return d

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Number of working days in ``(start, end]``; negative of ``(end, start]`` if end < start."""
        if end < start:
            return -self.workdays_between(end, start)
        n = 0
        d = start
        one = dt.timedelta(days=1)
        while d < end:
            d += one
            if self.is_workday(d):
                n += 1
        return n

    # -- batch index ----------------------------------------------------------------------------
    @cached_property
    def index(self) -> WorkdayIndex:
        """numpy index table for the batch deadline path (built once per calendar)."""
        return WorkdayIndex(self)


class WorkdayIndex:
    """Day-ordinal tables for vectorised working-day arithmetic.

    Covers ``first covered year-01-01`` .. ``last covered year + 1 -12-31``; the extra year (and
    any gap year) is marked uncovered, so a computation that needs it is flagged, never guessed.

    Arrays (index ``i`` = day ``base + i``):
      - ``is_workday[i]``  bool (False on uncovered days)
      - ``cum[i]``         number of working days in ``[0, i]``
      - ``workdays``       sorted indices of working days
      - ``next_uncovered[i]`` smallest uncovered index >= i (``size`` if none)
    """

    def __init__(self, cal: WorkCalendar):
        years = sorted(cal.covered_years)
        if not years:
            first, last = dt.date(2004, 1, 1), dt.date(2004, 12, 31)
        else:
            first, last = dt.date(years[0], 1, 1), dt.date(years[-1] + 1, 12, 31)
        self.first = first
        self.base = np.datetime64(first, "D")
        size = (last - first).days + 1
        self.size = size
        covered = np.zeros(size, dtype=bool)
        is_wd = np.zeros(size, dtype=bool)
        one = dt.timedelta(days=1)
        d = first
        for i in range(size):
            if cal.covers(d):
                covered[i] = True
                is_wd[i] = cal.is_workday(d)
            d += one
        self.covered = covered
        self.is_workday = is_wd
        self.cum = np.cumsum(is_wd, dtype=np.int64)
        self.workdays = np.flatnonzero(is_wd).astype(np.int64)
        # next_uncovered via reverse running minimum
        idx = np.where(covered, size, np.arange(size))
        self.next_uncovered = np.append(np.minimum.accumulate(idx[::-1])[::-1], size).astype(np.int64)

    def to_index(self, days: np.ndarray) -> np.ndarray:
        """datetime64[D] array -> int64 day indices relative to ``base`` (NaT -> int64 min)."""
        return (np.asarray(days, dtype="datetime64[D]") - self.base).astype(np.int64)

    def to_dates(self, idx: np.ndarray) -> np.ndarray:
        return self.base + idx.astype("timedelta64[D]")

    def year_of(self, i: int) -> int:
        return (self.first + dt.timedelta(days=int(i))).year
