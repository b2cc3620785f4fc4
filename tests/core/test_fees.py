import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import answers
from gongkai.core import fees as F


def weekdays(d: dt.date) -> bool:
    return d.weekday() < 5


# --- hand-checked examples from ogi-rules.md §7.4 -------------------------------------------


def test_example_a_35th_application_in_month():
    assert F.piece_price(35) == Decimal("200.00")
    assert F.month_total_by_count(35) == Decimal("3000.00")  # 10×0 + 20×100 + 5×200


@pytest.mark.parametrize(
    ("position", "price"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_piece_price_bands(position, price):
    assert F.piece_price(position) == Decimal(price)


def test_example_b_250_pages():
    a = F.assess("by_volume", pages=250)
    assert a.amount == Decimal("4700.00")
    assert [ln.amount for ln in a.lines] == [
        Decimal("0.00"),
        Decimal("700.00"),
        Decimal("2000.00"),
        Decimal("2000.00"),
    ]
    assert "31—100页部分：10元/页 × 70页 = 700元" in a.breakdown_text
    assert a.breakdown_text.endswith("应缴金额：4700元")


def test_real_bill_2219_pages():
    assert F.volume_fee(2219) == Decimal("83460.00")


@pytest.mark.parametrize(
    ("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_volume_tier_edges(pages, fee):
    assert F.volume_fee(pages) == Decimal(fee)


def test_split_application_spans_bands():
    a = F.assess("by_count", position=28, pieces=5)
    assert a.amount == Decimal("700.00")  # 29th, 30th... : 28,29,30 at 100 + 31,32 at 200
    assert [(ln.quantity, ln.unit_price) for ln in a.lines] == [
        (3, Decimal("100.00")),
        (2, Decimal("200.00")),
    ]
    assert "第28—32件" in a.breakdown_text


def test_free_threshold():
    assert F.assess("by_count", position=10).is_free
    assert F.assess("by_volume", pages=30).is_free
    assert "不收费" in F.assess("by_volume", pages=12).breakdown_text


def test_one_method_per_application():
    with pytest.raises(F.FeeError):
        F.assess("by_count", position=12, pages=40)
    with pytest.raises(F.FeeError):
        F.assess("by_volume", position=12, pages=40)
    with pytest.raises(F.FeeError):
        F.assess("by_count")
    with pytest.raises(F.FeeError):
        F.assess("by_volume")
    with pytest.raises(F.FeeError):
        F.assess("by_weight", pages=3)


def test_waiver_requires_reason_and_is_capped():
    with pytest.raises(F.FeeError):
        F.assess("by_volume", pages=250, waiver=F.Waiver(" "))
    full = F.assess("by_volume", pages=250, waiver=F.Waiver("申请人为低保对象"))
    assert full.amount == 0 and full.waived == Decimal("4700.00") and full.gross == Decimal("4700.00")
    assert "减免（申请人为低保对象）" in full.breakdown_text
    part = F.assess("by_count", position=15, waiver=F.Waiver("首次超量", Decimal("30")))
    assert part.amount == Decimal("70.00")
    over = F.assess("by_count", position=15, waiver=F.Waiver("首次超量", Decimal("1000")))
    assert over.amount == 0 and over.waived == Decimal("100.00")
    with pytest.raises(F.FeeError):
        F.assess("by_count", position=15, waiver=F.Waiver("x", Decimal("-1")))


def test_breakdown_is_json_ready():
    import json

    a = F.assess("by_volume", pages=150)
    data = json.loads(json.dumps(a.breakdown))
    assert sum(Decimal(d["amount"]) for d in data) == a.amount


def test_invalid_inputs():
    with pytest.raises(F.FeeError):
        F.piece_price(0)
    with pytest.raises(F.FeeError):
        F.volume_fee(-1)
    with pytest.raises(F.FeeError):
        F.assess("by_count", position=3, pieces=0)


# --- properties --------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=5000))
def test_volume_fee_monotone_and_marginal(pages):
    assert F.volume_fee(pages + 1) >= F.volume_fee(pages) >= 0
    # marginal: the last page costs its tier price
    step = F.volume_fee(pages + 1) - F.volume_fee(pages)
    n = pages + 1
    expected = 0 if n <= 30 else 10 if n <= 100 else 20 if n <= 200 else 40
    assert step == expected


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=40))
def test_count_fee_equals_difference_of_month_totals(position, pieces):
    a = F.assess("by_count", position=position, pieces=pieces)
    assert a.amount == F.month_total_by_count(position + pieces - 1) - F.month_total_by_count(position - 1)
    assert F.piece_price(position + 1) >= F.piece_price(position)


@given(
    st.sampled_from(["by_count", "by_volume"]),
    st.integers(min_value=1, max_value=300),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100000, places=2)),
)
def test_waiver_never_negative_and_full_waiver_is_zero(method, n, waive):
    kw = {"position": n} if method == "by_count" else {"pages": n}
    gross = F.assess(method, **kw).amount
    a = F.assess(method, **kw, waiver=F.Waiver("理由", waive))
    assert a.amount >= 0
    assert a.amount + a.waived == gross
    if waive is None:
        assert a.amount == 0


