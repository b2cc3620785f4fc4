"""Section 2's in-force chain across years (现行有效件数的年度衔接), once last year is known.

2021 format, 第二十条第（一）项 (规章 / 行政规范性文件)::

    现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y)

This is **not** a printed or official identity (see the templates reference: amendments, re-issues,
documents expiring and 规章 revisions legitimately break it), and the 2019 format has no 现行有效
column at all (对外公开总数量 is another quantity), so it applies only between two 2021-format
years. It is used in two ways:

- a row whose printed digits are glued (「693665」) and left unread with its candidate splits is
  read when **exactly one** split satisfies the chain — marked by a warning naming last year's
  figure, so a reviewer checks it against the original; no split or several: the row stays unread
  (the candidates stay listed, nothing is narrowed);
- a row read unambiguously that breaks the chain gets a warning finding (a fact to check, never a
  reason to change a printed figure).

The parse itself does not know the agency; the import service looks last year's figures up once
the report's agency is matched (``report_import.services``). Pure Python: no Django import.
"""

from __future__ import annotations

import copy
from typing import Any

TABLE = "art20_1"
ROW_LABELS = {"rules": "规章", "admin_normative_docs": "行政规范性文件"}
COLUMNS = ("issued", "repealed", "in_force")


def _holds(prev: int, issued: int, repealed: int, in_force: int) -> bool:
    return in_force == prev + issued - repealed


def _finding(rule: str, row: str, message: str, cells: list[str], numbers: dict) -> dict[str, Any]:
    return {
        "rule": rule,
        "severity": "warning",
        "message": message,
        "table": TABLE,
        "cells": [[row, c] for c in cells],
        "numbers": numbers,
    }


def apply_in_force_chain(
    result: dict[str, Any], previous: dict[str, int], previous_year: int
) -> dict[str, Any]:
    """A copy of the parse ``result`` (2021 format) with Section 2's in-force chain applied, given
    last year's 现行有效件数 per row (``{"rules": 3, "admin_normative_docs": 599}``; rows left out
    are unknown). Results of another format are returned unchanged."""
    if result.get("template") != "2021" or not previous:
        return result
    out = copy.deepcopy(result)
    table = out.setdefault("tables", {}).setdefault(TABLE, {})
    for row, label in ROW_LABELS.items():
        prev = previous.get(row)
        if prev is None:
            continue
        where = f"第二部分「第二十条第（一）项」「{label}」行"
        cells = table.get(row) or {}
        gap = [m for m in out.get("missing", []) if m.get("table") == TABLE and m.get("row") == row]
        if not gap and all(c in cells for c in COLUMNS):
            issued, repealed, in_force = (int(cells[c]) for c in COLUMNS)
            if not _holds(prev, issued, repealed, in_force):
                out["findings"].append(
                    _finding(
                        "cross_year.in_force_chain",
                        row,
                        f"{where}现行有效件数 {in_force} ≠ {previous_year}年现行有效件数 {prev} + 本年制发 "
                        f"{issued} − 本年废止 {repealed} = {prev + issued - repealed}（此关系并非法定勾稽"
                        "关系，文件修改、重新印发等情形可能使其不成立，请核对）",
                        list(COLUMNS),
                        {"previous_in_force": prev, "expected": prev + issued - repealed, "actual": in_force},
                    )
                )
            continue
        entry = next((m for m in gap if m.get("candidates") and m.get("candidate_count")), None)
        if entry is None or entry["candidate_count"] != len(entry["candidates"]):
            continue  # unread for another reason, or more splits than listed: nothing to decide
        fits = [c for c in entry["candidates"] if _holds(prev, *(int(v) for v in c))]
        if len(fits) != 1:
            if not fits:
                out["findings"].append(
                    _finding(
                        "import.in_force_chain_none",
                        row,
                        f"{where}数字粘连，{len(entry['candidates'])}种可能的拆分均不满足与{previous_year}年"
                        f"现行有效件数 {prev} 的衔接关系，未读取（候选拆分已列出）",
                        [c for _, c in entry["cells"]],
                        {"previous_in_force": prev},
                    )
                )
            continue
        value = dict(zip(COLUMNS, (int(v) for v in fits[0]), strict=True))
        table[row] = {**cells, **value}
        out["missing"] = [m for m in out["missing"] if m is not entry]
        out["findings"].append(
            _finding(
                "import.in_force_chain_read",
                row,
                f"{where}数字粘连，按{previous_year}年现行有效件数 {prev} 的衔接关系（现行有效 = 上年现行有效 + "
                f"本年制发 − 本年废止）唯一拆分为 {fits[0][0]}、{fits[0][1]}、{fits[0][2]}；该关系并非法定"
                "勾稽关系，请核对原文",
                list(COLUMNS),
                {"previous_in_force": prev, **value},
            )
        )
    if not table:
        del out["tables"][TABLE]
    return out
