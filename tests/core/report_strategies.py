"""Hypothesis strategies shared by the annual-report tests: consistent reports built from the
schema declaration (no row or column typed here)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from gongkai.core.report_data import FeeLine, ReportData
from gongkai.core.report_rules import fill_totals
from gongkai.core.report_schema import TEMPLATE_IDS, get_template

counts = st.integers(min_value=0, max_value=400)
money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def consistent_reports(draw, template_id=None, year=None, agency_name="测试机关"):
    tid = template_id or draw(st.sampled_from(TEMPLATE_IDS))
    t = get_template(tid)
    if year is None:
        year = draw(st.sampled_from([2019, 2020]) if tid == "2019" else st.integers(2021, 2026))
    data = ReportData.empty(tid, agency_name, year)
    for tb in t.proactive_tables:
        for r in tb.cell_rows:
            for c in tb.value_columns:
                if c.type == "money":
                    v = draw(money)
                elif c.type == "signed_int":
                    v = draw(st.integers(-300, 300))
                else:
                    v = draw(counts)
                data.tables[tb.key][r.key][c.key] = v
    flow = t.application_flow
    app = data.tables["applications"]
    for col in t.applicant_columns:
        for leaf in t.result_rows:
            app[leaf.key][col.key] = draw(st.integers(0, 60))
        app[flow.carried_out][col.key] = draw(st.integers(0, 40))
        out_total = sum(app[leaf.key][col.key] for leaf in t.result_rows) + app[flow.carried_out][col.key]
        carried_in = draw(st.integers(0, out_total))
        app[flow.carried_in][col.key] = carried_in
        app[flow.new_received][col.key] = out_total - carried_in
    (row,) = data.tables["review_litigation"]
    for c in t.review_litigation.value_columns:
        if not c.sum_of:
            data.tables["review_litigation"][row][c.key] = draw(st.integers(0, 30))
    if draw(st.booleans()):
        data.fee_line = FeeLine(draw(st.integers(0, 20)), draw(money), draw(money))
    return fill_totals(data)


def nonzero_delta():
    return st.integers(-50, 50).filter(lambda d: d != 0)


def as_decimal(v) -> Decimal:
    return Decimal(str(v))
