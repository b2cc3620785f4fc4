"""Section 3/4 by GROUP BY semantics: identity by construction, sum of parts = whole."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_strategies import consistent_reports

from gongkai.core.report_compute import (
    AppealFact,
    ApplicationFact,
    aggregate,
    appeal_columns,
    appeal_counts,
    application_counts,
    applications_table,
    build_report,
    classify_application,
    map_outcome,
    proactive_tables,
    review_litigation_table,
    yuan_to_wan,
)
from gongkai.core.report_data import FeeLine
from gongkai.core.report_rules import has_errors, validate, validate_report
from gongkai.core.report_schema import (
    applicant_type_choices,
    get_template,
    outcome_choices,
)

APPLICANTS = [k for k, _ in applicant_type_choices()]
OUTCOMES = [k for k, _ in outcome_choices("2021")]
START = date(2018, 1, 1)


@st.composite
def application_facts(draw):
    received = START + timedelta(days=draw(st.integers(0, 6 * 365)))
    closed = None
    if draw(st.booleans()):
        closed = received + timedelta(days=draw(st.integers(0, 500)))
    return ApplicationFact(
        applicant_type=draw(st.sampled_from(APPLICANTS)),
        received_on=received,
        closed_on=closed,
        outcome=draw(st.sampled_from(OUTCOMES)) if closed else None,
    )


@st.composite
def appeal_facts(draw):
    kinds = list(appeal_columns())
    filed = START + timedelta(days=draw(st.integers(0, 6 * 365)))
    decided = filed + timedelta(days=draw(st.integers(0, 700))) if draw(st.booleans()) else None
    return AppealFact(
        kind=draw(st.sampled_from(kinds)),
        filed_on=filed,
        decided_on=decided,
        outcome=draw(st.sampled_from(["upheld", "corrected", "other"])) if decided else None,
    )


histories = st.lists(application_facts(), max_size=60)
appeals = st.lists(appeal_facts(), max_size=30)
years = st.integers(2019, 2023)


@settings(max_examples=80, deadline=None)
@given(histories, appeals, years)
def test_identity_and_all_sums_hold_by_construction(facts, cases, year):
    rep = build_report("某局", year, application_facts=facts, appeal_facts=cases)
    assert validate_report(rep) == []
    flow = rep.template.application_flow
    app = rep.tables["applications"]
    for col in app[flow.new_received]:
        assert (
            app[flow.new_received][col] + app[flow.carried_in][col]
            == app[flow.results_total][col] + app[flow.carried_out][col]
        )


@settings(max_examples=50, deadline=None)
@given(histories, st.integers(2020, 2023))
def test_carry_over_chains_from_year_to_year(facts, year):
    prev = build_report("某局", year - 1, application_facts=facts)
    cur = build_report("某局", year, application_facts=facts)
    assert not [f for f in validate(cur, prev) if f.rule == "cross_year.carry_over"]


@settings(max_examples=60, deadline=None)
@given(histories, histories, appeals, appeals, years)
def test_sum_of_parts_equals_whole(a, b, ca, cb, year):
    assert application_counts(a, year) + application_counts(b, year) == application_counts(a + b, year)
    assert appeal_counts(ca, year) + appeal_counts(cb, year) == appeal_counts(ca + cb, year)
    ra = build_report("甲局", year, application_facts=a, appeal_facts=ca)
    rb = build_report("乙局", year, application_facts=b, appeal_facts=cb)
    whole = build_report("本行政区域", year, application_facts=a + b, appeal_facts=ca + cb)
    assert aggregate([ra, rb], "本行政区域").tables == whole.tables


@settings(max_examples=40, deadline=None)
@given(st.lists(consistent_reports(template_id="2021", year=2023), min_size=1, max_size=4))
def test_aggregate_is_cellwise_sum_with_decimal_money(reports):
    region = aggregate(reports, "某市本行政区域")
    assert validate_report(region) == []
    for tk, rk, ck, v in region.cells():
        assert v == sum(r.value(tk, rk, ck) for r in reports)
        assert type(v) is type(reports[0].value(tk, rk, ck))
    fees = [r.fee_line for r in reports if r.fee_line is not None]
    if fees:
        assert region.fee_line.amount_collected == sum((f.amount_collected for f in fees), Decimal(0))
    assert region.meta["aggregated_from"] == [r.agency_name for r in reports]


def test_aggregate_refuses_mixed_years_or_templates():
    a = build_report("甲", 2020)
    b = build_report("乙", 2021)
    with pytest.raises(ValueError):
        aggregate([a, b], "区域")
    with pytest.raises(ValueError):
        aggregate([], "区域")


def test_classification_of_one_history():
    flow = get_template("2021").application_flow
    f = ApplicationFact("natural_person", date(2021, 12, 30), date(2022, 1, 4), "granted")
    assert classify_application(f, 2020) == ()
    assert classify_application(f, 2021) == (flow.new_received, flow.carried_out)
    assert classify_application(f, 2022) == (flow.carried_in, "granted")
    assert classify_application(f, 2023) == ()
    same_day = ApplicationFact("legal_other", date(2022, 1, 1), date(2022, 1, 1), "np_repeat")
    assert classify_application(same_day, 2022) == (flow.new_received, "np_repeat")
    with pytest.raises(ValueError):
        classify_application(
            ApplicationFact("natural_person", date(2022, 3, 1), date(2022, 2, 1), "granted"), 2022
        )
    with pytest.raises(ValueError):
        classify_application(ApplicationFact("natural_person", date(2022, 3, 1), date(2022, 3, 2)), 2022)


def test_2021_other_outcomes_fold_into_2019_single_row():
    t19 = get_template("2019")
    for key in ("other_no_correction", "other_fee_unpaid", "other_other"):
        assert map_outcome(key, t19) == "other"
    with pytest.raises(ValueError):
        map_outcome("other", get_template("2021"))  # a group in 2021, not an outcome
    facts = [ApplicationFact("natural_person", date(2020, 5, 1), date(2020, 5, 9), "other_fee_unpaid")]
    assert build_report("某局", 2020, application_facts=facts).tables["applications"]["other"]["total"] == 1


def test_pre_aggregated_counts_and_rejections():
    table = applications_table(
        "2021", {("granted", "natural_person"): 2, ("new_received", "natural_person"): 2}
    )
    assert table["results_total"]["total"] == 2 and table["new_received"]["total"] == 2
    with pytest.raises(ValueError):
        applications_table("2021", {("results_total", "natural_person"): 1})  # derived
    with pytest.raises(ValueError):
        applications_table("2021", {("granted", "total"): 1})  # derived
    with pytest.raises(ValueError):
        applications_table("2021", {("granted", "natural_person"): -1})


def test_section_4_snapshot_semantics():
    cases = [
        AppealFact(
            "review", date(2021, 11, 1), date(2022, 2, 1), "corrected"
        ),  # pending 2021, corrected 2022
        AppealFact("lit_direct", date(2022, 3, 1)),  # pending at end of 2022
        AppealFact("lit_after_review", date(2020, 3, 1), date(2021, 3, 1), "upheld"),  # not in 2022
    ]
    assert appeal_counts(cases, 2021) == Counter(
        {("review", "pending"): 1, ("lit_after_review", "upheld"): 1}
    )
    row = review_litigation_table("2021", appeal_counts(cases, 2022))["count"]
    assert row["review_corrected"] == 1 and row["review_total"] == 1
    assert row["lit_direct_pending"] == 1 and row["lit_direct_total"] == 1
    assert row["lit_after_review_total"] == 0
    with pytest.raises(ValueError):
        review_litigation_table("2021", {("review", "dismissed"): 1})


def test_section_2_both_templates():
    p19 = proactive_tables(
        "2019",
        {
            "art20_1": {"normative_docs": {"new_made": 60, "new_published": 60, "total_published": 368}},
            "art20_6": {"admin_penalty": {"prev_year_items": 2648, "change": -18, "decisions": 538}},
            "art20_9": {
                "gov_centralized_procurement": {"procurement_items": 6, "procurement_total_amount": "251000"}
            },
        },
    )
    assert p19["art20_9"]["gov_centralized_procurement"]["procurement_total_amount"] == Decimal(251000)
    assert p19["art20_5"]["other_external_services"]["decisions"] == 0
    p21 = proactive_tables("2021", {"art20_8": {"admin_fees": {"fee_amount": yuan_to_wan(242523110.82)}}})
    assert p21["art20_8"]["admin_fees"]["fee_amount"] == Decimal("24252.311082")
    assert set(p21) == {t.key for t in get_template("2021").proactive_tables}
    with pytest.raises(ValueError):
        proactive_tables("2021", {"art20_9": {}})
    with pytest.raises(ValueError):
        proactive_tables("2021", {"art20_1": {"rules": {"new_made": 1}}})


def test_build_report_full_and_fee_line():
    rep = build_report(
        "某局",
        2022,
        application_cell_counts={
            ("new_received", "legal_commercial"): 1,
            ("other_fee_unpaid", "legal_commercial"): 1,
        },
        appeal_group_counts={("review", "upheld"): 2},
        text_sections={"overview": "概述"},
        fee_line=FeeLine(1, Decimal(300), Decimal(0)),
    )
    assert not has_errors(validate(rep))
    assert rep.tables["review_litigation"]["count"]["review_total"] == 2
    with pytest.raises(ValueError):
        build_report("某局", 2022, text_sections={"nope": ""})
