"""WorkCalendar: package data, overrides, coverage, numpy index."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import numpy as np
import pytest

from gongkai.core.workdays import CalendarNotCovered, DayOverride, WorkCalendar, package_years

D = dt.date


def test_package_years_2004_2026():
    assert package_years() == range(2004, 2027)
    assert WorkCalendar().covered_years == frozenset(range(2004, 2027))


def test_2026_per_platform_notes():
    cal = WorkCalendar()
    for d in ("01-04", "02-14", "02-28", "05-09", "09-20", "10-10"):
        assert cal.is_workday(D.fromisoformat(f"2026-{d}")), d
    for d in ("01-01", "02-16", "02-23", "04-06", "05-05", "06-19", "09-25", "10-07"):
        assert not cal.is_workday(D.fromisoformat(f"2026-{d}")), d


def test_matches_package_every_day():
    cal = WorkCalendar()
    d = D(2004, 1, 1)
    while d.year < 2027:
        assert cal.is_workday(d) == chinese_calendar.is_workday(d)
        d += dt.timedelta(days=1)


def test_not_covered_message():
    with pytest.raises(CalendarNotCovered) as ei:
        WorkCalendar().is_workday(D(2027, 3, 1))
    assert str(ei.value) == ("2027年的法定节假日安排尚未录入，无法计算期限")
    with pytest.raises(CalendarNotCovered):
        WorkCalendar().add_workdays(D(2003, 12, 30), 1)


def test_overrides_forms():
    cal = WorkCalendar([DayOverride(D(2027, 2, 6), True, "调休上班")], complete_years={2027})
    assert cal.is_workday(D(2027, 2, 6))  # a Saturday
    assert cal.day_name(D(2027, 2, 6)) == "调休上班"
    assert cal.add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 6)
    assert cal.workdays_between(D(2027, 2, 5), D(2027, 2, 8)) == 2
    assert cal.workdays_between(D(2027, 2, 8), D(2027, 2, 5)) == -2


def test_index_agrees_with_scalar():
    cal = WorkCalendar({D(2026, 12, 31): False}, complete_years=[2028])
    ix = cal.index
    assert ix.first == D(2004, 1, 1)
    d = ix.first
    for i in range(ix.size):
        cov = cal.covers(d)
        assert ix.covered[i] == cov
        if cov:
            assert ix.is_workday[i] == cal.is_workday(d)
        d += dt.timedelta(days=1)
    assert d == D(2030, 1, 1)  # last covered year + one padding year
    assert (
        ix.year_of(int(ix.next_uncovered[ix.to_index(np.array(["2026-06-01"], "datetime64[D]"))[0]])) == 2027
    )
