"""The data of one annual report (年度报告数据), independent of how it was produced.

A ``ReportData`` is what the computation (from application/appeal/proactive facts), the report
import (from published reports) and the region aggregation produce, and what the rules validate
and the renderers print. Its keys are the stable keys of ``report_schema``.

Shape (``to_dict()``; ``from_dict()`` reads it back)::

    {
      "template_id": "2021",                  # "2019" | "2021"
      "agency_name": "某某市人民政府办公室",
      "year": 2023,
      "tables": {                              # {table_key: {row_key: {column_key: value}}}
        "art20_1": {"rules": {"issued": 0, "repealed": 0, "in_force": 3}, ...},
        "art20_8": {"admin_fees": {"fee_amount": "12.5"}},         # money: decimal string
        "applications": {"new_received": {"natural_person": 12, ..., "total": 15}, ...},
        "review_litigation": {"count": {"review_upheld": 1, ..., "lit_after_review_total": 0}}
      },
      "text_sections": {"overview": "...", "problems": "...", "other_matters": "..."},
      "fee_line": {"notices_issued": 2, "amount_notified": "300", "amount_collected": "100"},
      "blank_cells": {"applications": {"granted": ["total"]}},   # cells printed blank
      "meta": {...}                            # free JSON-able dict (source file, agency id, ...)
    }

Integers are ``int``; money columns (``type == "money"``) and fee amounts are ``Decimal`` in
memory and decimal strings in JSON. ``blank_cells`` records cells a published report left empty
(the import stores 0 and lists them); the rules treat a blank *derived* cell (a 总计) as unknown.

Pure Python: no Django import.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.core.report_schema import Table, Template, get_template

Number = int | Decimal


def _money(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip().replace(",", "")) if str(value).strip() else Decimal(0)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal amount: {value!r}") from exc


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"not an integer count: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    if isinstance(value, str) and not value.strip():
        return 0
    raise ValueError(f"not an integer count: {value!r}")


def coerce_cell(table: Table, column_key: str, value: Any) -> Number:
    """Convert a raw cell value to the column's Python type (int or Decimal for money)."""
    col = table.column(column_key)
    if col.type == "money":
        return Decimal(0) if value is None else _money(value)
    if type(value) is int:  # already a count (bool is not: ``_int`` rejects it)
        return value
    return 0 if value is None else _int(value)


def coerce_row(tb: Table, cells: dict[str, Any]) -> dict[str, Number]:
    """``{column: value}`` for every value column of ``tb``, coerced (as ``coerce_cell``)."""
    money = tb.money_column_keys
    out: dict[str, Number] = {}
    for ck in tb.value_column_keys:
        v = cells.get(ck)
        if ck in money:
            out[ck] = Decimal(0) if v is None else _money(v)
        elif type(v) is int:
            out[ck] = v
        else:
            out[ck] = 0 if v is None else _int(v)
    return out


def _json_value(v: Number) -> int | str:
    if isinstance(v, Decimal):
        return format(v, "f")
    return v


