"""Computing the annual report (年度报告) from facts — GROUP BY semantics, pure Python.

Section 3 (收到和处理政府信息公开申请情况), report year Y, period Y-01-01 … Y-12-31:

- 一、本年新收 (``flow.new_received``): applications received in Y.
- 二、上年结转 (``flow.carried_in``): received before Y-01-01 and not closed before Y-01-01
  (i.e. open at the start of Y).
- 三、办理结果, leaf row = the outcome: applications closed (answered or terminated) in Y,
  whenever received. （七）总计 is the sum of the leaves.
- 四、结转下年度继续办理 (``flow.carried_out``): received by Y-12-31 and still open after it.

Every application that is open at some moment of Y counts exactly once on the left (new or
carried in) and exactly once on the right (a result or carried out), so
一 + 二 = 三(总计) + 四 holds by construction, per applicant column. The same predicates in SQL
(for the Django side, grouped by applicant type)::

    new_received      received_on BETWEEN start AND end
    carried_in        received_on < start AND (closed_on IS NULL OR closed_on >= start)
    <outcome row>     closed_on BETWEEN start AND end            (GROUP BY outcome)
    carried_out       received_on <= end AND (closed_on IS NULL OR closed_on > end)

Section 4 (行政复议、行政诉讼): a case filed by Y-12-31 and decided in Y counts under its result
(结果维持/结果纠正/其他结果); a case filed by Y-12-31 and not decided by then counts as 尚未审结.
Cases decided before Y do not count. (The template does not define the period rule; this is the
snapshot reading that matches Section 3's 结转.)

Section 2 (主动公开) is supplied as counts by the proactive side, keyed like the schema.

Public API::

    ApplicationFact(applicant_type, received_on, closed_on=None, outcome=None)
    AppealFact(kind, filed_on, decided_on=None, outcome=None)  # kind: review | lit_direct | lit_after_review
    classify_application(fact, year, template_id=None) -> tuple[row_key, row_key] | ()
    application_counts(facts, year, template_id=None) -> Counter[(row_key, applicant_col)]
    applications_table(template_id, counts) -> {row: {col: n}}           # totals filled
    appeal_counts(facts, year) -> Counter[(kind, outcome)]
    review_litigation_table(template_id, counts) -> {"count": {col: n}}   # totals filled
    proactive_tables(template_id, values) -> {table_key: {row: {col: v}}}
    build_report(agency_name, year, ...) -> ReportData
    aggregate(reports, agency_name, ...) -> ReportData                     # 本行政区域 = sum of parts

Pure Python: no Django import.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from gongkai.core.report_data import FeeLine, Number, ReportData, coerce_row
from gongkai.core.report_rules import fill_table_totals, fill_totals
from gongkai.core.report_schema import (
    TEMPLATE_IDS,
    Template,
    get_template,
    template_for_year,
)


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of the statistical period (统计期限 1月1日 – 12月31日)."""
    return date(year, 1, 1), date(year, 12, 31)


def _template(template_id: str | None, year: int | None = None) -> Template:
    if template_id is None:
        if year is None:
            raise ValueError("template_id or year is required")
        return template_for_year(year)
    return get_template(str(template_id))


# -- Section 3 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplicationFact:
    """One 政府信息公开申请 as the report sees it.

    ``applicant_type``: a Section 3 applicant column key (``applicant_type_choices()``).
    ``closed_on``: the day it was answered or terminated (办结); None while open.
    ``outcome``: a leaf result row key (``outcome_choices()``); required once closed.
    """

    applicant_type: str
    received_on: date
    closed_on: date | None = None
    outcome: str | None = None


def map_outcome(outcome: str, template: Template) -> str:
    """The leaf result row of ``template`` for an outcome key of either template.

    Keys of the other template's leaf rows that this template does not have map to their parent
    when the parent is a leaf here (2021 （六）1/2/3 → 2019 （六）其他处理).
    """
    leaves = {r.key for r in template.result_rows}
    if outcome in leaves:
        return outcome
    for tid in TEMPLATE_IDS:
        other = get_template(tid)
        if other.id == template.id:
            continue
        try:
            row = other.applications.row(outcome)
        except KeyError:
            continue
        if row.parent in leaves:
            return row.parent
    raise ValueError(f"「{outcome}」不是{template.id}年版年度报告第三部分的办理结果")