# --- clock --------------------------------------------------------------------------------


def test_payment_deadline_counts_from_day_after_receipt():
    # received Monday 2026-11-23: day 1 = Tue 24th ... 20 weekdays later = Mon 2026-12-21
    assert F.payment_deadline(dt.date(2026, 11, 23), weekdays) == dt.date(2026, 12, 21)
    # received on a Saturday: the first counted day is Monday
    assert F.payment_deadline(dt.date(2026, 11, 21), weekdays) == dt.date(2026, 12, 18)
    holidays = {dt.date(2026, 11, 24)}
    assert F.payment_deadline(dt.date(2026, 11, 23), lambda d: weekdays(d) and d not in holidays) == dt.date(
        2026, 12, 22
    )


def test_payment_status_and_unpaid_outcome():
    pay_by = dt.date(2026, 12, 21)
    assert F.payment_status(pay_by, None, dt.date(2026, 12, 21)) is F.PaymentStatus.PENDING
    assert F.payment_status(pay_by, dt.date(2026, 12, 21), dt.date(2026, 12, 30)) is F.PaymentStatus.PAID
    assert F.payment_status(pay_by, None, dt.date(2026, 12, 22)) is F.PaymentStatus.LAPSED
    assert F.payment_status(pay_by, dt.date(2026, 12, 22), dt.date(2026, 12, 22)) is F.PaymentStatus.LAPSED
    assert answers.answer(F.UNPAID_OUTCOME).group == "other"


def test_clock_pause_is_explicit_and_configurable():
    assert F.FEE_NOTICE_PAUSES_CLOCK is False  # unconfirmed rule: off unless turned on
    assert F.fee_clock_pause(dt.date(2026, 11, 23)) is None
    p = F.fee_clock_pause(dt.date(2026, 11, 23), dt.date(2026, 11, 30), pauses_clock=True)
    assert (p.start, p.end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    assert F.fee_clock_pause(dt.date(2026, 11, 23), pauses_clock=True).end is None
    assert F.fee_clock_pause(dt.date(2026, 11, 23), pauses_clock=False) is None
    with pytest.raises(F.FeeError):
        F.fee_clock_pause(dt.date(2026, 11, 23), dt.date(2026, 11, 1), pauses_clock=True)


def test_notice_terms_state_the_standard():
    a = F.assess("by_count", position=12)
    t = F.FeeNoticeTerms(a, dt.date(2026, 12, 21))
    assert "100元/件" in t.standard_text and t.unpaid_outcome == "other_fee_unpaid"
    assert "40元/页" in F.FeeNoticeTerms(F.assess("by_volume", pages=40), dt.date(2026, 12, 21)).standard_text
