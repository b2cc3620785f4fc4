"""The two official annual-report templates (年度报告格式), declared once.

Source of truth: ``annual-report-templates.json`` beside this module, a copy of
``shared/reference/annual-report-templates.json`` (a test checks the two stay identical).
Everything that computes, renders, validates, imports or exports a report reads the objects
built here: no row label or key is typed anywhere else.

Template keys: ``"2019"`` (国办公开办函〔2019〕60号, report years 2019–2020) and ``"2021"``
(国办公开办函〔2021〕30号, report years 2021 on). ``template_for_year(year)`` picks one.

Pure Python: no Django import.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("annual-report-templates.json")

TEMPLATE_IDS = ("2019", "2021")
_JSON_KEYS = {"2019": "gov_2019", "2021": "gov_2021"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "int"  # int | money | signed_int | label
    group: str | None = None  # e.g. 法人或其他组织 (Section 3), 行政复议 (Section 4)
    group_path: tuple[str, ...] = ()
    is_total: bool = False
    sum_of: tuple[str, ...] = ()
    unit: str | None = None

    @property
    def is_label(self) -> bool:
        return self.type == "label"

    @property
    def path(self) -> tuple[str, ...]:
        """Header groups above this column, outermost first (e.g. ("行政诉讼", "复议后起诉"))."""
        if self.group_path:
            return self.group_path
        return (self.group,) if self.group else ()

    @property
    def qualified_label(self) -> str:
        """Unambiguous label: groups and label joined by "－" (e.g. 行政复议－总计)."""
        return "－".join(self.path + (self.label,))


@dataclass(frozen=True)
class Row:
    key: str
    label: str | None
    kind: str = "data"  # data | group_label | subtotal
    parent: str | None = None
    legal_basis: str | None = None
    sum_of: tuple[str, ...] = ()

    @property
    def has_cells(self) -> bool:
        return self.kind in ("data", "subtotal")


_TERM = re.compile(r"^(\w+)\[c\]$")


@dataclass(frozen=True)
class Check:
    id: str
    rule: str
    printed: bool
    source: str = ""

    @cached_property  # checks are immutable: the rule text is parsed once
    def equation(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """A per-column row equation parsed from the declared rule text, or None.

        ``"for every column c: a[c] + b[c] == x[c] + y[c]"`` gives ``(("a", "b"), ("x", "y"))``.
        Rules in any other form (sums declared through ``sum_of``, cell-type rules) give None.
        """
        head, sep, body = self.rule.partition(":")
        if not sep or head.strip() != "for every column c" or body.count("==") != 1:
            return None
        sides = []
        for side in body.split("=="):
            keys = []
            for term in side.split("+"):
                m = _TERM.match(term.strip())
                if not m:
                    return None
                keys.append(m.group(1))
            sides.append(tuple(keys))
        return sides[0], sides[1]

    @cached_property
    def _tokens(self) -> tuple[str, ...]:
        return tuple(re.findall(r"[\w*]+", self.rule))

    def mentions(self, key: str) -> bool:
        """True when the rule text names ``key`` (wildcards like ``*_total`` in the text match)."""
        return any(fnmatch.fnmatchcase(key, tok) for tok in self._tokens)


@dataclass(frozen=True)
class SumRule:
    """A derived cell rule read from ``sum_of``: ``target == sum(parts)``.

    ``axis="rows"``: row ``target`` equals the sum of rows ``parts``, in every value column.
    ``axis="columns"``: column ``target`` equals the sum of columns ``parts``, in every cell row.
    ``check_id`` names the declared check that states it (or ``"sum_of"``).
    """

    table: str
    axis: str
    target: str
    parts: tuple[str, ...]
    check_id: str


@dataclass(frozen=True)
class ApplicationFlow:
    """Section 3 rows by role: 一 new + 二 carried in == 三 results (subtotal) + 四 carried out."""

    new_received: str
    carried_in: str
    results_total: str
    carried_out: str
    check_id: str


@dataclass(frozen=True)
class CrossYearCheck:
    """A rule between the report of year Y and the report of year Y-1 of the same agency."""

    id: str
    table: str
    previous_row: str
    current_row: str
    severity: str
    source: str


# Cross-report rules (not printed in the templates; they follow from the row definitions).
CROSS_YEAR_CHECKS: tuple[CrossYearCheck, ...] = (
    CrossYearCheck(
        id="carry_over",
        table="applications",
        previous_row="carried_forward",
        current_row="carried_over_from_prior_year",
        severity="error",
        source="definition: 四、结转下年度继续办理 of year Y-1 are the 二、上年结转 of year Y",
    ),
)


@dataclass(frozen=True)
class Table:
    """One table of a report. ``key`` is unique within its template (e.g. ``art20_1``,
    ``applications``, ``review_litigation``)."""

    key: str
    section: str
    caption: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    checks: tuple[Check, ...] = ()
    unit: str | None = None
    header_note: str | None = None

    @cached_property  # tables are immutable; the rules call these in inner loops
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.is_label)

    @cached_property
    def cell_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.has_cells)

    @cached_property
    def _column_map(self) -> dict[str, Column]:
        out: dict[str, Column] = {}
        for c in self.columns:
            out.setdefault(c.key, c)  # the first declaration wins, as a scan would find it
        return out

    @cached_property
    def _row_map(self) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for r in self.rows:
            out.setdefault(r.key, r)
        return out

    def column(self, key: str) -> Column:
        try:
            return self._column_map[key]
        except (KeyError, TypeError):
            raise KeyError(f"table {self.key} has no column {key!r}") from None

    def row(self, key: str) -> Row:
        try:
            return self._row_map[key]
        except (KeyError, TypeError):
            raise KeyError(f"table {self.key} has no row {key!r}") from None

    @cached_property
    def cell_row_keys(self) -> tuple[str, ...]:
        """Keys of the rows that hold numbers, in print order."""
        return tuple(r.key for r in self.cell_rows)

    @cached_property
    def cell_row_key_set(self) -> frozenset[str]:
        return frozenset(self.cell_row_keys)

    @cached_property
    def value_column_key_set(self) -> frozenset[str]:
        return frozenset(self.value_column_keys)

    @cached_property
    def value_column_keys(self) -> tuple[str, ...]:
        """Keys of the columns that hold numbers, in print order."""
        return tuple(c.key for c in self.value_columns)

    @cached_property
    def leaf_value_column_keys(self) -> tuple[str, ...]:
        """Value columns that are not sums of other columns (no ``sum_of``), in print order."""
        return tuple(c.key for c in self.value_columns if not c.sum_of)

    @cached_property
    def money_column_keys(self) -> frozenset[str]:
        """Value columns of type ``money`` (Decimal cells)."""
        return frozenset(c.key for c in self.value_columns if c.type == "money")

    @cached_property
    def _cell_keys(self) -> tuple[tuple[str, str], ...]:
        return tuple((r, c) for r in self.cell_row_keys for c in self.value_column_keys)

    def cell_keys(self) -> list[tuple[str, str]]:
        """All (row_key, column_key) pairs that hold a number."""
        return list(self._cell_keys)

    def empty(self) -> dict[str, dict[str, int]]:
        """A zero-filled table: {row_key: {column_key: 0}}."""
        zero = dict.fromkeys(self.value_column_keys, 0)
        return {r: zero.copy() for r in self.cell_row_keys}

    @cached_property
    def _check_for_cache(self) -> dict[str, str | None]:
        return {}

    def check_for(self, key: str, default: str = "sum_of") -> str:
        """Id of the declared check whose rule names ``key``."""
        cache = self._check_for_cache
        try:
            found = cache[key]
        except KeyError:
            found = cache[key] = next(
                (chk.id for chk in self.checks if chk.equation is None and chk.mentions(key)), None
            )
        return default if found is None else found

    @cached_property  # read from the immutable declaration once per table
    def sum_rules(self) -> tuple[SumRule, ...]:
        """Every ``sum_of`` declared on this table's rows and columns, as rules."""
        out = [
            SumRule(self.key, "rows", r.key, r.sum_of, self.check_for(r.key)) for r in self.rows if r.sum_of
        ]
        out += [
            SumRule(self.key, "columns", c.key, c.sum_of, self.check_for(c.key))
            for c in self.value_columns
            if c.sum_of
        ]
        return tuple(out)

    @cached_property
    def equations(self) -> tuple[Check, ...]:
        """Declared checks that are per-column row equations (e.g. Section 3 ``identity``)."""
        return tuple(c for c in self.checks if c.equation is not None)

    @cached_property
    def derived_cells(self) -> frozenset[tuple[str, str]]:
        """(row, column) cells that are sums of other cells (subtotal rows, total columns)."""
        sum_rows = {r.key for r in self.rows if r.sum_of}
        sum_cols = {c.key for c in self.value_columns if c.sum_of}
        return frozenset((r, c) for r, c in self.cell_keys() if r in sum_rows or c in sum_cols)


