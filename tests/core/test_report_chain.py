"""Section 2's in-force chain across years (issue 13): 现行有效(Y) = 现行有效(Y−1) + 本年制发 − 本年废止
reads a glued 第二十条第（一）项 row only when exactly one split satisfies it; it is no official
identity, so a printed row breaking it is a warning, never a changed figure."""

from __future__ import annotations

from pathlib import Path

from gongkai.core.report_parse import parse_report
from gongkai.core.report_parse.chain import apply_in_force_chain

PINGTAN_2021 = Path(__file__).resolve().parents[1] / "data" / "reports" / "2021_pingtan_flattext.txt"


def _parsed() -> dict:
    """平潭 2021 prints 「行政规范性文件693665」 glued: ten splits, none preferred by the report."""
    r = parse_report(PINGTAN_2021.read_bytes(), PINGTAN_2021.name)
    gap = [m for m in r["missing"] if m.get("table") == "art20_1"]
    assert [m["row"] for m in gap] == ["admin_normative_docs"] and gap[0]["candidate_count"] == 10
    return r


def _findings(r: dict, rule: str) -> list[dict]:
    return [f for f in r["findings"] if f["rule"] == rule]


def test_the_one_split_satisfying_last_years_figure_is_read_with_a_warning():
    r = apply_in_force_chain(_parsed(), {"rules": 0, "admin_normative_docs": 599}, 2020)
    assert r["tables"]["art20_1"]["admin_normative_docs"] == {"issued": 69, "repealed": 3, "in_force": 665}
    assert not [m for m in r["missing"] if m.get("table") == "art20_1"]
    (note,) = _findings(r, "import.in_force_chain_read")
    assert note["severity"] == "warning" and "599" in note["message"] and "请核对原文" in note["message"]
    assert not _findings(r, "cross_year.in_force_chain")  # 规章 0 = 0 + 0 − 0


def test_no_split_satisfying_the_chain_leaves_the_row_unread():
    before = _parsed()
    r = apply_in_force_chain(before, {"admin_normative_docs": 600}, 2020)
    assert "admin_normative_docs" not in r["tables"]["art20_1"]
    assert [m["row"] for m in r["missing"] if m.get("table") == "art20_1"] == ["admin_normative_docs"]
    assert len(_findings(r, "import.in_force_chain_none")) == 1
    assert before["findings"] == _parsed()["findings"]  # the input is not changed


def test_two_splits_satisfying_the_chain_stay_unread():
    r = {
        "template": "2021",
        "tables": {},
        "missing": [
            {
                "table": "art20_1",
                "row": "rules",
                "cells": [["rules", "issued"], ["rules", "repealed"], ["rules", "in_force"]],
                "candidates": [[1, 0, 10], [2, 1, 10], [21, 1, 0]],  # 「21110」 say; 9+1−0 = 9+2−1 = 10
                "candidate_count": 3,
            }
        ],
        "findings": [],
    }
    out = apply_in_force_chain(r, {"rules": 9}, 2022)
    assert out["missing"] == r["missing"] and "art20_1" not in out["tables"] and not out["findings"]


def test_a_truncated_candidate_list_decides_nothing():
    r = _parsed()
    gap = next(m for m in r["missing"] if m.get("table") == "art20_1")
    gap["candidate_count"] = 40  # more splits than listed: one fitting among the listed is no proof
    out = apply_in_force_chain(r, {"admin_normative_docs": 599}, 2020)
    assert (
        "admin_normative_docs" not in out["tables"]["art20_1"] and not out["findings"][len(r["findings"]) :]
    )


def test_a_printed_row_breaking_the_chain_is_a_warning_and_keeps_its_figures():
    r = apply_in_force_chain(_parsed(), {"rules": 2}, 2020)
    assert r["tables"]["art20_1"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    (f,) = _findings(r, "cross_year.in_force_chain")
    assert f["severity"] == "warning" and f["numbers"] == {"previous_in_force": 2, "expected": 2, "actual": 0}


def test_the_2019_format_has_no_chain():
    r = {"template": "2019", "tables": {}, "missing": [], "findings": []}
    assert apply_in_force_chain(r, {"rules": 1}, 2019) is r
