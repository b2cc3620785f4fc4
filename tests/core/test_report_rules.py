"""Arithmetic rules of the annual report, generated from the schema (hypothesis + real reports)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_strategies import consistent_reports, nonzero_delta

from gongkai.core.report_data import ReportData
from gongkai.core.report_rules import (
    ERROR,
    WARNING,
    fill_totals,
    has_errors,
    validate,
    validate_against_previous,
    validate_report,
)
from gongkai.core.report_schema import get_template

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "reports" / "expected.json"


@settings(max_examples=60, deadline=None)
@given(consistent_reports())
def test_consistent_reports_pass_every_rule(data):
    assert validate_report(data) == []
    # JSON round trip keeps every value and type
    back = ReportData.from_dict(json.loads(json.dumps(data.to_dict(), ensure_ascii=False)))
    assert back == data


@settings(max_examples=80, deadline=None)
@given(consistent_reports(), st.data(), nonzero_delta())
def test_any_changed_cell_of_section_3_or_4_is_caught_and_named(data, pick, delta):
    """Every cell of the applications and review tables is in some declared sum, so changing
    one breaks a rule whose cells include it."""
    t = data.template
    table = pick.draw(st.sampled_from([t.applications, t.review_litigation]))
    row, col = pick.draw(st.sampled_from(table.cell_keys()))
    cell = data.tables[table.key][row]
    if cell[col] + delta < 0:
        delta = -delta
    cell[col] += delta
    findings = validate_report(data)
    assert has_errors(findings)
    assert any(f.table == table.key and (row, col) in f.cells for f in findings), findings
    for f in findings:
        assert f.severity == ERROR and f.message and f.table == table.key


@settings(max_examples=40, deadline=None)
@given(consistent_reports(), st.data())
def test_negative_counts_and_money_are_errors_on_the_right_cell(data, pick):
    t = data.template
    table = pick.draw(st.sampled_from(t.tables))
    cols = [c for c in table.value_columns if c.type != "signed_int"]
    col = pick.draw(st.sampled_from(cols))
    row = pick.draw(st.sampled_from(table.cell_rows))
    data.tables[table.key][row.key][col.key] = Decimal(-1) if col.type == "money" else -1
    findings = validate_report(data)
    hit = [f for f in findings if (f.table, f.row, f.column) == (table.key, row.key, col.key)]
    assert hit and hit[0].severity == ERROR
    assert col.label in hit[0].message


@settings(max_examples=30, deadline=None)
@given(consistent_reports(), st.data())
def test_fill_totals_repairs_any_broken_derived_cell(data, pick):
    t = data.template
    for table in (t.applications, t.review_litigation):
        for row, col in pick.draw(st.lists(st.sampled_from(sorted(table.derived_cells)), max_size=5)):
            data.tables[table.key][row][col] += pick.draw(nonzero_delta()) + 100
    # only derived cells were broken: recomputing them from the leaves restores every rule
    assert validate_report(fill_totals(data)) == []


def test_identity_message_names_the_cells_with_labels_and_numbers():
    t = get_template("2021")
    flow = t.application_flow
    data = ReportData.empty("2021", "某局", 2023)
    app = data.tables["applications"]
    app[flow.new_received]["natural_person"] = 271
    app[flow.carried_in]["natural_person"] = 3
    app["granted"]["natural_person"] = 270
    app[flow.carried_out]["natural_person"] = 3
    data = fill_totals(data)
    findings = [f for f in validate_report(data) if f.rule == "applications.identity"]
    assert {f.column for f in findings} == {"natural_person", "total"}
    f = next(f for f in findings if f.column == "total")
    table = t.applications
    assert f.message == (
        f"第三部分「总计」列：{table.row(flow.new_received).label} 271 + {table.row(flow.carried_in).label} 3 ≠ "
        f"{table.row(flow.results_total).label} 270 + {table.row(flow.carried_out).label} 3（274 ≠ 273）"
    )
    assert (f.expected, f.actual, f.table, f.severity) == (274, 273, "applications", "error")
    assert f.to_dict()["cells"][0] == [flow.new_received, "total"]


def test_sum_message_for_section_4_group_total():
    data = ReportData.empty("2019", "某局", 2020)
    data.tables["review_litigation"]["count"].update(review_upheld=5, review_pending=2, review_total=6)
    (f,) = validate_report(data)
    assert f.rule == "review_litigation.group_totals"
    assert f.column == "review_total" and f.expected == 7 and f.actual == 6
    assert f.message.startswith("第四部分：行政复议－总计 6 ≠ 行政复议－结果维持 5 + ")
    assert f.message.endswith("= 7")


def test_results_total_message_lists_nonzero_parts():
    data = ReportData.empty("2021", "某局", 2022)
    app = data.tables["applications"]
    app["granted"]["legal_research"] = 4
    app["np_repeat"]["legal_research"] = 2
    app["results_total"]["legal_research"] = 5
    app["new_received"]["legal_research"] = 5
    data = fill_totals(data, only_blank=True)
    msgs = [f for f in validate_report(data) if f.rule == "applications.results_total_is_sum"]
    (f,) = [m for m in msgs if m.column == "legal_research"]
    assert (
        "「法人或其他组织－科研机构」列：（七）总计 5 ≠ 各分项之和 6（（一）予以公开 4 + 2.重复申请 2）"
        in f.message
    )


def test_structure_errors_for_unknown_keys():
    data = ReportData.empty("2021", "某局", 2022)
    data.tables["art20_9"] = {}  # 2019-only table
    data.tables["applications"]["other"] = {"total": 1}  # group row in 2021
    rules = {(f.rule, f.table, f.row) for f in validate(data)}
    assert ("structure", "art20_9", None) in rules
    assert ("structure", "applications", "other") in rules


def test_signed_change_column_may_be_negative_but_must_be_integer():
    data = ReportData.empty("2019", "某局", 2020)
    data.tables["art20_6"]["admin_penalty"]["change"] = -18
    assert validate_report(data) == []
    data.tables["art20_6"]["admin_penalty"]["change"] = 1.5
    (f,) = validate_report(data)
    assert f.rule == "art20_6.integer" and "本年增/减" in f.message and "第二十条第（六）项" in f.message


@pytest.mark.parametrize(
    "report", json.loads(EXPECTED.read_text("utf-8"))["reports"], ids=lambda r: r["file"]
)
def test_hand_read_reports_consistency_matches_the_rules(report):
    """The rules agree with the hand-read verdict on every real report (blank totals unknown)."""
    data = ReportData.from_dict(report)
    assert (not has_errors(validate(data))) == report["internally_consistent"]


def test_carry_over_between_years_is_an_error_per_column():
    t = get_template("2021")
    flow = t.application_flow
    prev = ReportData.empty("2019", "某局", 2020)
    prev.tables["applications"][flow.carried_out]["natural_person"] = 4
    prev.tables["applications"][flow.new_received]["natural_person"] = 4
    prev = fill_totals(prev)
    cur = ReportData.empty("2021", "某局", 2021)
    cur.tables["applications"][flow.carried_in]["natural_person"] = 3
    cur.tables["applications"]["granted"]["natural_person"] = 3
    cur = fill_totals(cur)
    assert validate_report(cur) == []
    found = [f for f in validate(cur, prev) if f.rule == "cross_year.carry_over"]
    assert {f.column for f in found} == {"natural_person", "total"}
    assert all(f.severity == ERROR for f in found)
    assert "2021年二、上年结转政府信息公开申请数量 3 ≠ 2020年四、结转下年度继续办理 4" in found[0].message
    with pytest.raises(ValueError):
        validate_against_previous(cur, fill_totals(ReportData.empty("2019", "某局", 2019)))


@settings(max_examples=30, deadline=None)
@given(consistent_reports(template_id="2021", year=2022), st.integers(10, 500))
def test_year_on_year_changes_are_warnings_never_errors(cur, extra):
    """Previous year consistent and carrying over exactly: whatever the jumps, no errors; a
    previous 本年新收 total far above this year's is flagged as a warning on that cell."""
    flow = cur.template.application_flow
    prev = ReportData.empty("2021", cur.agency_name, 2021)
    prev.tables["applications"][flow.carried_out] = dict(cur.tables["applications"][flow.carried_in])
    prev.tables["applications"][flow.new_received] = dict(cur.tables["applications"][flow.carried_in])
    big = 2 * cur.tables["applications"][flow.new_received]["total"] + extra
    prev.tables["applications"][flow.new_received]["legal_other"] += big
    prev.tables["applications"]["granted"]["legal_other"] += big
    prev = fill_totals(prev)
    findings = validate(cur, prev)
    assert not has_errors(findings)
    assert all(f.severity == WARNING and "请人工核对" in f.message for f in findings)
    assert any(f.row == flow.new_received and f.column == "total" for f in findings)


def test_yoy_threshold_boundaries():
    flow = get_template("2021").application_flow
    prev = ReportData.empty("2021", "某局", 2021)
    prev.tables["applications"][flow.new_received]["natural_person"] = 20
    prev.tables["applications"]["granted"]["natural_person"] = 20
    prev = fill_totals(prev)
    cur = prev.copy()
    cur.year = 2022
    cur.tables["applications"][flow.new_received]["natural_person"] = 30  # +50 %
    cur.tables["applications"]["granted"]["natural_person"] = 30
    cur = fill_totals(cur)
    warn = validate_against_previous(cur, prev, yoy_threshold=0.5)
    keys = {(f.row, f.column) for f in warn}
    assert (flow.new_received, "total") in keys and ("granted", "total") in keys
    assert all(f.column == "total" for f in warn if f.table == "applications")  # totals only
    assert validate_against_previous(cur, prev, yoy_threshold=0.6) == []
    assert validate_against_previous(cur, prev, yoy_min_base=31) == []