@dataclass(frozen=True)
class Section:
    no: int
    key: str
    title: str
    kind: str  # text | tables | table
    title_variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    id: str  # "2019" | "2021"
    json_key: str  # gov_2019 | gov_2021
    document: str
    sections: tuple[Section, ...]
    tables: tuple[Table, ...] = field(default_factory=tuple)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def _table_map(self) -> dict[str, Table]:
        out: dict[str, Table] = {}
        for t in self.tables:
            out.setdefault(t.key, t)
        return out

    @cached_property
    def table_keys(self) -> frozenset[str]:
        """Keys of this template's tables."""
        return frozenset(t.key for t in self.tables)

    def table(self, key: str) -> Table:
        try:
            return self._table_map[key]
        except (KeyError, TypeError):
            raise KeyError(f"template {self.id} has no table {key!r}") from None

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"template {self.id} has no section {key!r}")

    @cached_property
    def proactive_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.section == "proactive")

    @property
    def applications(self) -> Table:
        """Section 3: 收到和处理政府信息公开申请情况."""
        return self.table("applications")

    @property
    def review_litigation(self) -> Table:
        """Section 4: 行政复议、行政诉讼情况."""
        return self.table("review_litigation")

    @cached_property
    def applicant_columns(self) -> tuple[Column, ...]:
        """Section 3 applicant columns without the 总计 column (自然人, 商业企业, ...)."""
        return tuple(c for c in self.applications.value_columns if not c.is_total)

    @cached_property
    def application_flow(self) -> ApplicationFlow:
        """Roles of the Section 3 rows, read from the printed identity 第一项加第二项之和，等于第三项加第四项之和."""
        table = self.applications
        for chk in table.equations:
            (new, carried_in), (results, carried_out) = chk.equation
            if table.row(results).sum_of:
                return ApplicationFlow(new, carried_in, results, carried_out, chk.id)
        raise KeyError(f"template {self.id}: Section 3 declares no identity equation")

    @cached_property
    def cross_year_checks(self) -> tuple[CrossYearCheck, ...]:
        keys = {t.key for t in self.tables}
        return tuple(c for c in CROSS_YEAR_CHECKS if c.table in keys)

    @cached_property
    def result_rows(self) -> tuple[Row, ...]:
        """Leaf rows of Section 3 办理结果 (the answer categories: one outcome = one row)."""
        total = self.applications.row("results_total")
        return tuple(self.applications.row(k) for k in total.sum_of)


