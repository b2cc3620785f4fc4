"""Arithmetic rules of the annual report (年度报告勾稽关系校验), generated from ``report_schema``.

Nothing here names a row or column: every rule is read from the template declaration —
``sum_of`` on rows and columns (totals/subtotals), the per-column equations of ``checks``
(Section 3 identity 第一项加第二项之和，等于第三项加第四项之和), column types (counts are
non-negative integers, money non-negative, 本年增/减 a signed integer) and the cross-year checks
``report_schema.CROSS_YEAR_CHECKS`` (结转 continuity). Messages are Chinese and name the cells by
their printed labels and the numbers; machine fields name the keys.

Public API::

    validate(data, previous=None, *, yoy_threshold=0.5, yoy_min_base=10) -> list[Finding]
    validate_report(data) -> list[Finding]               # one report
    validate_against_previous(current, previous, ...)    # cross-report rules
    fill_totals(data, only_blank=False) -> ReportData    # derived cells from leaves
    has_errors(findings) -> bool

Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from gongkai.core.report_data import Number, ReportData, coerce_cell
from gongkai.core.report_schema import Table, Template

ERROR = "error"
WARNING = "warning"

_CN_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "applications.identity", "review_litigation.group_totals", "cross_year.carry_over"
    severity: str  # "error" | "warning"
    message: str  # Chinese, names cells by label and gives the numbers
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: Number | None = None
    actual: Number | None = None
    cells: tuple[tuple[str, str], ...] = ()  # every (row, column) the rule involves

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("expected", "actual"):
            if isinstance(d[k], Decimal):
                d[k] = format(d[k], "f")
        d["cells"] = [list(c) for c in self.cells]
        return d


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


# -- labels -----------------------------------------------------------------------------------
def section_name(template: Template, table: Table) -> str:
    """第三部分 / 第二部分「第二十条第（一）项」."""
    no = template.section(table.section).no
    name = f"第{_CN_DIGITS[no]}部分"
    if table.section == "proactive" and table.caption:
        name += f"「{table.caption}」"
    return name


def row_label(table: Table, row_key: str) -> str:
    return table.row(row_key).label or ""


def col_label(table: Table, column_key: str) -> str:
    return table.column(column_key).qualified_label


def cell_label(template: Template, table: Table, row_key: str, column_key: str) -> str:
    """第三部分「（一）予以公开」行「自然人」列 (rows without label: only the column)."""
    parts = [section_name(template, table)]
    rl = row_label(table, row_key)
    if rl:
        parts.append(f"「{rl}」行")
    parts.append(f"「{col_label(table, column_key)}」列")
    return "".join(parts)


def _fmt(v: Number) -> str:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")
    return str(v)


# -- derived cells ------------------------------------------------------------------------------
def fill_totals(data: ReportData, only_blank: bool = False) -> ReportData:
    """Return a copy with every derived cell (``sum_of`` rows and columns) computed from its parts.

    ``only_blank=True`` computes only the derived cells the report left blank (``blank_cells``)
    and keeps printed totals as printed; the filled cells are removed from ``blank_cells``.
    Row sums are computed first, then column sums (so the 总计 column of a subtotal row is the
    sum across that row).
    """
    out = data.normalized()
    for tb in out.template.tables:
        blank = out.blank_cells.get(tb.key)
        if only_blank and not blank:
            continue  # nothing left blank in this table: every printed total is kept
        fill_table_totals(tb, out.tables[tb.key], blank, only_blank=only_blank)
    return out


def fill_table_totals(
    tb: Table,
    cells: dict[str, dict[str, Number]],
    blank: dict[str, list[str]] | None = None,
    *,
    only_blank: bool = False,
) -> None:
    """Compute the derived cells of one normalized table in place (as ``fill_totals``).

    ``blank``: the table's ``{row: [column, ...]}`` of blank cells; every computed cell is
    removed from it. ``only_blank=True`` computes just the derived cells listed there.
    """
    only = blank if only_blank else None
    unblank = bool(blank)
    rules = tb.sum_rules
    leaf_cols = tb.leaf_value_column_keys
    money = tb.money_column_keys
    for rule in rules:
        if rule.axis != "rows":
            continue
        target, parts = rule.target, rule.parts
        todo = leaf_cols if only is None else [c for c in leaf_cols if c in (only.get(target) or ())]
        for ck in todo:
            cells[target][ck] = sum((cells[p][ck] for p in parts), Decimal(0) if ck in money else 0)
            if unblank:
                _unblank_in(blank, target, ck)
    for rule in rules:
        if rule.axis != "columns":
            continue
        target, parts = rule.target, rule.parts
        zero = Decimal(0) if target in money else 0
        for rk in tb.cell_row_keys:
            if only is not None and target not in (only.get(rk) or ()):
                continue
            row = cells[rk]
            row[target] = sum((row[p] for p in parts), zero)
            if unblank:
                _unblank_in(blank, rk, target)


def _unblank_in(blank: dict[str, list[str]] | None, row: str, column: str) -> None:
    cols = blank.get(row) if blank else None
    if cols and column in cols:
        cols.remove(column)


def _zero(tb: Table, column_key: str) -> Number:
    return Decimal(0) if tb.column(column_key).type == "money" else 0


# -- single-report rules --------------------------------------------------------------------
def validate_structure(data: ReportData) -> list[Finding]:
    """Unknown table/row/column keys (cells the template does not have)."""
    t = data.template
    out: list[Finding] = []
    known = {tb.key: tb for tb in t.tables}
    for tk, rows in data.tables.items():
        tb = known.get(tk)
        if tb is None:
            out.append(Finding("structure", ERROR, f"{t.id}年版模板没有表「{tk}」", table=tk))
            continue
        row_keys = {r.key for r in tb.cell_rows}
        col_keys = {c.key for c in tb.value_columns}
        for rk, cells in rows.items():
            if rk not in row_keys:
                out.append(
                    Finding("structure", ERROR, f"{section_name(t, tb)}没有行「{rk}」", table=tk, row=rk)
                )
                continue
            for ck in cells:
                if ck not in col_keys:
                    out.append(
                        Finding(
                            "structure",
                            ERROR,
                            f"{section_name(t, tb)}没有列「{ck}」",
                            table=tk,
                            row=rk,
                            column=ck,
                        )
                    )
    return out


class _LazyCellLabel:
    __slots__ = ("args",)

    def __init__(self, *args: Any) -> None:
        self.args = args

    def __format__(self, spec: str) -> str:
        return format(cell_label(*self.args), spec)


def validate_cells(data: ReportData) -> list[Finding]:
    """Each cell has its column's type: counts are non-negative integers, money is a
    non-negative amount, signed columns (本年增/减) are integers."""
    t = data.template
    out: list[Finding] = []
    for tb in t.tables:
        rows = data.tables.get(tb.key, {})
        for r in tb.cell_rows:
            for c in tb.value_columns:
                raw = rows.get(r.key, {}).get(c.key, 0)
                where = _LazyCellLabel(t, tb, r.key, c.key)  # built only when a finding needs it
                if c.type == "money":
                    try:
                        v = coerce_cell(tb, c.key, raw)
                        ok = v.is_finite() and v >= 0
                    except ValueError:
                        ok = False
                    if not ok:
                        out.append(
                            Finding(
                                f"{tb.key}.non_negative_money",
                                ERROR,
                                f"{where}：金额应为非负数，填报为 {raw}",
                                tb.key,
                                r.key,
                                c.key,
                                None,
                                raw,
                                ((r.key, c.key),),
                            )
                        )
                    continue
                is_int = isinstance(raw, int) and not isinstance(raw, bool)
                if c.type == "signed_int":
                    if not is_int:
                        out.append(
                            Finding(
                                f"{tb.key}.integer",
                                ERROR,
                                f"{where}：应为整数，填报为 {raw}",
                                tb.key,
                                r.key,
                                c.key,
                                None,
                                raw,
                                ((r.key, c.key),),
                            )
                        )
                    continue
                if not is_int or raw < 0:
                    rule_id = tb.check_for("non", "non_negative_integers")
                    out.append(
                        Finding(
                            f"{tb.key}.{rule_id}",
                            ERROR,
                            f"{where}：件数应为非负整数，填报为 {raw}",
                            tb.key,
                            r.key,
                            c.key,
                            None,
                            raw,
                            ((r.key, c.key),),
                        )
                    )
    return out


def validate_sums(data: ReportData) -> list[Finding]:
    """Every ``sum_of`` of the schema: subtotal rows and total columns equal the sum of their parts.

    A derived cell the report left blank is unknown: it is computed from its parts (and so not
    checked itself), and used with that value where it is a part of another sum.
    """
    t = data.template
    d = fill_totals(data, only_blank=True)
    blank = data.normalized()
    out: list[Finding] = []
    for tb in t.tables:
        cells = d.tables[tb.key]
        sec = section_name(t, tb)
        for rule in tb.sum_rules:
            if rule.axis == "rows":
                for c in tb.value_columns:
                    if blank.is_blank(tb.key, rule.target, c.key):
                        continue
                    actual = cells[rule.target][c.key]
                    expected = sum((cells[p][c.key] for p in rule.parts), _zero(tb, c.key))
                    if actual != expected:
                        shown = (
                            [p for p in rule.parts if cells[p][c.key]]
                            if len(rule.parts) > 6
                            else list(rule.parts)
                        )
                        detail = (
                            " + ".join(f"{row_label(tb, p)} {_fmt(cells[p][c.key])}" for p in shown) or "0"
                        )
                        out.append(
                            Finding(
                                f"{tb.key}.{rule.check_id}",
                                ERROR,
                                f"{sec}「{col_label(tb, c.key)}」列：{row_label(tb, rule.target)} {_fmt(actual)} ≠ "
                                f"各分项之和 {_fmt(expected)}（{detail}）",
                                tb.key,
                                rule.target,
                                c.key,
                                expected,
                                actual,
                                ((rule.target, c.key),) + tuple((p, c.key) for p in rule.parts),
                            )
                        )
            else:
                for r in tb.cell_rows:
                    if blank.is_blank(tb.key, r.key, rule.target):
                        continue
                    actual = cells[r.key][rule.target]
                    expected = sum((cells[r.key][p] for p in rule.parts), _zero(tb, rule.target))
                    if actual != expected:
                        detail = " + ".join(f"{col_label(tb, p)} {_fmt(cells[r.key][p])}" for p in rule.parts)
                        where = f"「{row_label(tb, r.key)}」行" if row_label(tb, r.key) else ""
                        out.append(
                            Finding(
                                f"{tb.key}.{rule.check_id}",
                                ERROR,
                                f"{sec}{where}：{col_label(tb, rule.target)} {_fmt(actual)} ≠ {detail} = {_fmt(expected)}",
                                tb.key,
                                r.key,
                                rule.target,
                                expected,
                                actual,
                                ((r.key, rule.target),) + tuple((r.key, p) for p in rule.parts),
                            )
                        )
    return out


def validate_equations(data: ReportData) -> list[Finding]:
    """Declared per-column equations (Section 3: 第一项 + 第二项 = 第三项 + 第四项), in every
    value column. Blank derived cells are computed from their parts first."""
    t = data.template
    d = fill_totals(data, only_blank=True)
    out: list[Finding] = []
    for tb in t.tables:
        cells = d.tables[tb.key]
        for chk in tb.equations:
            lhs, rhs = chk.equation
            for c in tb.value_columns:
                left = sum(cells[k][c.key] for k in lhs)
                right = sum(cells[k][c.key] for k in rhs)
                if left != right:
                    ltxt = " + ".join(f"{row_label(tb, k)} {_fmt(cells[k][c.key])}" for k in lhs)
                    rtxt = " + ".join(f"{row_label(tb, k)} {_fmt(cells[k][c.key])}" for k in rhs)
                    out.append(
                        Finding(
                            f"{tb.key}.{chk.id}",
                            ERROR,
                            f"{section_name(t, tb)}「{col_label(tb, c.key)}」列：{ltxt} ≠ {rtxt}"
                            f"（{_fmt(left)} ≠ {_fmt(right)}）",
                            tb.key,
                            None,
                            c.key,
                            left,
                            right,
                            tuple((k, c.key) for k in lhs + rhs),
                        )
                    )
    return out


def validate_report(data: ReportData) -> list[Finding]:
    """All single-report rules. Structure errors stop the arithmetic checks."""
    structure = validate_structure(data)
    if structure:
        return structure
    cells = validate_cells(data)
    if cells:
        return cells
    return validate_sums(data) + validate_equations(data)


# -- cross-report rules ---------------------------------------------------------------------
def validate_against_previous(
    current: ReportData,
    previous: ReportData,
    *,
    yoy_threshold: float = 0.5,
    yoy_min_base: int = 10,
) -> list[Finding]:
    """Rules between this year's report and last year's of the same agency.

    - ``cross_year.carry_over`` (error): for every column, this year's 二、上年结转 equals last
      year's 四、结转下年度继续办理 (declared in ``report_schema.CROSS_YEAR_CHECKS``).
    - ``cross_year.yoy_change`` (warning): a cell common to both years changed by at least
      ``yoy_threshold`` (0.5 = ±50 %) and the larger value is at least ``yoy_min_base``. In tables
      with total columns only the totals are compared. For a human look, not an error.
    """
    if previous.year != current.year - 1:
        raise ValueError(f"上年报告年度应为 {current.year - 1}，实际为 {previous.year}")
    cur = fill_totals(current, only_blank=True)
    prev = fill_totals(previous, only_blank=True)
    t, pt = cur.template, prev.template
    out: list[Finding] = []
    for chk in t.cross_year_checks:
        tb = t.table(chk.table)
        ptb = pt.table(chk.table)
        for c in tb.value_columns:
            if c.key not in {x.key for x in ptb.value_columns}:
                continue
            now = cur.tables[tb.key][chk.current_row][c.key]
            before = prev.tables[ptb.key][chk.previous_row][c.key]
            if now != before:
                out.append(
                    Finding(
                        f"cross_year.{chk.id}",
                        chk.severity,
                        f"{section_name(t, tb)}「{col_label(tb, c.key)}」列：{cur.year}年"
                        f"{row_label(tb, chk.current_row)} {_fmt(now)} ≠ {prev.year}年"
                        f"{row_label(ptb, chk.previous_row)} {_fmt(before)}",
                        tb.key,
                        chk.current_row,
                        c.key,
                        before,
                        now,
                        ((chk.current_row, c.key),),
                    )
                )
    ptables = {x.key: x for x in pt.tables}
    for tb in t.tables:
        ptb = ptables.get(tb.key)
        if ptb is None:
            continue
        prow = {r.key for r in ptb.cell_rows}
        pcol = {c.key for c in ptb.value_columns}
        totals = [c for c in tb.value_columns if c.sum_of]
        cols = [c for c in (totals or tb.value_columns) if c.key in pcol and c.type != "signed_int"]
        for r in tb.cell_rows:
            if r.key not in prow:
                continue
            for c in cols:
                now = cur.tables[tb.key][r.key][c.key]
                before = prev.tables[tb.key][r.key][c.key]
                if max(now, before) < yoy_min_base or now == before:
                    continue
                if before == 0:
                    change_txt = "上年为 0"
                else:
                    ratio = (Decimal(now) - Decimal(before)) / Decimal(before)
                    if abs(ratio) < Decimal(str(yoy_threshold)):
                        continue
                    change_txt = f"变化 {ratio * 100:+.0f}%"
                out.append(
                    Finding(
                        "cross_year.yoy_change",
                        WARNING,
                        f"{cell_label(t, tb, r.key, c.key)}：{cur.year}年 {_fmt(now)}，{prev.year}年 {_fmt(before)}，"
                        f"{change_txt}，请人工核对",
                        tb.key,
                        r.key,
                        c.key,
                        before,
                        now,
                        ((r.key, c.key),),
                    )
                )
    return out


def validate(
    data: ReportData,
    previous: ReportData | None = None,
    *,
    yoy_threshold: float = 0.5,
    yoy_min_base: int = 10,
) -> list[Finding]:
    """Every rule: single-report rules, plus the cross-report rules when ``previous`` (the same
    agency's report for ``data.year - 1``) is given and itself structurally valid."""
    findings = validate_report(data)
    if previous is not None and not any(f.rule == "structure" or ".non_negative" in f.rule for f in findings):
        prev_basic = validate_structure(previous) + validate_cells(previous)
        if not prev_basic:
            findings += validate_against_previous(
                data, previous, yoy_threshold=yoy_threshold, yoy_min_base=yoy_min_base
            )
    return findings