def _classifier(t: Template, year: int):
    """A fast per-fact classifier for ``year`` (template lookups done once)."""
    flow = t.application_flow
    start, end = year_bounds(year)
    outcome_rows: dict[str, str] = {}

    def classify(fact: ApplicationFact) -> tuple[str, ...]:
        received, closed = fact.received_on, fact.closed_on
        if closed is not None and closed < received:
            raise ValueError(f"办结日期 {closed} 早于收到日期 {received}")
        if received > end or (closed is not None and closed < start):
            return ()
        incoming = flow.new_received if received >= start else flow.carried_in
        if closed is not None and closed <= end:
            if not fact.outcome:
                raise ValueError(f"申请已于 {closed} 办结，但没有办理结果")
            row = outcome_rows.get(fact.outcome)
            if row is None:
                row = outcome_rows[fact.outcome] = map_outcome(fact.outcome, t)
            return incoming, row
        return incoming, flow.carried_out

    return classify


def classify_application(fact: ApplicationFact, year: int, template_id: str | None = None) -> tuple[str, ...]:
    """The two Section 3 rows ``fact`` counts in for ``year`` — (incoming row, outgoing row) —
    or ``()`` when it is not open at any moment of the year."""
    return _classifier(_template(template_id, year), year)(fact)


def application_counts(
    facts: Iterable[ApplicationFact], year: int, template_id: str | None = None
) -> Counter[tuple[str, str]]:
    """GROUP BY (row, applicant column) over ``facts`` for report ``year``: leaf cells only."""
    t = _template(template_id, year)
    columns = {c.key for c in t.applicant_columns}
    classify = _classifier(t, year)
    out: Counter[tuple[str, str]] = Counter()
    for f in facts:
        if f.applicant_type not in columns:
            raise ValueError(f"「{f.applicant_type}」不是申请人类型")
        for row in classify(f):
            out[(row, f.applicant_type)] += 1
    return out


