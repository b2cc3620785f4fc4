"""Report assembly keeps its contract while the schema-derived structures are read once:
``build_report`` returns the normalized form directly, ``fill_totals`` computes exactly the
derived cells (all, or only the blank ones), and the cached schema views are not shared mutable
state."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_strategies import consistent_reports

from gongkai.core.report_compute import (
    appeal_columns,
    applications_table,
    build_report,
    review_litigation_table,
)
from gongkai.core.report_data import FeeLine, ReportData, coerce_cell
from gongkai.core.report_rules import fill_totals
from gongkai.core.report_schema import TEMPLATE_IDS, get_template

# Raw Section 2 values as the proactive side or a form could hand them over.
raw_values = st.one_of(
    st.none(),
    st.integers(0, 500),
    st.integers(0, 500).map(str),
    st.integers(0, 500).map(Decimal),
    st.just(""),
)
raw_money = st.one_of(
    st.none(),
    st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.integers(0, 10**6),
)


@st.composite
def build_inputs(draw):
    tid = draw(st.sampled_from(TEMPLATE_IDS))
    t = get_template(tid)
    year = draw(st.sampled_from([2019, 2020]) if tid == "2019" else st.integers(2021, 2026))
    proactive: dict = {}
    for tb in t.proactive_tables:
        if not draw(st.booleans()):
            continue  # a table not supplied: zeros
        rows = proactive.setdefault(tb.key, {})
        for r in tb.cell_rows:
            cells = rows.setdefault(r.key, {})
            for c in tb.value_columns:
                if draw(st.booleans()):
                    if c.type == "money":
                        cells[c.key] = draw(raw_money)
                    elif c.type == "signed_int":
                        cells[c.key] = draw(st.integers(-300, 300))
                    else:
                        cells[c.key] = draw(raw_values)
    app = t.applications
    leaf_cols = [c.key for c in t.applicant_columns]
    leaf_rows = [r.key for r in app.cell_rows if not r.sum_of]
    counts = draw(
        st.dictionaries(st.tuples(st.sampled_from(leaf_rows), st.sampled_from(leaf_cols)), st.integers(0, 50))
    )
    kinds = appeal_columns(tid)
    groups = [
        (k, o) for k, cols in kinds.items() for o in cols if not t.review_litigation.column(cols[o]).sum_of
    ]
    a_counts = draw(st.dictionaries(st.sampled_from(groups), st.integers(0, 20)))
    fee = (
        FeeLine(draw(st.integers(0, 9)), Decimal(draw(st.integers(0, 900))), Decimal(0))
        if draw(st.booleans())
        else None
    )
    meta = {"agency_id": draw(st.integers(1, 99)), "nested": {"list": [1, 2]}}
    return tid, year, proactive, counts, a_counts, fee, meta


@settings(max_examples=120, deadline=None)
@given(build_inputs())
def test_build_report_is_already_normalized_and_owns_its_inputs(inputs):
    tid, year, proactive, counts, a_counts, fee, meta = inputs
    before = copy.deepcopy((proactive, counts, a_counts, meta))
    rep = build_report(
        "某局",
        year,
        template_id=tid,
        proactive=proactive,
        application_cell_counts=counts,
        appeal_group_counts=a_counts,
        fee_line=fee,
        meta=meta,
    )
    norm = rep.normalized()
    assert rep == norm
    assert list(rep.tables) == [tb.key for tb in get_template(tid).tables]
    for tk, rows in rep.tables.items():
        assert list(rows) == list(norm.tables[tk])
        for rk, cells in rows.items():
            assert list(cells) == list(norm.tables[tk][rk])
            for ck, v in cells.items():
                assert type(v) is type(norm.tables[tk][rk][ck])
    # every cell of Section 2 is the coerced input
    t = get_template(tid)
    for tb in t.proactive_tables:
        for r in tb.cell_rows:
            for c in tb.value_columns:
                raw = proactive.get(tb.key, {}).get(r.key, {}).get(c.key)
                assert rep.tables[tb.key][r.key][c.key] == coerce_cell(tb, c.key, raw)
    # the totals are the ones fill_totals computes, and nothing the caller passed is shared
    assert rep == fill_totals(rep)
    assert (proactive, counts, a_counts, meta) == before
    rep.meta["nested"]["list"].append(3)
    assert meta["nested"]["list"] == [1, 2]
    if fee is not None:
        assert rep.fee_line == fee and rep.fee_line is not fee
    assert ReportData.from_dict(rep.to_dict()) == rep


def test_build_report_year_is_an_int():
    rep = build_report("某局", "2023", template_id="2021")  # type: ignore[arg-type]
    assert rep.year == 2023 and rep == rep.normalized()


@settings(max_examples=60, deadline=None)
@given(consistent_reports(), st.data())
def test_fill_totals_only_blank_computes_exactly_the_blank_derived_cells(data, pick):
    t = data.template
    broken = data.copy()
    blank: dict[str, dict[str, list[str]]] = {}
    kept_by_table: dict[str, list] = {}
    for tb in t.tables:
        derived = sorted(tb.derived_cells)
        if not derived:
            continue
        chosen = pick.draw(st.lists(st.sampled_from(derived), unique=True, max_size=4))
        kept = pick.draw(st.lists(st.sampled_from(derived), unique=True, max_size=3))
        for rk, ck in chosen:
            broken.tables[tb.key][rk][ck] = 0
            blank.setdefault(tb.key, {}).setdefault(rk, []).append(ck)
        for rk, ck in kept:  # printed (not blank) derived cells: wrong, and kept as printed
            if (rk, ck) not in chosen:
                broken.tables[tb.key][rk][ck] += 7
                kept_by_table.setdefault(tb.key, []).append((rk, ck))
        leaf = [(r, c) for r, c in tb.cell_keys() if (r, c) not in tb.derived_cells]
        if leaf and pick.draw(st.booleans()):  # a blank leaf stays listed (nothing computes it)
            rk, ck = pick.draw(st.sampled_from(leaf))
            blank.setdefault(tb.key, {}).setdefault(rk, []).append(ck)
    broken.blank_cells = copy.deepcopy(blank)
    filled = fill_totals(broken, only_blank=True)
    for tb in t.tables:
        listed = blank.get(tb.key, {})
        for rk, ck in tb.cell_keys():
            was_blank = ck in listed.get(rk, ())
            if (rk, ck) in tb.derived_cells and was_blank:
                # computed from its parts as they stand (printed parts kept, blank ones computed);
                # a cell of a sum row and a sum column is the sum across its row
                cells = filled.tables[tb.key]
                col, row = tb.column(ck), tb.row(rk)
                parts = (
                    [cells[rk][p] for p in col.sum_of] if col.sum_of else [cells[p][ck] for p in row.sum_of]
                )
                assert cells[rk][ck] == sum(parts)
                if not kept_by_table.get(tb.key):
                    assert cells[rk][ck] == data.tables[tb.key][rk][ck]
                assert ck not in filled.blank_cells.get(tb.key, {}).get(rk, ())
            else:
                assert filled.tables[tb.key][rk][ck] == broken.tables[tb.key][rk][ck]
                assert was_blank == (ck in filled.blank_cells.get(tb.key, {}).get(rk, ()))
    assert broken.blank_cells == blank  # the input is not modified
    full = fill_totals(broken)
    assert full.tables == data.tables
    for tb in t.tables:  # computing every derived cell clears them all from blank_cells
        for rk, cols in full.blank_cells.get(tb.key, {}).items():
            assert not any((rk, ck) in tb.derived_cells for ck in cols)


def test_section_tables_are_fresh_and_schema_views_are_not_shared_state():
    t = get_template("2021")
    tb = t.applications
    keys = tb.cell_keys()
    keys.clear()
    assert tb.cell_keys() and len(tb.cell_keys()) == len(tb.cell_rows) * len(tb.value_columns)
    a = tb.empty()
    a[tb.cell_rows[0].key][tb.value_columns[0].key] = 5
    assert all(v == 0 for row in tb.empty().values() for v in row.values())
    b = tb.empty()
    assert b[tb.cell_rows[0].key] is not b[tb.cell_rows[1].key]
    cols = appeal_columns("2021")
    cols.clear()
    assert appeal_columns("2021")
    first = applications_table("2021", {})
    first[t.application_flow.new_received]["total"] = 99
    assert applications_table("2021", {})[t.application_flow.new_received]["total"] == 0
    r1, r2 = review_litigation_table("2021", {}), review_litigation_table("2021", {})
    assert r1 == r2 and r1 is not r2
    with pytest.raises(KeyError):
        tb.column("no_such_column")
    with pytest.raises(KeyError):
        tb.row(["unhashable"])  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        t.table("no_such_table")


def test_check_ids_of_sum_rules_match_the_declared_checks():
    for tid in TEMPLATE_IDS:
        for tb in get_template(tid).tables:
            for rule in tb.sum_rules:
                named = [c.id for c in tb.checks if c.equation is None and c.mentions(rule.target)]
                assert rule.check_id == (named[0] if named else "sum_of")
            assert tb.check_for("no_such_key_anywhere", "fallback") == "fallback"
