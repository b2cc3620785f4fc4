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

**Provisional years (暂定).** Every year, between October and the day the State Council's notice
for next year is entered, deadlines reach a year without official data. A calendar built with
``provisional=True`` then uses :func:`statutory_holidays` for such a year — the holidays fixed by
《全国年节及纪念日放假办法》 (2024 revision: 元旦 1 day, 春节 4 days from 除夕, 清明 1, 劳动节 2,
端午 1, 中秋 1, 国庆 3), weekends as rest days and no make-up working days — and every result that
touches such a year is marked provisional (:meth:`WorkCalendar.is_provisional`,
:meth:`WorkCalendar.provisional_between`). Lunar dates come from the ``lunardate`` package and the
清明 solar term from ``chinese-calendar``'s solar-term table (no home-made tables).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from gongkai.core.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # only the batch path needs numpy

__all__ = [
    "PROVISIONAL_NOTE",
    "CalendarNotCovered",
    "ProvisionalDate",
    "DayOverride",
    "WorkCalendar",
    "WorkdayIndex",
    "package_years",
    "statutory_holidays",
]

MAKEUP_WORKDAY_NAME = "调休上班"

# One short explanation shown wherever a provisional date appears (portal, queue, letters ...).
PROVISIONAL_NOTE = (
    "暂定：该期限涉及的年度尚未公布节假日安排，暂按《全国年节及纪念日放假办法》规定的法定节假日计算；"
    "正式安排公布后将重新计算"
)
_LUNAR_YEARS = range(1901, 2099)  # what lunardate converts (1900-01-31 .. 2099)


class CalendarNotCovered(Exception):
    """A date falls in a year whose official holiday arrangement has not been entered.

    ``str(exc)`` is a Chinese message meant for users; ``exc.year`` is the missing year.
    """

    def __init__(self, year: int):
        self.year = int(year)
        super().__init__(f"{self.year}年的法定节假日安排尚未录入，无法计算期限")

    @property
    def admin_hint(self) -> str:
        """What an administrator does about it (never shown to citizens)."""
        return f"请在“工作日历 → 录入节假日通知”中粘贴国务院办公厅关于{self.year}年部分节假日安排的通知"


