"""Read Sections 2, 3 and 4 of a normalised report by matching the schema's row labels.

How a table is read
-------------------
1. **Labels.** Every row label of the template becomes an *anchor* regex (list prefix such as
   ``1.`` / ``（一）`` / ``一、`` plus the first characters of the label, whitespace allowed
   between characters, half/full-width brackets both accepted). Anchors, not full labels, so
   labels broken over lines, annotated (「规章(设区的市…)」) or mistyped after the first characters
   (「2.其他法律行政止公开」, 「5.属于三类内容事务信息」) still match. Section 3 labels must appear
   in template order: the longest in-order chain of matches is kept.
2. **Values.** Between labels the text is cut into *groups*: runs of numbers (or blank cells of a
   structured row) not interrupted by text, a label or a row break. A group directly after a label
   on the same row is *bound* to it. Groups separated from their label (PDF extractions put the
   value row above or below a multi-line label) are assigned in document order between bound
   neighbours — only when the number of free groups equals the number of unbound rows there.
3. **Cells of a group.** Structured rows (HTML, DOCX, markdown) give one cell per column; blank
   cells are 0 and listed in ``blank_cells``. Plain text gives whitespace-separated numbers. When
   digits are glued (flattened web tables: 「230 000023」), every split without leading zeros is
   enumerated and filtered by the arithmetic the template declares (总计 = 各列之和); a value is
   accepted only where all remaining splits agree. Ambiguity → ``missing``, never a guess.
4. Anything that cannot be read goes to ``missing`` with a Chinese reason.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.core.report_schema import Table, Template

from .digits import (  # noqa: F401 - _split_cached: the benchmark clears it
    _CELL_NUM,
    _in_wan,
    _split_cached,
    parse_cell_number,
    split_candidates,
    to_number,
)
from .labels import Anchor, row_anchors
from .solve import joint_candidates
from .tokens import T_BLANK, T_NUM, Group, groups_of, tokenize

CN_NUM = "一二三四五六七八九十"
MAX_LISTED = 12  # candidate splits listed with an unread row

# ---------------------------------------------------------------------------------------------
# result containers


@dataclass
class TableRead:
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    blank: list[tuple[str, str]] = field(default_factory=list)  # (row, col)
    missing: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # findings from reading (warnings)
    found: bool = False
    span: tuple[int, int] | None = None


_NUMBER_LINE = re.compile(r"[ \t]*\d+(?:[ \t]+\d+)+[ \t]*")


def _number_line_above(text: str, line_start: int) -> int | None:
    """Start of the line above ``line_start`` when it holds only (several) numbers."""
    if line_start <= 0:
        return None
    prev = text.rfind("\n", 0, line_start - 1) + 1
    return prev if _NUMBER_LINE.fullmatch(text, prev, line_start - 1) else None


def _line_start(text: str, pos: int) -> int:
    """Start of the line holding ``pos`` when it is near (table rows), else ``pos``."""
    ls = text.rfind("\n", 0, pos) + 1
    return ls if pos - ls <= 300 else pos


def _per_table(fn):
    """Cache of a function of a schema table, by identity: hashing a frozen ``Table`` hashes all
    its rows and columns (a tenth of the parse time when done per row read)."""
    memo: dict[int, tuple[Table, Any]] = {}

    def wrapper(tb: Table):
        hit = memo.get(id(tb))
        if hit is None or hit[0] is not tb:
            hit = memo[id(tb)] = (tb, fn(tb))
        return hit[1]

    return wrapper


@_per_table
def _sum_constraints(tb: Table) -> tuple[tuple[int, tuple[int, ...]], ...]:
    cols = [c.key for c in tb.value_columns]
    out = []
    for i, c in enumerate(tb.value_columns):
        if c.sum_of:
            out.append((i, tuple(cols.index(p) for p in c.sum_of)))
    return tuple(out)


def _row_ok(vals: tuple, cons: list[tuple[int, tuple[int, ...]]]) -> bool:
    return all(vals[t] == sum(vals[p] for p in parts) for t, parts in cons)


@dataclass
class RowReading:
    candidates: list[tuple] = field(default_factory=list)  # numeric tuples
    blank: list[int] = field(default_factory=list)  # column indexes printed blank
    relaxed: bool = False  # no split satisfies the row's totals: every split kept, none preferred
    reason: str = ""


def read_group(g: Group, tb: Table, check_sums: bool = True) -> RowReading:
    cols = list(tb.value_columns)
    n = len(cols)
    ctypes = [c.type for c in cols]
    cons = _sum_constraints(tb) if check_sums else []
    pieces = list(g.pieces)
    if g.structured:
        # trim padding blanks (markdown/HTML artefacts) beyond the column count
        while len(pieces) > n and pieces[-1].kind == T_BLANK:
            pieces.pop()
        while len(pieces) > n and pieces[0].kind == T_BLANK:
            pieces.pop(0)
        if len(pieces) == n and all(p.kind == T_BLANK or p.cell for p in pieces):
            vals = []
            blank = []
            for i, (p, c) in enumerate(zip(pieces, cols)):
                if p.kind == T_BLANK:
                    vals.append(Decimal(0) if c.type == "money" else 0)
                    blank.append(i)
                    continue
                v = parse_cell_number(p.raw, c.type, _in_wan(c))
                if v is None:
                    return RowReading(reason=f"单元格「{p.raw}」不是{c.label}的有效数值")
                vals.append(v)
            return RowReading(candidates=[tuple(vals)], blank=blank)
        if any(p.kind == T_BLANK for p in pieces):
            return RowReading(reason=f"单元格数为 {len(pieces)}，应为 {n}")
    nums = [p for p in pieces if p.kind == T_NUM]
    glued_cells = any(p.cell for p in nums)
    if glued_cells and (len(nums) > n or not cons):
        # cells are split only when cells were merged (fewer than columns) and sums can check it
        return RowReading(reason=f"读到 {len(nums)} 个单元格，应为 {n} 个")
    if len(nums) == n and all(
        parse_cell_number(p.raw, c.type, _in_wan(c)) is not None for p, c in zip(nums, cols)
    ):
        vals = tuple(parse_cell_number(p.raw, c.type, _in_wan(c)) for p, c in zip(nums, cols))
        if not cons or _row_ok(vals, cons):
            return RowReading(candidates=[vals])
        # numbers are separated already: take them as printed (the audit reports the sums)
        return RowReading(candidates=[vals])
    if len(nums) > n:
        return RowReading(reason=f"读到 {len(nums)} 个数，多于 {n} 列")
    visibly_glued = any(re.match(r"[+\-]?0\d", p.raw) for p in nums)  # 「00」「023」 are no numbers
    if not glued_cells and not visibly_glued and len(nums) >= max(3, n // 2):
        # numbers are visibly separated (PDF text): a short row lost a cell, it is not glued
        return RowReading(reason=f"读到 {len(nums)} 个数，应为 {n} 个")
    if any(re.search(r"万", p.raw) for p in nums):
        return RowReading(reason="数字粘连且带「万」单位，无法拆分")
    raws = [p.raw for p in nums]
    if cons:
        good_raw = split_candidates(raws, ctypes, cons=cons)
        if good_raw:
            good = [tuple(to_number(s, t) for s, t in zip(c, ctypes)) for c in good_raw]
            good = [v for v in good if _row_ok(v, cons)]
            if good:
                return RowReading(candidates=good)
        if good_raw is None:
            return RowReading(reason="数字粘连，可能的拆分过多，无法唯一确定")
    cands = split_candidates(raws, ctypes)
    if cands is None:
        return RowReading(reason="数字粘连，可能的拆分过多，无法唯一确定")
    if not cands:
        return RowReading(reason=f"「{' '.join(raws)}」无法拆成 {n} 个数")
    numeric = [tuple(to_number(s, t) for s, t in zip(c, ctypes)) for c in cands]
    if cons:
        if glued_cells:
            return RowReading(reason=f"读到 {len(nums)} 个单元格，应为 {n} 个，拆分后合计不符")
        # No split satisfies the row's own totals. Never pick the "closest" one: keep every split
        # the printed digits allow; the table's identities, solved jointly, may still single one
        # out — otherwise the cells stay unread with the candidates listed.
        return RowReading(candidates=numeric, relaxed=True)
    return RowReading(candidates=numeric)


def agree(cands: list[tuple]) -> list[Any]:
    """Per column: the value all candidates agree on, else None."""
    if not cands:
        return []
    out = []
    for i in range(len(cands[0])):
        vals = {c[i] for c in cands}
        out.append(next(iter(vals)) if len(vals) == 1 else None)
    return out


# ---------------------------------------------------------------------------------------------
# Section 3


@dataclass
class Match:
    row: str
    start: int
    end: int
    weight: int


_COMBINED: dict[int, re.Pattern] = {}


def _combined(anchors: tuple[Anchor, ...]) -> re.Pattern:
    """All strong anchors as one alternation (one scan of the text instead of one per row)."""
    key = id(anchors)
    rx = _COMBINED.get(key)
    if rx is None:
        # the look-ahead on the characters a label can start with lets the engine skip every other
        # position quickly (7x faster than the bare alternation)
        starts = [_first_chars(a.strong.pattern) for a in anchors]
        firsts = "".join(sorted(set("".join(starts)))) if all(starts) else ""
        alternation = "|".join(f"(?P<a{i}>{a.strong.pattern})" for i, a in enumerate(anchors))
        rx = re.compile(f"(?=[{re.escape(firsts)}])(?:{alternation})" if firsts else alternation)
        _COMBINED[key] = rx
    return rx


def _first_chars(pattern: str) -> str:
    """The characters a strong anchor can start with ("" when unknown)."""
    m = re.match(r"(?:\[([^\]\\]+)\]|([^\\\[(){}?.*+|^$]))(?![?*{])", pattern)
    if m is None:
        return ""
    return m.group(1) or m.group(2)


def _find_matches(text: str, anchors: tuple[Anchor, ...], lo: int, hi: int) -> list[list[Match]]:
    per_row: list[list[Match]] = [[] for _ in anchors]
    for m in _combined(anchors).finditer(text, lo, hi):
        i = int(m.lastgroup[1:])
        per_row[i].append(Match(anchors[i].row, m.start(), m.end(), 3))
    for i, a in enumerate(anchors):
        if a.weak is not None and not per_row[i]:
            per_row[i] = [Match(a.row, m.start(), m.end(), 1) for m in a.weak.finditer(text, lo, hi)]
    return per_row


def best_chain(per_row: list[list[Match]]) -> list[Match]:
    """Heaviest chain of matches increasing in both row order and position."""
    items = [(ri, m) for ri, ms in enumerate(per_row) for m in ms]
    items.sort(key=lambda x: (x[1].start, x[0]))
    if not items:
        return []
    best = [0] * len(items)
    prev = [-1] * len(items)
    for i, (ri, m) in enumerate(items):
        best[i] = m.weight
        for j in range(i):
            rj, mj = items[j]
            if rj < ri and mj.end <= m.start and best[j] + m.weight > best[i]:
                best[i] = best[j] + m.weight
                prev[i] = j
    i = max(range(len(items)), key=lambda k: best[k])
    chain = []
    while i >= 0:
        chain.append(items[i][1])
        i = prev[i]
    return chain[::-1]


# where the Section 3 table is, most specific first (narrative never prints the header note)
_S3_PROBES = (
    re.compile(r"[勾钩]\s*稽\s*关\s*系"),
    re.compile(r"本\s*年\s*新\s*收\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*数\s*量"),
    re.compile(r"上\s*年\s*结\s*转\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*数\s*量"),
    re.compile(r"予\s*以\s*公\s*开\s*\S{0,3}\s*\d"),
)


def read_applications(text: str, template: Template, lo: int, hi: int, pipe_mode: bool) -> TableRead:
    tb = template.applications
    res = TableRead()
    anchors = row_anchors(template.id, tb.key)
    probe = None
    for rx in _S3_PROBES:
        probe = rx.search(text, lo, hi)
        if probe is not None:
            break
    if probe is None:
        return res
    lo, hi = max(lo, probe.start() - 1200), min(hi, probe.start() + 9000)
    chain = best_chain(_find_matches(text, anchors, lo, hi))
    # a table needs several labels; isolated matches in prose are not a table
    if len([m for m in chain if m.weight >= 3]) < 4:
        return res
    res.found = True
    start = chain[0].start
    # the table ends at the Section 4 header / section 5 or a few hundred characters after the
    # last label
    last = chain[-1]
    end_limit = min(hi, last.end + 600)
    m4 = re.compile(r"行\s*政\s*复\s*议|[五5]\s*[、.．]\s*\S{0,12}问\s*题").search(text, last.end, end_limit)
    end = m4.start() if m4 else end_limit
    res.span = (start, end)
    labels = [(m.start, m.end, m.row) for m in chain]
    tstart = _line_start(text, start)
    if not pipe_mode:
        # the first row's figures printed on the line above its label (PDF text: the label cell
        # vertically centred below them): the table starts there
        above = _number_line_above(text, tstart)
        if above is not None:
            start = tstart = above
    toks = tokenize(text[tstart:end], tstart, labels, pipe_mode)
    groups = groups_of(toks)
    # a group is valid when it can be read as a row
    rows_order = [r.key for r in tb.rows]
    cell_rows = [r.key for r in tb.cell_rows]
    found_rows = {m.row for m in chain}
    row_pos = {m.row: m.start for m in chain}
    readings: dict[str, RowReading] = {}
    reasons: dict[str, str] = {}
    bound: dict[str, Group] = {}
    free: list[tuple[Group, RowReading]] = []
    for g in groups:
        rd = read_group(g, tb)
        if g.bound is not None:
            if g.bound in cell_rows:
                if rd.candidates:
                    readings[g.bound] = rd
                    bound[g.bound] = g
                else:
                    reasons[g.bound] = rd.reason
                    bound[g.bound] = g
            elif g.bound == "other" and template.id == "2021":
                bound["other"] = g
                readings["other"] = rd
            else:
                # bound to a group label (三、本年度办理结果 …): treat as free, unless it is only
                # the empty cells of the group label's row
                if rd.candidates and any(p.kind == T_NUM for p in g.pieces):
                    free.append((g, rd))
        elif rd.candidates and any(p.kind == T_NUM for p in g.pieces):
            free.append((g, rd))
    # assign free groups between anchors
    anchors_pos = sorted((g.pos, r) for r, g in bound.items() if r in cell_rows)
    data_rows = list(cell_rows)
    # order of data rows by template; anchors are rows with bound groups
    idx = {r: i for i, r in enumerate(data_rows)}
    bound_rows = [r for r in data_rows if r in bound]
    # segments: (prev anchor row, next anchor row)
    boundaries = (
        [(-1, None, start - 1)]
        + [(idx[r], r, bound[r].pos) for r in bound_rows]
        + [(len(data_rows), None, end + 1)]
    )
    boundaries.sort(key=lambda b: b[0])
    del anchors_pos
    assigned_free: set[int] = set()
    single_other = (
        template.id == "2021"
        and "other" in bound
        and not any(r in found_rows for r in ("other_no_correction", "other_fee_unpaid", "other_other"))
    )
    for (i0, _r0, p0), (i1, _r1, p1) in zip(boundaries, boundaries[1:]):
        gap_rows = [r for r in data_rows[i0 + 1 : i1] if r not in bound]
        if single_other:
            gap_rows = [r for r in gap_rows if not r.startswith("other_")]
        if not gap_rows:
            continue
        gap_groups = [
            (k, g, rd) for k, (g, rd) in enumerate(free) if p0 < g.pos < p1 and k not in assigned_free
        ]
        if single_other:
            og = bound["other"]
            gap_groups = [x for x in gap_groups if x[1] is not og]
        if len(gap_groups) == len(gap_rows):
            for r, (k, _g, rd) in zip(gap_rows, gap_groups):
                readings[r] = rd
                assigned_free.add(k)
        else:
            for r in gap_rows:
                if r not in reasons:
                    if r in found_rows:
                        reasons[r] = "数值与行标签无法一一对应"
                    else:
                        reasons[r] = "未找到该行"
    del rows_order, row_pos
    # 2021 template printed with a single （六）其他处理 row
    if single_other:
        rd = readings.get("other")
        subrows = ["other_no_correction", "other_fee_unpaid", "other_other"]
        if rd and rd.candidates and len(rd.candidates) == 1 and all(v == 0 for v in rd.candidates[0]):
            zero = tuple(0 for _ in tb.value_columns)
            for r in subrows:
                readings[r] = RowReading(candidates=[zero])
            res.notes.append(
                {
                    "rule": "import.other_single_row",
                    "severity": "warning",
                    "message": "第三部分「（六）其他处理」只印了一行（2019年版格式），全为0，三个分项按0读取",
                    "table": tb.key,
                    "cells": [[r, "total"] for r in subrows],
                    "numbers": {},
                }
            )
        else:
            for r in subrows:
                reasons[r] = "「（六）其他处理」只印了一行（2019年版格式），无法拆分到三个分项"
    if template.id == "2021":
        readings.pop("other", None)  # a group label in the 2021 format
    _resolve_rows(tb, readings, reasons, res)
    return res


def _resolve_rows(
    tb: Table, readings: dict[str, RowReading], reasons: dict[str, str], res: TableRead
) -> None:
    cols = [c.key for c in tb.value_columns]
    if any(len(rd.candidates) > 1 for rd in readings.values()):
        # the rows' splits solved jointly with the table's equations (see solve.py)
        _sums, eqs = _column_rules(tb)
        equations = [((key,), parts) for key, parts in _sums] + [tuple(eq) for eq in eqs]
        cands = {r: rd.candidates for r, rd in readings.items()}
        narrowed = joint_candidates(cands, equations)
        relaxed = {r for r, rd in readings.items() if rd.relaxed and len(rd.candidates) > 1}
        if narrowed is None and relaxed:
            # No joint solution: some printed figure breaks an identity. The rows whose every
            # split breaks their own row total (a 总计 printed blank or wrong) are the known
            # suspects: their 总计 cells become unknowns (the true total of a row is the sum of
            # its parts by definition, which makes the 总计 column's identities follow from the
            # other columns'), and the other columns' identities are solved without them.
            totals = {i for i, _parts in _sum_constraints(tb)}
            narrowed = joint_candidates(cands, equations, free=dict.fromkeys(relaxed, totals))
        if narrowed is not None:
            readings = {
                r: rd if len(rd.candidates) == 1 else RowReading(candidates=narrowed[r], relaxed=rd.relaxed)
                for r, rd in readings.items()
            }
    for r, rd in readings.items():
        label = tb.row(r).label
        # cells on which every possible split agrees are unique readings of the printed digits;
        # the others stay unread with the candidate splits listed
        vals = agree(rd.candidates)
        if not vals:
            continue
        row_out = {}
        unknown = []
        for i, v in enumerate(vals):
            if v is None:
                unknown.append(cols[i])
            else:
                row_out[cols[i]] = v
        if row_out:
            res.values[r] = row_out
        for i in rd.blank:
            res.blank.append((r, cols[i]))
        if unknown:
            res.missing.append(
                {
                    "section": tb.section,
                    "table": tb.key,
                    "row": r,
                    "cells": [[r, c] for c in unknown],
                    "candidates": [[_jsonable(v) for v in c] for c in sorted(rd.candidates)[:MAX_LISTED]],
                    "candidate_count": len(rd.candidates),
                    "reason": f"{_sec_name(tb)}{'「' + label + '」行' if label else ''}数字粘连，"
                    + (f"{len(rd.candidates)}种可能的拆分均不满足合计关系，" if rd.relaxed else "")
                    + f"无法唯一拆分：{'、'.join(_col_name(tb, c) for c in unknown)}（候选拆分已列出）",
                }
            )
        if rd.relaxed and row_out and len(rd.candidates) == 1:
            # one reading only (the printed digits are unambiguous) and it breaks the row totals:
            # the publisher's own arithmetic, read as printed and reported
            res.notes.append(
                {
                    "rule": "import.glued_digits_relaxed",
                    "severity": "warning",
                    "message": f"{_sec_name(tb)}{'「' + label + '」行' if label else ''}数字粘连，唯一可能的拆分不满足合计关系，按原文读取，请核对原文",
                    "table": tb.key,
                    "cells": [[r, c] for c in row_out],
                    "numbers": {c: _jsonable(v) for c, v in row_out.items()},
                }
            )
    for r, why in reasons.items():
        if r in res.values:
            continue
        res.missing.append(
            {
                "section": tb.section,
                "table": tb.key,
                "row": r,
                "cells": [[r, c] for c in cols],
                "reason": f"{_sec_name(tb)}「{tb.row(r).label or r}」行无法读取：{why}",
            }
        )


@_per_table
def _column_rules(tb: Table) -> tuple[tuple, tuple]:
    sums = tuple((r.key, r.sum_of) for r in tb.rows if r.sum_of)
    eqs = tuple(eq for eq in (getattr(chk, "equation", None) for chk in tb.checks) if eq)
    return sums, eqs


_S4_GROUPS = (
    ("lit_after_review_", "复议后起诉"),
    ("lit_direct_", "未经复议直接起诉"),
    ("review_", "行政复议"),
)


def _col_name(tb: Table, key: str) -> str:
    """A column's label; Section 4's repeated labels (结果维持 …) carry their group."""
    label = tb.column(key).label
    for prefix, group in _S4_GROUPS:
        if tb.section == "review_litigation" and key.startswith(prefix):
            return f"{group}·{label}"
    return label


def _sec_name(tb: Table) -> str:
    no = {"proactive": 2, "applications": 3, "review_litigation": 4}.get(tb.section, 0)
    return f"第{CN_NUM[no - 1]}部分" if no else ""


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v