def applications_table(template_id: str, counts: Mapping[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    """Section 3 from leaf counts ``{(row_key, applicant_column): n}`` (missing = 0), with
    （七）总计 and the 总计 column computed via the schema. Outcome keys of the other template
    are mapped (``map_outcome``); derived cells in ``counts`` are rejected."""
    t = get_template(str(template_id))
    table = t.applications
    cells = table.empty()
    derived = table.derived_cells
    leaf_rows = {r.key for r in t.result_rows}
    for (row, col), n in counts.items():
        if row not in cells and row not in leaf_rows:
            row = map_outcome(row, t)
        if (row, col) in derived or row not in cells or col not in cells[row]:
            raise ValueError(f"第三部分没有可直接填报的单元格（{row}, {col}）")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"第三部分（{row}, {col}）应为非负整数：{n!r}")
        cells[row][col] += n
    return _filled(t, "applications", cells)


def _filled(t: Template, table_key: str, cells: dict[str, dict[str, Number]]) -> dict[str, dict[str, Number]]:
    """``cells`` (a complete table of validated counts) with its derived cells computed."""
    fill_table_totals(t.table(table_key), cells)
    return cells


# -- Section 4 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AppealFact:
    """One 行政复议 or 行政诉讼 case about this agency's 政府信息公开 act.

    ``kind``: ``review`` (行政复议), ``lit_direct`` (未经复议直接起诉), ``lit_after_review``
    (复议后起诉) — see ``appeal_kinds()``. ``outcome``: ``upheld`` (结果维持), ``corrected``
    (结果纠正), ``other`` (其他结果); None while pending (尚未审结).
    """

    kind: str
    filed_on: date
    decided_on: date | None = None
    outcome: str | None = None


def appeal_columns(template_id: str = "2021") -> dict[str, dict[str, str]]:
    """``{kind: {outcome: column_key}}`` read from the Section 4 group totals (``sum_of``): the
    kind is the common key prefix of a group (``review``), the outcome the rest (``upheld``,
    ``pending``, ...). Totals are not included."""
    return {kind: dict(cols) for kind, cols in _appeal_columns(str(template_id)).items()}


@cache
def _appeal_columns(template_id: str) -> dict[str, dict[str, str]]:
    """``appeal_columns`` read once per template (callers must not mutate the result)."""
    table = get_template(template_id).review_litigation
    out: dict[str, dict[str, str]] = {}
    for rule in table.sum_rules:
        if rule.axis != "columns":
            continue
        prefix = _common_prefix(rule.parts)
        out[prefix] = {p[len(prefix) + 1 :]: p for p in rule.parts}
    return out


def _common_prefix(keys: tuple[str, ...]) -> str:
    split = [k.split("_") for k in keys]
    prefix: list[str] = []
    for parts in zip(*split):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return "_".join(prefix)


def appeal_kinds(template_id: str = "2021") -> list[tuple[str, str]]:
    """(kind, label) of Section 4 case groups, e.g. ("lit_direct", "行政诉讼－未经复议直接起诉")."""
    table = get_template(str(template_id)).review_litigation
    return [
        (kind, "－".join(table.column(next(iter(cols.values()))).path))
        for kind, cols in appeal_columns(template_id).items()
    ]


PENDING = "pending"


def classify_appeal(fact: AppealFact, year: int) -> tuple[str, str] | None:
    """(kind, outcome) the case counts under in ``year``; outcome ``pending`` if undecided at
    the end of the year; None when filed after the year or decided before it."""
    start, end = year_bounds(year)
    if fact.decided_on is not None and fact.decided_on < fact.filed_on:
        raise ValueError(f"审结日期 {fact.decided_on} 早于立案日期 {fact.filed_on}")
    if fact.filed_on > end or (fact.decided_on is not None and fact.decided_on < start):
        return None
    if fact.decided_on is not None and fact.decided_on <= end:
        if not fact.outcome or fact.outcome == PENDING:
            raise ValueError(f"案件已于 {fact.decided_on} 审结，但没有结果")
        return fact.kind, fact.outcome
    return fact.kind, PENDING


def appeal_counts(facts: Iterable[AppealFact], year: int) -> Counter[tuple[str, str]]:
    """GROUP BY (kind, outcome) over ``facts`` for ``year``."""
    out: Counter[tuple[str, str]] = Counter()
    for f in facts:
        key = classify_appeal(f, year)
        if key is not None:
            out[key] += 1
    return out


def review_litigation_table(
    template_id: str, counts: Mapping[tuple[str, str], int]
) -> dict[str, dict[str, int]]:
    """Section 4 from ``{(kind, outcome): n}`` with the three 总计 computed."""
    t = get_template(str(template_id))
    table = t.review_litigation
    cols = _appeal_columns(t.id)
    cells = table.empty()
    (row,) = cells
    for (kind, outcome), n in counts.items():
        try:
            col = cols[kind][outcome]
        except KeyError:
            raise ValueError(f"第四部分没有（{kind}, {outcome}）") from None
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"第四部分（{kind}, {outcome}）应为非负整数：{n!r}")
        cells[row][col] += n
    return _filled(t, "review_litigation", cells)


# -- Section 2 ------------------------------------------------------------------------------------
def proactive_tables(template_id: str, values: Mapping[str, Mapping[str, Mapping[str, Any]]] | None) -> dict:
    """Section 2 tables ``{table_key: {row_key: {column_key: value}}}`` from the proactive side's
    counts (keys of ``template_id``'s Section 2; missing cells = 0; money → Decimal).

    2019: art20_1 本年新制作/本年新公开/对外公开总数量; art20_5/6 上一年项目数量/本年增/减/处理决定数量;
    art20_8 上一年项目数量/本年增/减; art20_9 采购项目数量/采购总金额.
    2021: art20_1 本年制发/本年废止/现行有效件数; art20_5/6 本年处理决定数量; art20_8 本年收费金额（万元）.
    """
    t = get_template(str(template_id))
    values = values or {}
    known = {tb.key: tb for tb in t.proactive_tables}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"{t.id}年版第二部分没有这些表：{sorted(unknown)}")
    out: dict[str, dict[str, dict[str, Number]]] = {}
    for key, tb in known.items():
        src = values.get(key) or {}
        rows = tb.cell_row_key_set
        cols = tb.value_column_key_set
        if set(src) - rows:
            raise ValueError(f"{tb.caption}没有这些行：{sorted(set(src) - rows)}")
        out[key] = {}
        for rk in tb.cell_row_keys:
            cells = src.get(rk) or {}
            if set(cells) - cols:
                raise ValueError(f"{tb.caption}没有这些列：{sorted(set(cells) - cols)}")
            out[key][rk] = coerce_row(tb, cells)
    return out


