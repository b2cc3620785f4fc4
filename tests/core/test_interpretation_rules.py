"""三同步 arithmetic and the interpretation lifecycle table (core.interpretation_rules)."""

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from gongkai.core import interpretation_rules as rules
from gongkai.core.workdays import WorkCalendar

CAL = WorkCalendar()
days = st.dates(dt.date(2020, 1, 1), dt.date(2026, 10, 31))


def test_examples():
    fri = dt.date(2026, 11, 20)
    assert rules.sync_status(CAL, fri, fri, fri).status == rules.SAME_DAY
    # 3 working days after Friday 20 Nov: Mon 23, Tue 24, Wed 25
    assert rules.sync_status(CAL, fri, dt.date(2026, 11, 25), fri).status == rules.ON_TIME
    assert rules.sync_status(CAL, fri, dt.date(2026, 11, 26), fri).status == rules.LATE
    assert rules.sync_status(CAL, fri, None, dt.date(2026, 11, 25)).status == rules.PENDING
    assert rules.sync_status(CAL, fri, None, dt.date(2026, 11, 26)).status == rules.MISSING
    # National Day: published 30 Sep 2026, holiday 1–7 Oct → due 12 Oct? (8 Oct first working day)
    state = rules.sync_status(CAL, dt.date(2026, 9, 30), None, dt.date(2026, 10, 9))
    assert state.status == rules.PENDING and CAL.workdays_between(dt.date(2026, 9, 30), state.due) == 3
    assert rules.sync_status(CAL, fri, None, fri, required=False).status == rules.NOT_REQUIRED


@given(days, st.integers(0, 30), st.integers(1, 10))
@example(dt.date(2020, 2, 1), 14, 10)  # due Fri 14 Feb 2020; Sat 15 Feb is late though lag = 10
def test_on_time_exactly_within_the_limit(doc, lag_days, limit):
    interp = doc + dt.timedelta(days=lag_days)
    state = rules.sync_status(CAL, doc, interp, interp, limit)
    lag = CAL.workdays_between(doc, interp)
    if lag_days == 0:
        assert state.status == rules.SAME_DAY
    elif lag < limit or (lag == limit and CAL.is_workday(interp)):
        # on the due working day at the latest (a weekend after it is already late)
        assert state.status == rules.ON_TIME, (doc, interp, lag)
    else:
        assert state.status == rules.LATE
    assert state.flagged == (state.status == rules.LATE)


@given(days, st.integers(0, 30))
def test_missing_only_after_the_due_day(doc, later):
    today = doc + dt.timedelta(days=later)
    state = rules.sync_status(CAL, doc, None, today)
    assert state.status == (rules.MISSING if today > state.due else rules.PENDING)
    assert CAL.is_workday(state.due)


def test_tally():
    fri = dt.date(2026, 11, 20)
    states = [
        rules.sync_status(CAL, fri, fri, fri),
        rules.sync_status(CAL, fri, dt.date(2026, 11, 30), fri),
        rules.sync_status(CAL, fri, None, dt.date(2026, 11, 30)),
        rules.sync_status(CAL, fri, None, fri, required=False),
    ]
    t = rules.tally(states)
    assert (t["required"], t["same_day"], t["late"], t["missing"], t["flagged"]) == (3, 1, 1, 1, 2)


def test_content_problems_by_form():
    base = {"records": 1}
    assert rules.content_problem({**base, "form": rules.TEXT, "body": ""})
    assert rules.content_problem({**base, "form": rules.GRAPHIC, "images": ["图一", " "]}) == (
        "每张图片都应当填写替代文字（供读屏软件朗读）"
    )
    assert rules.content_problem({**base, "form": rules.MEDIA, "media": True, "transcript": ""})
    assert rules.content_problem({**base, "form": rules.QA, "qa": 0})
    assert rules.content_problem({**base, "form": rules.QA, "qa": 2}) is None
    assert rules.content_problem({"records": 0, "form": rules.QA, "qa": 2})


def test_table_roles_and_reasons():
    assert rules.refusal("publish", rules.IN_REVIEW, {"handler"}, {"records": 1, "form": "qa", "qa": 1}, "")
    assert (
        rules.refusal("publish", rules.IN_REVIEW, {"reviewer"}, {"records": 1, "form": "qa", "qa": 1}, "")
        is None
    )
    assert rules.refusal("return", rules.IN_REVIEW, {"head"}, {}, "") == "请说明退回的理由"
    assert rules.refusal("publish", rules.DRAFT, {"head"}, {}, "").startswith("当前状态")