class ProvisionalDate(dt.date):
    """A date computed with the provisional calendar (暂定): compares and prints like a date;
    letter filters (``cn_date``) add 「（暂定）」 after it."""

    provisional = True

    @classmethod
    def of(cls, d: dt.date) -> ProvisionalDate:
        return cls(d.year, d.month, d.day)


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


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Rest days fixed by 《全国年节及纪念日放假办法》 (2024 revision, in force from 2025) for ``year``.

    元旦 1 day (1 Jan), 春节 4 days (除夕 to 正月初三), 清明节 1 day (the 清明 solar term), 劳动节 2 days
    (1–2 May), 端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1–3 Oct). No 调休 (the
    State Council's yearly notice adds bridging and make-up days; this is the provisional basis only).
    """
    from chinese_calendar import get_solar_terms
    from lunardate import LunarDate

    if year not in _LUNAR_YEARS:
        raise CalendarNotCovered(year)
    one = dt.timedelta(days=1)
    out: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for i in range(-1, 3):  # 除夕 .. 初三
        out[new_year + i * one] = "春节"
    qingming = [d for d, name in get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10)) if name == "清明"]
    out[qingming[0]] = "清明节"
    out[dt.date(year, 5, 1)] = out[dt.date(year, 5, 2)] = "劳动节"
    out[LunarDate(year, 5, 5).to_solar_date()] = "端午节"
    out[LunarDate(year, 8, 15).to_solar_date()] = "中秋节"
    for day in (1, 2, 3):
        out[dt.date(year, 10, day)] = "国庆节"
    # a 除夕 that falls on 31 Dec belongs to the previous Gregorian year: _next_eve adds it there
    return {d: n for d, n in out.items() if d.year == year} | _next_eve(year)


def _next_eve(year: int) -> dict[dt.date, str]:
    """The 春节 days of lunar year ``year + 1`` that fall in Gregorian ``year`` (除夕 on 31 Dec)."""
    from lunardate import LunarDate

    if year + 1 not in _LUNAR_YEARS:
        return {}
    eve = LunarDate(year + 1, 1, 1).to_solar_date() - dt.timedelta(days=1)
    return {eve: "春节"} if eve.year == year else {}


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
        provisional: bool = False,
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
        self._provisional = bool(provisional)
        self._statutory: dict[int, dict[dt.date, str]] = {}

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

    @property
    def provisional(self) -> bool:
        """True if years without official data are computed provisionally (暂定)."""
        return self._provisional

    def covers(self, day: dt.date) -> bool:
        """True if ``day``'s year has official data (package or a complete administrator entry)."""
        return day.year in self._covered

    def is_provisional(self, day: dt.date) -> bool:
        """True if ``day`` is computed from the provisional statutory-holiday rule (暂定)."""
        return self._provisional and day.year not in self._covered and day.year in _LUNAR_YEARS

    def computable(self, day: dt.date) -> bool:
        """True if ``day`` can be classified (officially or provisionally)."""
        return self.covers(day) or self.is_provisional(day)

    def provisional_between(self, start: dt.date, end: dt.date | None) -> bool:
        """True if any day of ``[start, end]`` lies in a provisional year (``end=None``: start only)."""
        if not self._provisional:
            return False
        last = end.year if end is not None else start.year
        return any(y not in self._covered for y in range(min(start.year, last), max(start.year, last) + 1))

    def check(self, day: dt.date) -> None:
        """Raise :class:`CalendarNotCovered` if ``day``'s year can be classified neither officially
        nor (for a provisional calendar) provisionally."""
        if day.year not in self._covered and not self.is_provisional(day):
            raise CalendarNotCovered(day.year)

    def strict(self) -> WorkCalendar:
        """The same data without provisional years (for commands that must not estimate)."""
        if not self._provisional:
            return self
        return WorkCalendar(self._overrides.values(), self._complete_years, use_package=self._use_package)

    def _statutory_of(self, year: int) -> dict[dt.date, str]:
        table = self._statutory.get(year)
        if table is None:
            table = self._statutory[year] = statutory_holidays(year)
        return table

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
        elif day.year not in self._covered and day in self._statutory_of(day.year):
            return False  # provisional year: statutory holiday
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
        if self.is_provisional(day):
            return self._statutory_of(day.year).get(day, "")
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

    Covers ``first covered year-01-01`` .. ``last covered year + 1 -12-31`` (+ one more year for
    a provisional calendar); the extra year (and any gap year) is marked uncovered — or, for a
    provisional calendar, provisional — so a computation that needs it is flagged, never guessed.

    Arrays (index ``i`` = day ``base + i``):
      - ``is_workday[i]``  bool (False on uncovered days)
      - ``cum[i]``         number of working days in ``[0, i]``
      - ``workdays``       sorted indices of working days
      - ``next_uncovered[i]`` smallest uncovered index >= i (``size`` if none)
      - ``next_provisional[i]`` smallest provisional index >= i (``size`` if none)
    """

    def __init__(self, cal: WorkCalendar):
        years = sorted(cal.covered_years)
        if not years:
            first, last = dt.date(2004, 1, 1), dt.date(2004, 12, 31)
        else:
            first, last = dt.date(years[0], 1, 1), dt.date(years[-1] + 1 + int(cal.provisional), 12, 31)
        self.first = first
        self.base = np.datetime64(first, "D")
        size = (last - first).days + 1
        self.size = size
        covered = np.zeros(size, dtype=bool)
        provisional = np.zeros(size, dtype=bool)
        is_wd = np.zeros(size, dtype=bool)
        one = dt.timedelta(days=1)
        d = first
        for i in range(size):
            if cal.computable(d):
                covered[i] = True
                provisional[i] = not cal.covers(d)
                is_wd[i] = cal.is_workday(d)
            d += one
        self.covered = covered
        self.is_workday = is_wd
        self.cum = np.cumsum(is_wd, dtype=np.int64)
        self.workdays = np.flatnonzero(is_wd).astype(np.int64)
        # next_uncovered via reverse running minimum
        self.next_uncovered = self._next_true(~covered)
        self.next_provisional = self._next_true(provisional)

    @staticmethod
    def _next_true(mask: np.ndarray) -> np.ndarray:
        """For each index, the smallest index >= it where ``mask`` holds (``size`` if none)."""
        size = mask.size
        idx = np.where(mask, np.arange(size), size)
        return np.append(np.minimum.accumulate(idx[::-1])[::-1], size).astype(np.int64)

    def to_index(self, days: np.ndarray) -> np.ndarray:
        """datetime64[D] array -> int64 day indices relative to ``base`` (NaT -> int64 min)."""
        return (np.asarray(days, dtype="datetime64[D]") - self.base).astype(np.int64)

    def to_dates(self, idx: np.ndarray) -> np.ndarray:
        return self.base + idx.astype("timedelta64[D]")

    def year_of(self, i: int) -> int:
        return (self.first + dt.timedelta(days=int(i))).year