def yuan_to_wan(amount: Decimal | int | str) -> Decimal:
    """元 → 万元 (2021 第二十条第（八）项 本年收费金额 is printed in 万元), exact."""
    return Decimal(str(amount)) / Decimal(10000)


# -- whole report ---------------------------------------------------------------------------------
def build_report(
    agency_name: str,
    year: int,
    *,
    template_id: str | None = None,
    proactive: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    application_facts: Iterable[ApplicationFact] | None = None,
    application_cell_counts: Mapping[tuple[str, str], int] | None = None,
    appeal_facts: Iterable[AppealFact] | None = None,
    appeal_group_counts: Mapping[tuple[str, str], int] | None = None,
    text_sections: Mapping[str, str] | None = None,
    fee_line: FeeLine | None = None,
    meta: Mapping[str, Any] | None = None,
) -> ReportData:
    """Assemble a full ``ReportData``. Section 3 from facts or from pre-aggregated leaf counts
    (both may be given: they add up); Section 4 likewise; Section 2 from ``proactive``."""
    t = _template(template_id, year)
    counts: Counter[tuple[str, str]] = Counter()
    if application_facts is not None:
        counts.update(application_counts(application_facts, year, t.id))
    if application_cell_counts:
        counts.update(dict(application_cell_counts))
    a_counts: Counter[tuple[str, str]] = Counter()
    if appeal_facts is not None:
        a_counts.update(appeal_counts(appeal_facts, year))
    if appeal_group_counts:
        a_counts.update(dict(appeal_group_counts))
    known_text = {s.key for s in t.sections}
    if text_sections and set(text_sections) - known_text:
        raise ValueError(f"没有这些章节：{sorted(set(text_sections) - known_text)}")
    tables: dict[str, Any] = dict(proactive_tables(t.id, proactive))
    tables["applications"] = applications_table(t.id, counts)
    tables["review_litigation"] = review_litigation_table(t.id, a_counts)
    # Every table above is complete, in template order, with cells of the column types, so
    # this is already the ``normalized()`` form (a test checks it): no second pass.
    return ReportData(
        template_id=t.id,
        agency_name=agency_name,
        year=int(year),
        tables={tb.key: tables[tb.key] for tb in t.tables},
        text_sections=dict(text_sections or {}),
        fee_line=copy.copy(fee_line),
        meta=copy.deepcopy(dict(meta or {})),
    )


def aggregate(
    reports: Iterable[ReportData],
    agency_name: str,
    *,
    text_sections: Mapping[str, str] | None = None,
    meta: Mapping[str, Any] | None = None,
) -> ReportData:
    """The 本行政区域 report: every cell is the sum of the agencies' cells (money in Decimal),
    fee lines are summed. All reports must share year and template. Blank totals of the parts
    are computed first. Text sections are not merged (pass the region's own)."""
    reports = list(reports)
    if not reports:
        raise ValueError("没有可汇总的报告")
    years = {r.year for r in reports}
    tids = {r.template_id for r in reports}
    if len(years) != 1 or len(tids) != 1:
        raise ValueError(f"汇总的报告年度和格式必须相同：年度 {sorted(years)}，格式 {sorted(tids)}")
    (year,), (tid,) = years, tids
    total = ReportData.empty(tid, agency_name, year)
    fee: FeeLine | None = None
    for rep in reports:
        part = fill_totals(rep, only_blank=True)
        for tk, rk, ck, v in part.cells():
            total.tables[tk][rk][ck] += v
        if part.fee_line is not None:
            fee = part.fee_line if fee is None else fee + part.fee_line
    total.fee_line = fee
    total.text_sections = dict(text_sections or {})
    total.meta = dict(meta or {})
    total.meta.setdefault("aggregated_from", [r.agency_name for r in reports])
    return total
