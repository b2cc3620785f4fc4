"""Reading as constraint solving (issue 13): glued rows are variables, the template's equations are
solved jointly; a cell is read only when every joint solution agrees on it."""

from __future__ import annotations

from report_parse_docs import expected_reports, render_flat

from gongkai.core.report_parse import parse_report
from gongkai.core.report_parse.solve import joint_candidates

EXPECTED = {e["file"]: e for e in expected_reports()}


def test_unique_joint_solution_is_kept_and_ties_stay_open():
    rows = {
        "a": [(1, 2, 3), (12, 0, 3)],  # ambiguous
        "b": [(1, 1, 2)],
        "total": [(2, 3, 5), (13, 1, 5)],  # ambiguous
    }
    # total = a + b: only (1,2,3)+(1,1,2) = (2,3,5) and (12,0,3)+(1,1,2) = (13,1,5) hold
    assert joint_candidates(rows, [(("total",), ("a", "b"))]) == rows
    rows["total"] = [(2, 3, 5), (14, 1, 5)]
    out = joint_candidates(rows, [(("total",), ("a", "b"))])
    assert out == {"a": [(1, 2, 3)], "b": [(1, 1, 2)], "total": [(2, 3, 5)]}


def test_no_joint_solution_narrows_nothing():
    rows = {"a": [(1, 2), (2, 1)], "total": [(9, 9)]}
    assert joint_candidates(rows, [(("total",), ("a",))]) is None


def test_a_settled_broken_column_does_not_block_the_other_columns():
    """Column 2 of every row is unambiguous and its sum is wrong (the publisher's arithmetic): that
    is the audit's finding; column 0/1 are still solved."""
    rows = {"a": [(1, 12, 7), (11, 2, 7)], "b": [(1, 1, 1)], "total": [(2, 13, 99)]}
    out = joint_candidates(rows, [(("total",), ("a", "b"))])
    assert out is not None and out["a"] == [(1, 12, 7)]


def test_search_budget_exhausted_narrows_nothing():
    rows = {f"r{i}": [(k,) for k in range(10)] for i in range(6)}
    rows["t"] = [(k,) for k in range(60)]
    assert joint_candidates(rows, [(("t",), tuple(f"r{i}" for i in range(6)))], max_nodes=1000) is None


def test_publisher_error_elsewhere_does_not_leave_a_glued_total_unread():
    """2024 Shanghai (kewei) printed 结转下年度 with 自然人 1 but 总计 0 (its own error). With every
    row glued, 「（七）总计」 「3320000035」 splits as 3|32 or 33|2: the result-rows sum decides 33|2.
    Before the fix the broken identity in the 总计 column blocked the whole joint solution and the
    two cells stayed unread."""
    e = EXPECTED["2024_shanghai-kewei_pdfmd.txt"]
    tables = {"applications": e["applications"], "review_litigation": {"count": e["review_litigation"]}}
    r = parse_report(render_flat("2021", tables, "测试市测试局", 2024), "flat.txt")
    assert r["tables"]["applications"] == e["applications"]
    # the publisher's error is still reported
    assert any(
        f["severity"] == "error" and ["carried_forward", "total"] in f["cells"]
        for f in r["findings"]
        if f.get("table") == "applications"
    )


def test_every_fixture_flattened_is_read_completely_and_right():
    """Every fixture's Section 3 printed with all cells glued (no separator at all) reads back whole
    (measured before the joint solver: 2 cells of 2024 kewei unread; before the 总计 cells of rows
    breaking their own totals became unknowns: 7 rows of 2019 shanghai-bgt unread)."""
    for e in EXPECTED.values():
        tables = {"applications": e["applications"], "review_litigation": {"count": e["review_litigation"]}}
        r = parse_report(render_flat(e["template"], tables, "测试市测试局", e["year"]), "flat.txt")
        got = r["tables"]["applications"]
        listed = {tuple(c) for m in r["missing"] if m.get("table") == "applications" for c in m["cells"]}
        for row, cells in e["applications"].items():
            for col, want in cells.items():
                assert got.get(row, {}).get(col) in (want, None), (e["file"], row, col)
                assert col in got.get(row, {}) or (row, col) in listed
        unread = sum(col not in got.get(row, {}) for row, cells in e["applications"].items() for col in cells)
        assert unread == 0, e["file"]


def test_totals_breaking_their_own_row_become_unknowns():
    """Row a's only splits break its own total (the publisher printed 总计 blank, glued as 0): with
    that 0 in the 总计 column's equation there is no joint solution; as an unknown, the other
    columns decide the split."""
    rows = {
        "a": [(1, 20, 0), (12, 0, 10)],  # 「12010」's splits that use every digit: both break a's total
        "b": [(2, 1, 3)],
        "total": [(14, 1, 15)],
    }
    eqs = [(("total",), ("a", "b"))]
    assert joint_candidates(rows, eqs) is None  # 10 + 3 != 15 in the 总计 column
    out = joint_candidates(rows, eqs, free={"a": {2}})
    assert out is not None and out["a"] == [(12, 0, 10)]


def test_two_readings_stay_open_with_the_totals_unknown():
    """The same with the other columns unable to tell the splits apart: both stay (exact)."""
    rows = {"a": [(1, 2, 0), (12, 0, 0)], "b": [(0, 0, 0)], "total": [(9, 9, 9)]}
    assert joint_candidates(rows, [(("total",), ("a", "b"))], free={"a": {2}}) is None
    rows = {"a": [(1, 2, 0), (2, 1, 0)], "b": [(2, 1, 3), (1, 2, 3)], "total": [(3, 3, 6)]}
    out = joint_candidates(rows, [(("total",), ("a", "b"))], free={"a": {2}})
    # two valid readings (a=1|2 with b=2|1, a=2|1 with b=1|2): both kept, so both rows stay unread
    assert out is not None and out["a"] == [(1, 2, 0), (2, 1, 0)] and len(out["b"]) == 2


def test_bounds_settle_what_the_node_budget_alone_cannot():
    """Eight rows of two splits each, one small and one far too large for the printed total: the
    bounds remove the large ones before any search (2^8 combinations > a budget of 10 nodes)."""
    rows = {f"r{i}": [(i,), (1000 + i,)] for i in range(8)}
    rows["t"] = [(sum(range(8)),)]
    out = joint_candidates(rows, [(("t",), tuple(f"r{i}" for i in range(8)))], max_nodes=10)
    assert out is not None and all(out[f"r{i}"] == [(i,)] for i in range(8))


def test_blank_total_column_glued_reads_by_the_other_columns():
    """2019 Shanghai (bgt) printed its leaf rows' 总计 column blank (0 once glued): every split of
    「（一）予以公开」 「2581200110」 breaks its own row total, and before the fix seven such rows
    stayed unread. The applicant columns' identities leave one reading; the 总计 cells are read as
    printed and the broken row totals stay findings."""
    e = EXPECTED["2019_shanghai-bgt_html.html"]
    tables = {"applications": e["applications"], "review_litigation": {"count": e["review_litigation"]}}
    r = parse_report(render_flat("2019", tables, "测试市测试局", 2019), "flat.txt")
    assert r["tables"]["applications"] == e["applications"]
    assert not [m for m in r["missing"] if m.get("table") == "applications"]
    relaxed = {f["cells"][0][0] for f in r["findings"] if f["rule"] == "import.glued_digits_relaxed"}
    assert {"granted", "unable_not_held", "np_petition_complaint"} <= relaxed
    assert any(["granted", "total"] in f["cells"] for f in r["findings"] if f["severity"] == "error")
