"""Audit of a parsed report (年报审核).

- Schema rules (Section 3 identity, 总计 = leaf rows, 总计 column = applicant columns, Section 4
  group totals, cell types) come from ``gongkai.core.report_rules`` — one implementation for
  the whole project. :func:`schema_findings` is the single switch point. Cells the parser could
  not read are unknown: a rule that involves one of them is not reported (it would compare
  against an invented 0).
- Narrative figures that contradict the tables (「共受理政府信息公开申请 271 件」 vs the 新收 total).
- Cross-year carry-over: :func:`audit_carry_over` (prev, this) — 上年结转 (Y) = 结转下年度 (Y−1).

Every finding is a dict ``{"rule", "severity", "message" (Chinese), "table", "cells": [[row, col]],
"numbers": {...}}``.

Pure Python: no Django import.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongkai.core.report_schema import get_template

from .sections import narrative_figures


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def to_report_data(result: dict[str, Any]):
    """A ``report_data.ReportData`` of a parse result (unread cells are 0 there: check
    ``result["missing"]`` before trusting one)."""
    from gongkai.core.report_data import ReportData

    blank: dict[str, dict[str, list[str]]] = {}
    for b in result.get("blank_cells") or []:
        blank.setdefault(b["table"], {}).setdefault(b["row"], []).append(b["column"])
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for tk, rows in (result.get("tables") or {}).items():
        tables[tk] = {
            rk: {ck: (str(v) if isinstance(v, float) else v) for ck, v in cells.items()}
            for rk, cells in rows.items()
        }
    return ReportData(
        template_id=result["template"],
        agency_name=result.get("agency") or "",
        year=int(result.get("year") or 0),
        tables=tables,
        text_sections=dict(result.get("text_sections") or {}),
        blank_cells=blank,
        meta={"source": result.get("source")},
    )


def _missing_cells(result: dict[str, Any]) -> set[tuple[str, str, str]]:
    out = set()
    tpl = result.get("template")
    if not tpl:
        return out
    t = get_template(tpl)
    tables = result.get("tables") or {}
    for tb in t.tables:
        rows = tables.get(tb.key) or {}
        for r in tb.cell_rows:
            for c in tb.value_columns:
                if c.key not in (rows.get(r.key) or {}):
                    out.add((tb.key, r.key, c.key))
    return out


def _finding_dict(f) -> dict[str, Any]:
    d = f.to_dict()
    cells = d.pop("cells", [])
    return {
        "rule": d["rule"],
        "severity": d["severity"],
        "message": d["message"],
        "table": d.get("table"),
        "cells": [list(c) for c in cells]
        or ([[d["row"], d["column"]]] if d.get("row") and d.get("column") else []),
        "numbers": {"expected": d.get("expected"), "actual": d.get("actual")},
    }


def schema_findings(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Schema arithmetic via ``report_rules.validate_report``, minus rules touching unread cells."""
    if not result.get("template") or not result.get("tables"):
        return []
    from gongkai.core import report_rules

    data = to_report_data(result)
    missing = _missing_cells(result)
    out = []
    for f in report_rules.validate_report(data):
        table = f.table
        cells = f.cells or (((f.row, f.column),) if f.row and f.column else ())
        if table and any((table, r, c) in missing for r, c in cells):
            continue
        if table and not cells and f.column and any(k[0] == table and k[2] == f.column for k in missing):
            continue
        if table and table not in (result.get("tables") or {}):
            continue
        out.append(_finding_dict(f))
    return out


def _cell(result: dict[str, Any], table: str, row: str, col: str) -> Any:
    return ((result.get("tables") or {}).get(table) or {}).get(row, {}).get(col)


def _row_total(result: dict[str, Any], row: str) -> int | None:
    """总计 of a Section 3 row; a blank 总计 is the sum of the applicant columns."""
    rows = (result.get("tables") or {}).get("applications") or {}
    cells = rows.get(row)
    if not cells:
        return None
    blank = {(b["row"], b["column"]) for b in result.get("blank_cells") or [] if b["table"] == "applications"}
    if "total" in cells and (row, "total") not in blank:
        return cells["total"]
    parts = [k for k in cells if k != "total"]
    if len(parts) < 6:
        return None
    return sum(cells[k] for k in parts)


