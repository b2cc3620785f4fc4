"""Provisional calendar (暂定): statutory holidays for years without an official notice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from chinese_calendar.constants import holidays as PKG_HOLIDAYS
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.deadlines import ClockInputs, batch_deadlines, compute_deadlines
from gongkai.core.workdays import CalendarNotCovered, ProvisionalDate, WorkCalendar, statutory_holidays

D = dt.date
PROV = WorkCalendar(provisional=True)


@pytest.mark.parametrize("year", range(2025, 2027))
def test_statutory_holidays_are_official_rest_days_since_the_2024_revision(year):
    """Every day the 2024 revision fixes is a holiday in the official (package) data, 13 in all:
    元旦 1, 春节 4 (from 除夕), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3."""
    days = statutory_holidays(year)
    assert len(days) == 13
    assert set(days) <= set(PKG_HOLIDAYS)
    names = sorted(days.values())
    assert names.count("春节") == 4 and names.count("国庆节") == 3 and names.count("劳动节") == 2


def test_2027_statutory_holidays_from_lunar_and_solar_terms():
    days = statutory_holidays(2027)
    # 春节 2027-02-06 (正月初一) → 除夕 02-05 .. 初三 02-08; 清明 04-05; 端午 06-09; 中秋 09-15
    assert [d for d, n in days.items() if n == "春节"] == [
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
    ]
    assert (
        days[D(2027, 4, 5)] == "清明节"
        and days[D(2027, 6, 9)] == "端午节"
        and days[D(2027, 9, 15)] == "中秋节"
    )


def test_strict_calendar_refuses_provisional_calendar_estimates():
    with pytest.raises(CalendarNotCovered):
        WorkCalendar().add_workdays(D(2026, 12, 10), 20)
    due = PROV.add_workdays(D(2026, 12, 10), 20)
    assert due == D(2027, 1, 8)  # weekends rest, 2027-01-01 a holiday, no make-up days
    assert PROV.provisional_between(D(2026, 12, 10), due) and not PROV.provisional_between(
        D(2026, 1, 1), D(2026, 12, 31)
    )
    assert PROV.day_name(D(2027, 1, 1)) == "元旦"
    with pytest.raises(CalendarNotCovered):
        PROV.strict().is_workday(D(2027, 1, 4))


def test_official_entry_replaces_the_provisional_rule():
    entered = WorkCalendar({D(2027, 1, 4): False}, complete_years=[2027], provisional=True)
    assert not entered.is_provisional(D(2027, 1, 4)) and not entered.is_workday(D(2027, 1, 4))
    assert PROV.is_workday(D(2027, 1, 4))


def test_compute_deadlines_marks_provisional():
    d = compute_deadlines(PROV, ClockInputs(D(2026, 12, 10)))
    assert d.due == D(2027, 1, 8) and d.provisional and d.as_dict()["provisional"] is True
    d2 = compute_deadlines(PROV, ClockInputs(D(2026, 9, 1)))
    assert not d2.provisional


@settings(max_examples=200, deadline=None)
@given(
    received=st.dates(min_value=D(2026, 6, 1), max_value=D(2027, 10, 1)),
    ext=st.integers(0, 20),
)
def test_provisional_batch_equals_scalar(received, ext):
    scalar = compute_deadlines(PROV, ClockInputs(received, extension_days=ext))
    b = batch_deadlines(PROV, np.array([received], dtype="datetime64[D]"), extension_days=ext)
    assert b.due[0] == np.datetime64(scalar.due)
    assert bool(b.provisional[0]) == scalar.provisional
    assert not b.uncovered[0]
    # the due date is a working day of the provisional calendar and lies after receipt
    assert PROV.is_workday(scalar.final_due) and scalar.final_due > received


@settings(max_examples=100, deadline=None)
@given(a=st.dates(min_value=D(2026, 10, 1), max_value=D(2027, 12, 1)), n=st.integers(1, 60))
def test_provisional_add_workdays_monotonic(a, n):
    assert PROV.add_workdays(a, n) < PROV.add_workdays(a, n + 1)
    assert PROV.workdays_between(a, PROV.add_workdays(a, n)) == n


def test_provisional_date_prints_and_compares_as_a_date():
    p = ProvisionalDate.of(D(2027, 1, 8))
    assert p == D(2027, 1, 8) and p.isoformat() == "2027-01-08" and p.provisional