def _column(d: dict[str, Any]) -> Column:
    return Column(
        key=d["key"],
        label=d["label"],
        type=d.get("type", "int"),
        group=d.get("group"),
        group_path=tuple(d.get("group_path", ())),
        is_total=bool(d.get("is_total", False)),
        sum_of=tuple(d.get("sum_of", ())),
        unit=d.get("unit"),
    )


def _row(d: dict[str, Any]) -> Row:
    return Row(
        key=d["key"],
        label=d.get("label"),
        kind=d.get("kind", "data"),
        parent=d.get("parent"),
        legal_basis=d.get("legal_basis"),
        sum_of=tuple(d.get("sum_of", ())),
    )


def _checks(items: list[dict[str, Any]] | None) -> tuple[Check, ...]:
    return tuple(
        Check(id=c["id"], rule=c["rule"], printed=bool(c.get("printed")), source=c.get("source", ""))
        for c in (items or ())
    )


@cache
def load_raw() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def get_template(template_id: str) -> Template:
    """Return the declared template ``"2019"`` or ``"2021"``."""
    template_id = str(template_id)
    if template_id not in _JSON_KEYS:
        raise KeyError(f"unknown report template {template_id!r}; expected one of {TEMPLATE_IDS}")
    raw = load_raw()["templates"][_JSON_KEYS[template_id]]
    sections = tuple(
        Section(
            no=s["no"],
            key=s["key"],
            title=s["title"],
            kind=s["kind"],
            title_variants=tuple(s.get("title_variants", ())),
        )
        for s in raw["sections"]
    )
    tables: list[Table] = []
    for t in raw["section2"]["tables"]:
        tables.append(
            Table(
                key=t["key"],
                section="proactive",
                caption=t.get("caption"),
                columns=tuple(_column(c) for c in t["columns"]),
                rows=tuple(_row(r) for r in t["rows"]),
                checks=_checks(t.get("checks")),
                unit=t.get("unit"),
            )
        )
    s3 = raw["section3"]
    tables.append(
        Table(
            key="applications",
            section="applications",
            caption=s3.get("column_group_header"),
            columns=tuple(_column(c) for c in s3["columns"]),
            rows=tuple(_row(r) for r in s3["rows"]),
            checks=_checks(s3.get("checks")),
            header_note=s3.get("header_note_cell"),
        )
    )
    s4 = raw["section4"]
    tables.append(
        Table(
            key="review_litigation",
            section="review_litigation",
            caption=None,
            columns=tuple(_column(c) for c in s4["columns"]),
            rows=tuple(_row(r) for r in s4["rows"]),
            checks=_checks(s4.get("checks")),
        )
    )
    return Template(
        id=template_id,
        json_key=_JSON_KEYS[template_id],
        document=raw.get("document", ""),
        sections=sections,
        tables=tuple(tables),
        raw=raw,
    )


def template_for_year(year: int) -> Template:
    """The template a report for ``year`` uses: 2019 format for 2019–2020, 2021 format after."""
    if year < 2019:
        raise ValueError(f"no annual-report template covers {year} (the 2019 Regulation applies from 2019)")
    return get_template("2019" if year <= 2020 else "2021")


def applicant_type_choices() -> list[tuple[str, str]]:
    """(key, label) of the applicant columns of Section 3 (identical in both templates)."""
    return [
        (c.key, c.label if c.group is None else f"{c.group}－{c.label}")
        for c in get_template("2021").applicant_columns
    ]


def outcome_choices(template_id: str = "2021") -> list[tuple[str, str]]:
    """(key, label) of every leaf result row of Section 3 — the one-to-one answer categories."""
    t = get_template(template_id)
    table = t.applications
    out = []
    for row in t.result_rows:
        parent = table.row(row.parent) if row.parent and row.parent != "results" else None
        label = f"{parent.label}－{row.label}" if parent is not None else row.label
        out.append((row.key, label))
    return out