def narrative_findings(result: dict[str, Any], prose: str) -> list[dict[str, Any]]:
    """Figures in the prose that no table cell supports."""
    if not prose:
        return []
    nr = _row_total(result, "new_received")
    co = _row_total(result, "carried_over_from_prior_year")
    rt = _row_total(result, "results_total")
    cf = _row_total(result, "carried_forward")
    s4 = ((result.get("tables") or {}).get("review_litigation") or {}).get("count") or {}
    rv = s4.get("review_total")
    lit = None
    if "lit_direct_total" in s4 and "lit_after_review_total" in s4:
        lit = s4["lit_direct_total"] + s4["lit_after_review_total"]
    checks = {
        "received": (
            [x for x in (nr, None if nr is None or co is None else nr + co) if x is not None],
            [["new_received", "total"], ["carried_over_from_prior_year", "total"]],
            "一、本年新收政府信息公开申请数量（或加上年结转）",
            "applications",
        ),
        "carried_over": (
            [co] if co is not None else [],
            [["carried_over_from_prior_year", "total"]],
            "二、上年结转政府信息公开申请数量",
            "applications",
        ),
        "carried_forward": (
            [cf] if cf is not None else [],
            [["carried_forward", "total"]],
            "四、结转下年度继续办理",
            "applications",
        ),
        "answered": (
            [rt] if rt is not None else [],
            [["results_total", "total"]],
            "（七）总计",
            "applications",
        ),
        "review": (
            [rv] if rv is not None else [],
            [["count", "review_total"]],
            "行政复议－总计",
            "review_litigation",
        ),
        "litigation": (
            [lit] if lit is not None else [],
            [["count", "lit_direct_total"], ["count", "lit_after_review_total"]],
            "行政诉讼两项总计之和",
            "review_litigation",
        ),
    }
    out = []
    seen = set()
    for name, n, quote in narrative_figures(prose):
        allowed, cells, label, table = checks[name]
        if not allowed or n in allowed or (name, n) in seen:
            continue
        seen.add((name, n))
        out.append(
            {
                "rule": f"narrative.{name}",
                "severity": "warning",
                "message": f"正文称「{quote}」（{n}），与表格「{label}」{allowed[0]} 不符",
                "table": table,
                "cells": cells,
                "numbers": {"text": n, "table": allowed[0]},
            }
        )
    return out


def audit_carry_over(prev: dict[str, Any], this: dict[str, Any]) -> list[dict[str, Any]]:
    """Cross-year carry-over: this year's 二、上年结转 equals last year's 四、结转下年度继续办理,
    column by column (only cells both reports actually printed)."""
    out: list[dict[str, Any]] = []
    if prev.get("year") and this.get("year") and int(this["year"]) != int(prev["year"]) + 1:
        out.append(
            {
                "rule": "cross_year.years",
                "severity": "warning",
                "message": f"上年报告年度为 {prev.get('year')}，本年报告年度为 {this.get('year')}，不是相邻年度",
                "table": None,
                "cells": [],
                "numbers": {"previous_year": prev.get("year"), "year": this.get("year")},
            }
        )
        return out
    before = ((prev.get("tables") or {}).get("applications") or {}).get("carried_forward") or {}
    now = ((this.get("tables") or {}).get("applications") or {}).get("carried_over_from_prior_year") or {}
    t = get_template(this.get("template") or "2021")
    for c in t.applications.value_columns:
        if c.key not in before or c.key not in now:
            continue
        if before[c.key] != now[c.key]:
            label = c.label if c.group is None else f"{c.group}－{c.label}"
            out.append(
                {
                    "rule": "cross_year.carry_over",
                    "severity": "error",
                    "message": f"第三部分「{label}」列：{this.get('year')}年上年结转 {now[c.key]} ≠ "
                    f"{prev.get('year')}年结转下年度继续办理 {before[c.key]}",
                    "table": "applications",
                    "cells": [["carried_over_from_prior_year", c.key]],
                    "numbers": {"previous": before[c.key], "current": now[c.key]},
                }
            )
    return out
