"""Deadline engine: hand-checked table + properties + batch == scalar.

Every expected date below was counted by hand from the State Council holiday notices
(国务院办公厅关于20xx年部分节假日安排的通知; 2020: Spring Festival extended to 2-2 by
国办发明电〔2020〕1号), counting working days strictly after the receipt day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.deadlines import (
    CalendarNotCovered,
    ClockInputs,
    Pause,
    PauseKind,
    batch_deadlines,
    compute_deadlines,
    consultation_reply_due,
    correction_notice_due,
    effective_pauses,
    fee_payment_due,
)
from gongkai.core.workdays import DayOverride, WorkCalendar

D = dt.date
CAL = WorkCalendar()
# For properties whose pauses and extensions can run past the package's last year (2026): the
# same calendar plus a made-up, administrator-declared 2027 (weekends and 元旦 off), so that the
# arithmetic is exercised across the year boundary instead of stopping at CalendarNotCovered.
CAL_2027 = WorkCalendar({D(2027, 1, 1): DayOverride(D(2027, 1, 1), False, "元旦")}, complete_years=(2027,))

# (received, correction_notice_due (7 WD), due (20 WD), what it exercises)
HAND_TABLE = [
    (D(2019, 2, 1), D(2019, 2, 15), D(2019, 3, 6), "2019 春节: Fri before 调休 Sat 2-2 / Sun 2-3"),
    (D(2019, 9, 27), D(2019, 10, 12), D(2019, 10, 30), "2019 国庆: 调休 Sun 9-29, Sat 10-12"),
    (D(2020, 1, 17), D(2020, 2, 4), D(2020, 2, 21), "2020 春节 extended to 2-2, 调休 Sun 1-19"),
    (D(2020, 9, 23), D(2020, 10, 9), D(2020, 10, 27), "2020 国庆+中秋 10-1..8, 调休 9-27, 10-10"),
    (D(2021, 2, 6), D(2021, 2, 20), D(2021, 3, 10), "2021 春节: received Sat before 调休 Sun 2-7"),
    (D(2021, 9, 17), D(2021, 9, 28), D(2021, 10, 21), "2021 中秋+国庆: 调休 9-18, 9-26, 10-9"),
    (D(2022, 1, 29), D(2022, 2, 14), D(2022, 3, 3), "2022 春节: received ON 调休 Sat 1-29"),
    (D(2022, 9, 29), D(2022, 10, 13), D(2022, 11, 1), "2022 国庆: 调休 Sat 10-8, Sun 10-9"),
    (D(2023, 1, 20), D(2023, 2, 3), D(2023, 2, 22), "2023 春节: eve, 调休 1-28, 1-29"),
    (D(2023, 9, 28), D(2023, 10, 13), D(2023, 11, 1), "2023 中秋国庆 9-29..10-6, 调休 10-7, 10-8"),
    (D(2024, 2, 4), D(2024, 2, 19), D(2024, 3, 7), "2024 春节: received ON 调休 Sun 2-4; 调休 Sun 2-18"),
    (D(2024, 9, 13), D(2024, 9, 25), D(2024, 10, 17), "2024 中秋 9-15..17 (调休 Sat 9-14) then 国庆"),
    (D(2024, 9, 27), D(2024, 10, 12), D(2024, 10, 30), "2024 国庆: 调休 Sun 9-29, Sat 10-12"),
    (D(2025, 1, 24), D(2025, 2, 10), D(2025, 2, 27), "2025 春节 1-28..2-4, 调休 Sun 1-26, Sat 2-8"),
    (D(2025, 9, 26), D(2025, 10, 13), D(2025, 10, 30), "2025 国庆中秋 10-1..8, 调休 9-28, 10-11"),
    (D(2026, 2, 13), D(2026, 3, 2), D(2026, 3, 19), "2026 春节 2-15..23, 调休 Sat 2-14, Sat 2-28"),
    (D(2026, 9, 18), D(2026, 9, 29), D(2026, 10, 22), "2026 中秋 9-25..27 + 国庆, 调休 9-20, 10-10"),
]


@pytest.mark.parametrize(("received", "cnd", "due", "why"), HAND_TABLE, ids=[r[3] for r in HAND_TABLE])
def test_hand_checked_table(received, cnd, due, why):
    d = compute_deadlines(CAL, ClockInputs(received))
    assert d.correction_notice_due == cnd
    assert d.due == due
    assert d.extended_due is None
    assert correction_notice_due(CAL, received) == cnd


def test_hand_table_agrees_with_package_data():
    import chinese_calendar

    for received, cnd, due, _ in HAND_TABLE:
        for target, n in ((cnd, 7), (due, 20)):
            days = [received + dt.timedelta(days=i) for i in range(1, (target - received).days + 1)]
            assert sum(chinese_calendar.is_workday(x) for x in days) == n
            assert chinese_calendar.is_workday(target)


def test_extension_and_pause_across_national_day():
    # 9-29(1) 9-30(2) 10-8(3); paused 10-9..10-15 (incl. 调休 Sat 10-10); 10-16(4) ... 11-9(20)
    d = compute_deadlines(
        CAL, ClockInputs(D(2026, 9, 28), extension_days=20, pauses=[(D(2026, 10, 9), D(2026, 10, 15))])
    )
    assert d.correction_notice_due == D(2026, 10, 13)
    assert d.due == D(2026, 11, 9)
    assert d.extended_due == D(2026, 12, 7)
    assert d.final_due == D(2026, 12, 7)
    assert d.as_dict() == {
        "received": "2026-09-28",
        "correction_notice_due": "2026-10-13",
        "due": "2026-11-09",
        "extended_due": "2026-12-07",
        "provisional": False,
    }
    # counted by 10-20: 9-29, 9-30, 10-8, 10-16, 10-19, 10-20 = 6 of 40
    assert d.working_days_left(D(2026, 10, 20)) == 34
    assert d.working_days_left(D(2026, 12, 7)) == 0
    assert d.working_days_left(D(2026, 12, 9)) == -2


def test_correction_restarts_clock():
    d = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26), correction_received=D(2025, 10, 13)))
    assert d.correction_notice_due == D(2025, 10, 13)  # from the ORIGINAL receipt
    assert d.clock_start == D(2025, 10, 13)
    assert d.due == D(2025, 11, 10)  # 20 WD counted afresh from 10-13, not resumed


def test_pause_on_makeup_saturday_excludes_it():
    base = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26))).due
    paused = compute_deadlines(
        CAL, ClockInputs(D(2025, 9, 26), pauses=[(D(2025, 10, 11), D(2025, 10, 11))])
    ).due
    assert base == D(2025, 10, 30)
    assert paused == D(2025, 10, 31)
    # a pause on non-working days only changes nothing
    same = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26), pauses=[(D(2025, 10, 1), D(2025, 10, 8))])).due
    assert same == base


def test_open_pause_stops_clock():
    d = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26), pauses=[Pause(D(2025, 10, 20))]))
    assert d.due is None and d.final_due is None and d.is_clock_stopped
    assert d.paused_since == D(2025, 10, 20)
    assert d.counted_before_pause == 11  # 9-28 9-29 9-30 10-9 10-10 10-11 10-13..17
    assert d.working_days_left(D(2025, 12, 1)) == 9
    # an open pause starting after the deadline does not affect it
    late = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26), pauses=[Pause(D(2025, 11, 3))]))
    assert late.due == D(2025, 10, 30) and late.paused_since is None


def test_fee_pause_is_opt_in():
    fee = Pause(D(2025, 10, 13), D(2025, 10, 17), PauseKind.FEE)
    off = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26), pauses=[fee]))
    on = compute_deadlines(CAL, ClockInputs(D(2025, 9, 26), pauses=[fee]), fee_pauses_clock=True)
    assert off.due == D(2025, 10, 30)
    assert on.due == D(2025, 11, 6)
    assert effective_pauses([fee]) == []


def test_helper_periods():
    assert consultation_reply_due(CAL, D(2026, 9, 18)) == D(2026, 10, 15)
    assert fee_payment_due(CAL, D(2026, 9, 18)) == D(2026, 10, 22)


def test_input_validation():
    with pytest.raises(ValueError):
        ClockInputs(D(2025, 1, 6), extension_days=21)
    with pytest.raises(ValueError):
        ClockInputs(D(2025, 1, 6), correction_received=D(2025, 1, 1))
    with pytest.raises(ValueError):
        Pause(D(2025, 1, 6), D(2025, 1, 5))


def test_2027_not_covered_raises_chinese_error():
    with pytest.raises(CalendarNotCovered) as ei:
        compute_deadlines(CAL, ClockInputs(D(2026, 12, 10)))
    assert ei.value.year == 2027
    assert "2027年的法定节假日安排尚未录入" in str(ei.value)
    with pytest.raises(CalendarNotCovered):
        CAL.is_workday(D(2027, 1, 4))
    with pytest.raises(CalendarNotCovered):
        batch_deadlines(CAL, np.array(["2026-12-10"], dtype="datetime64[D]"))
    # early December works without the extension, not with it
    assert compute_deadlines(CAL, ClockInputs(D(2026, 11, 2))).due == D(2026, 11, 30)


def test_override_makes_2027_work():
    # overrides alone do not cover a year: the administrator must declare it complete
    partial = WorkCalendar({D(2027, 1, 1): DayOverride(D(2027, 1, 1), False, "元旦")})
    with pytest.raises(CalendarNotCovered):
        compute_deadlines(partial, ClockInputs(D(2026, 12, 10)))
    cal = WorkCalendar({D(2027, 1, 1): DayOverride(D(2027, 1, 1), False, "元旦")}, complete_years=[2027])
    # 12-11(1) 12-14..18(2-6) 12-21..25(7-11) 12-28..31(12-15) [1-1 元旦] 1-4..8(16-20)
    d = compute_deadlines(cal, ClockInputs(D(2026, 12, 10)))
    assert d.due == D(2027, 1, 8)
    assert cal.day_name(D(2027, 1, 1)) == "元旦"
    assert WorkCalendar(complete_years=[2027]).is_workday(D(2027, 1, 1))  # plain weekday
    b = batch_deadlines(cal, np.array(["2026-12-10"], dtype="datetime64[D]"))
    assert b.due[0] == np.datetime64("2027-01-08")


def test_override_corrects_package_year():
    cal = WorkCalendar({D(2026, 3, 2): False})
    assert not cal.is_workday(D(2026, 3, 2))
    assert compute_deadlines(cal, ClockInputs(D(2026, 2, 13))).due == D(2026, 3, 20)
    assert cal.day_name(D(2026, 3, 2)) == "休息日"
    assert CAL.day_name(D(2026, 2, 14)) == "调休上班"
    assert CAL.day_name(D(2026, 2, 17)) == "春节"


def test_uncovered_years():
    assert CAL.uncovered_years([D(2026, 12, 10)], horizon_days=60) == [2027]
    assert CAL.uncovered_years([D(2026, 6, 1)], horizon_days=60) == []
    assert CAL.uncovered_years([D(2003, 6, 1), D(2028, 1, 1)]) == [2003, 2028]


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 10, 1))


@st.composite
def pauses_for(draw, start):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        s = start + dt.timedelta(days=draw(st.integers(-10, 60)))
        if draw(st.integers(0, 5)) == 0:
            out.append(Pause(s, None))
        else:
            out.append(Pause(s, s + dt.timedelta(days=draw(st.integers(0, 25)))))
    return out


# receipts up to mid-2026: with a correction (+30 days), pauses (+85) and 40 working days, every
# computation stays inside 2026, the last year the strict calendar covers (2027 would raise)
_LO, _HI = D(2005, 1, 1), D(2026, 6, 30)


@st.composite
def inputs(draw, lo=_LO, hi=_HI):
    r = draw(st.dates(min_value=lo, max_value=hi))
    c = None
    if draw(st.booleans()):
        c = r + dt.timedelta(days=draw(st.integers(0, 30)))
    return ClockInputs(r, c, draw(st.integers(0, 20)), tuple(draw(pauses_for(r))))


@settings(max_examples=300, deadline=None)
@given(dates, dates, st.integers(0, 20))
def test_monotonic_in_received(a, b, ext):
    a, b = min(a, b), max(a, b)
    da = compute_deadlines(CAL, ClockInputs(a, extension_days=ext))
    db = compute_deadlines(CAL, ClockInputs(b, extension_days=ext))
    assert da.due <= db.due
    assert da.correction_notice_due <= db.correction_notice_due
    if ext:
        assert da.extended_due <= db.extended_due


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_pausing_never_shortens_and_due_is_workday(ci):
    with_p = compute_deadlines(CAL_2027, ci)
    without = compute_deadlines(CAL_2027, ClockInputs(ci.received, ci.correction_received, ci.extension_days))
    for a, b in ((with_p.due, without.due), (with_p.extended_due, without.extended_due)):
        if a is not None:
            assert a >= b
            assert CAL_2027.is_workday(a)
            assert not any(p.start <= a <= p.end for p in ci.pauses if p.end is not None)
    assert CAL_2027.is_workday(without.due) and without.due > ci.clock_start
    assert CAL_2027.workdays_between(ci.clock_start, without.due) == 20
    assert CAL_2027.workdays_between(ci.received, with_p.correction_notice_due) == 7


@settings(max_examples=200, deadline=None)
@given(inputs(), st.integers(0, 20))
def test_extension_never_shortens(ci, more):
    d1 = compute_deadlines(CAL, ci)
    e2 = min(20, ci.extension_days + more)
    d2 = compute_deadlines(CAL, ClockInputs(ci.received, ci.correction_received, e2, ci.pauses))
    if d1.due is not None and d1.extended_due is not None:
        assert d1.extended_due >= d1.due
    if d1.final_due is not None and d2.final_due is not None:
        assert d2.final_due >= d1.final_due
    if d2.final_due is not None:
        assert d1.final_due is not None


CALS = [
    CAL,
    WorkCalendar({D(2027, 1, 1): False, D(2027, 2, 6): True}, complete_years=[2027]),
    WorkCalendar({D(2026, 12, 31): False}, complete_years=[2028]),  # 2027 gap
]


def _row_arrays(rows, P=3):
    n = len(rows)
    rec = np.array([r.received for r in rows], dtype="datetime64[D]")
    cor = np.array([r.correction_received or "NaT" for r in rows], dtype="datetime64[D]")
    ext = np.array([r.extension_days for r in rows], dtype=np.int64)
    ps = np.full((n, P), np.datetime64("NaT"), dtype="datetime64[D]")
    pe = np.full((n, P), np.datetime64("NaT"), dtype="datetime64[D]")
    for i, r in enumerate(rows):
        for j, p in enumerate(r.pauses):
            ps[i, j] = p.start
            pe[i, j] = p.end if p.end else np.datetime64("NaT")
    return rec, cor, ext, ps, pe


def _as_np(d):
    return np.datetime64(d, "D") if d is not None else None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(CALS))),
    st.lists(inputs(lo=D(2004, 1, 1), hi=D(2029, 6, 1)), min_size=1, max_size=12),
)
def test_batch_equals_scalar(ci, rows):
    cal = CALS[ci]
    rec, cor, ext, ps, pe = _row_arrays(rows)
    b = batch_deadlines(cal, rec, cor, ext, ps, pe, errors="mask")
    for i, r in enumerate(rows):
        try:
            s = compute_deadlines(cal, r)
        except CalendarNotCovered:
            assert b.uncovered[i], r
            continue
        assert not b.uncovered[i], r
        for name in ("correction_notice_due", "due", "extended_due"):
            got = getattr(b, name)[i]
            want = getattr(s, name)
            if want is None:
                assert np.isnat(got), (r, name)
            else:
                assert got == _as_np(want), (r, name, got, want)
        assert bool(b.paused[i]) == (s.final_due is None), r
    if not b.uncovered.any():
        b2 = batch_deadlines(cal, rec, cor, ext, ps, pe)  # errors="raise" path does not raise
        assert np.array_equal(b2.due, b.due, equal_nan=True)
    else:
        with pytest.raises(CalendarNotCovered):
            batch_deadlines(cal, rec, cor, ext, ps, pe)


def test_batch_large_matches_scalar_sample():
    rng = np.random.default_rng(7)
    n = 20000
    rec = np.datetime64("2024-01-01") + rng.integers(0, 900, n).astype("timedelta64[D]")
    ext = rng.integers(0, 21, n) * (rng.random(n) < 0.3)
    ps = np.full((n, 2), np.datetime64("NaT"), dtype="datetime64[D]")
    pe = ps.copy()
    has = rng.random(n) < 0.3
    ps[has, 0] = rec[has] + rng.integers(1, 20, has.sum()).astype("timedelta64[D]")
    pe[has, 0] = ps[has, 0] + rng.integers(0, 20, has.sum()).astype("timedelta64[D]")
    b = batch_deadlines(CAL, rec, None, ext, ps, pe, errors="mask")
    for i in rng.choice(n, 400, replace=False):
        pauses = [(ps[i, 0].item(), pe[i, 0].item())] if has[i] else []
        try:
            s = compute_deadlines(CAL, ClockInputs(rec[i].item(), None, int(ext[i]), tuple(pauses)))
        except CalendarNotCovered:
            assert b.uncovered[i]
            continue
        assert b.due[i] == _as_np(s.due)
        assert (np.isnat(b.extended_due[i]) and s.extended_due is None) or b.extended_due[i] == _as_np(
            s.extended_due
        )