@dataclass
class FeeLine:
    """收取信息处理费情况 (Section 6 fee line, 2021 format; amounts in 元).

    Content of Section 6 in the 2021 format is not confirmed from the official text (see the
    reference); this is the fee information the Fee Measures make reportable.
    """

    notices_issued: int = 0  # 发出收费通知的件数
    amount_notified: Decimal = Decimal(0)  # 收费通知总金额（元）
    amount_collected: Decimal = Decimal(0)  # 实际收取的总金额（元）

    def to_dict(self) -> dict[str, Any]:
        return {
            "notices_issued": self.notices_issued,
            "amount_notified": format(self.amount_notified, "f"),
            "amount_collected": format(self.amount_collected, "f"),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeeLine:
        return cls(
            notices_issued=_int(d.get("notices_issued", 0) or 0),
            amount_notified=_money(d.get("amount_notified", 0) or 0),
            amount_collected=_money(d.get("amount_collected", 0) or 0),
        )

    def __add__(self, other: FeeLine) -> FeeLine:
        return FeeLine(
            self.notices_issued + other.notices_issued,
            self.amount_notified + other.amount_notified,
            self.amount_collected + other.amount_collected,
        )


# Labels of the fee line (used by renderers and CSV export).
FEE_LINE_LABELS = {
    "notices_issued": "发出收费通知的件数",
    "amount_notified": "收费通知的总金额（元）",
    "amount_collected": "实际收取的总金额（元）",
}


@dataclass
class ReportData:
    template_id: str
    agency_name: str
    year: int
    tables: dict[str, dict[str, dict[str, Number]]] = field(default_factory=dict)
    text_sections: dict[str, str] = field(default_factory=dict)
    fee_line: FeeLine | None = None
    blank_cells: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> Template:
        return get_template(self.template_id)

    # -- construction --------------------------------------------------------------------
    @classmethod
    def empty(cls, template_id: str, agency_name: str, year: int, **kw: Any) -> ReportData:
        """A report with every cell of every table present and zero."""
        t = get_template(str(template_id))
        tables = {tb.key: _zero_table(tb) for tb in t.tables}
        return cls(template_id=t.id, agency_name=agency_name, year=year, tables=tables, **kw)

    def normalized(self) -> ReportData:
        """A copy with every declared cell present (missing = 0) and values of the right type.

        Unknown table, row or column keys raise ``ValueError``.
        """
        t = self.template
        unknown = set(self.tables) - t.table_keys
        if unknown:
            raise ValueError(f"模板{t.id}中没有这些表：{sorted(unknown)}")
        tables: dict[str, dict[str, dict[str, Number]]] = {}
        for tb in t.tables:
            src = self.tables.get(tb.key) or {}
            rows = tb.cell_row_key_set
            cols = tb.value_column_key_set
            bad_rows = set(src) - rows
            if bad_rows:
                raise ValueError(f"表{tb.key}中没有这些行：{sorted(bad_rows)}")
            out: dict[str, dict[str, Number]] = {}
            for rk in tb.cell_row_keys:
                cells = src.get(rk) or {}
                bad_cols = set(cells) - cols
                if bad_cols:
                    raise ValueError(f"表{tb.key}行{rk}中没有这些列：{sorted(bad_cols)}")
                out[rk] = coerce_row(tb, cells)
            tables[tb.key] = out
        return ReportData(
            template_id=t.id,
            agency_name=self.agency_name,
            year=int(self.year),
            tables=tables,
            text_sections=dict(self.text_sections),
            fee_line=copy.copy(self.fee_line),
            blank_cells=copy.deepcopy(self.blank_cells),
            meta=copy.deepcopy(self.meta),
        )

    def copy(self) -> ReportData:
        return copy.deepcopy(self)

    # -- access --------------------------------------------------------------------------
    def value(self, table: str, row: str, column: str) -> Number:
        tb = self.template.table(table)
        return coerce_cell(tb, column, self.tables.get(table, {}).get(row, {}).get(column))

    def is_blank(self, table: str, row: str, column: str) -> bool:
        return column in self.blank_cells.get(table, {}).get(row, ())

    def cells(self):
        """Yield (table_key, row_key, column_key, value) for every declared cell, in print order."""
        for tb in self.template.tables:
            for r in tb.cell_rows:
                for c in tb.value_columns:
                    yield tb.key, r.key, c.key, self.value(tb.key, r.key, c.key)

    # -- JSON ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "template_id": self.template_id,
            "agency_name": self.agency_name,
            "year": self.year,
            "tables": {
                tk: {rk: {ck: _json_value(v) for ck, v in row.items()} for rk, row in rows.items()}
                for tk, rows in self.tables.items()
            },
            "text_sections": dict(self.text_sections),
            "fee_line": self.fee_line.to_dict() if self.fee_line is not None else None,
            "blank_cells": copy.deepcopy(self.blank_cells),
            "meta": copy.deepcopy(self.meta),
        }
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReportData:
        """Read ``to_dict()`` output. Also accepts Section 4 flat (``{column: n}``, as in
        ``fixtures/reports/expected.json``) and ``template``/``agency`` as key aliases."""
        template_id = str(d.get("template_id") or d.get("template"))
        t = get_template(template_id)
        raw_tables = dict(d.get("tables") or {})
        for tb in t.tables:  # expected.json keeps tables at top level
            if tb.key not in raw_tables and isinstance(d.get(tb.key), dict):
                raw_tables[tb.key] = d[tb.key]
        tables: dict[str, dict[str, dict[str, Number]]] = {}
        for tk, rows in raw_tables.items():
            tb = t.table(tk) if tk in {x.key for x in t.tables} else None
            if (
                tb is not None
                and len(tb.cell_rows) == 1
                and rows
                and all(not isinstance(v, dict) for v in rows.values())
            ):
                rows = {tb.cell_rows[0].key: rows}
            tables[tk] = {rk: dict(cells) for rk, cells in rows.items()}
        blank = d.get("blank_cells") or {}
        if blank and all(isinstance(v, list) for v in blank.values()):  # expected.json: Section 3 only
            blank = {"applications": blank}
        fee = d.get("fee_line")
        data = cls(
            template_id=t.id,
            agency_name=d.get("agency_name") or d.get("agency") or "",
            year=int(d["year"]),
            tables=tables,
            text_sections=dict(d.get("text_sections") or {}),
            fee_line=FeeLine.from_dict(fee) if fee else None,
            blank_cells={tk: {rk: list(cs) for rk, cs in rows.items()} for tk, rows in blank.items()},
            meta=dict(d.get("meta") or {}),
        )
        return data.normalized()


def _zero_table(tb: Table) -> dict[str, dict[str, Number]]:
    return {
        r.key: {c.key: (Decimal(0) if c.type == "money" else 0) for c in tb.value_columns}
        for r in tb.cell_rows
    }
