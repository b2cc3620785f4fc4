"""Consultation minimum periods and feedback counts (core.consultation_rules)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import consultation_rules as rules
from gongkai.core.workdays import WorkCalendar

CAL = WorkCalendar()
starts = st.dates(dt.date(2020, 1, 1), dt.date(2026, 10, 31))


def test_minimums():
    assert rules.minimum(rules.RULE, False) == rules.Minimum(30, "days")
    assert rules.minimum(rules.NORMATIVE, False) == rules.Minimum(7, "workdays")
    assert rules.minimum(rules.NORMATIVE, True) == rules.Minimum(30, "days")
    assert rules.minimum(rules.RULE, False, {"rule_days": 45}) == rules.Minimum(45, "days")


def test_examples():
    mon = dt.date(2026, 11, 2)
    # 7 working days from Monday 2 Nov inclusive: 2,3,4,5,6,9,10 → Tuesday 10 Nov
    assert rules.period_problem(CAL, rules.NORMATIVE, False, mon, dt.date(2026, 11, 10)) is None
    assert "不得少于7个工作日" in rules.period_problem(CAL, rules.NORMATIVE, False, mon, dt.date(2026, 11, 9))
    assert rules.period_problem(CAL, rules.RULE, False, mon, dt.date(2026, 12, 1)) is None
    assert rules.period_problem(CAL, rules.RULE, False, mon, dt.date(2026, 11, 30))
    # National Day week does not count; Saturday 10 Oct is a make-up working day:
    # 30 Sep, 8, 9, 10, 12, 13, 14 Oct
    end = rules.earliest_end(CAL, dt.date(2026, 9, 30), rules.Minimum(7, "workdays"))
    assert end == dt.date(2026, 10, 14)


@given(starts, st.integers(0, 60), st.sampled_from([rules.RULE, rules.NORMATIVE]), st.booleans())
def test_period_accepted_exactly_from_the_minimum(start, length, kind, market):
    end = start + dt.timedelta(days=length)
    need = rules.minimum(kind, market)
    ok = rules.period_problem(CAL, kind, market, start, end) is None
    if need.unit == "days":
        assert ok == (length + 1 >= need.amount)
    else:
        counted = CAL.workdays_between(start - dt.timedelta(days=1), end)
        assert ok == (counted >= need.amount)


def test_feedback_counts_follow_merges():
    counts = rules.feedback_counts(
        [
            (rules.ACCEPTED, None),
            (rules.MERGED, rules.ACCEPTED),
            (rules.REJECTED, None),
            (rules.MERGED, rules.REJECTED),
            (rules.RECEIVED, None),
        ]
    )
    assert counts == {"received": 5, "adopted": 2, "not_adopted": 2, "merged": 2, "pending": 1}


def test_moderation_and_feedback_preconditions():
    assert rules.moderation_problem(rules.RECEIVED, rules.REJECTED, "", None) == "不采纳的，应当说明理由"
    assert rules.moderation_problem(rules.ACCEPTED, rules.REJECTED, "x", None)
    assert rules.moderation_problem(rules.RECEIVED, rules.MERGED, "", rules.ACCEPTED) is None
    end = dt.date(2026, 11, 10)
    assert rules.feedback_problem(rules.OPEN, end, end, 0, "x") == "征集期结束后才能发布采纳情况反馈"
    assert (
        rules.feedback_problem(rules.OPEN, end, end + dt.timedelta(days=1), 1, "x") == "还有 1 条意见未处理"
    )
    assert rules.feedback_problem(rules.OPEN, end, end + dt.timedelta(days=1), 0, "说明") is None
