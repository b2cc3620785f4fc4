"""Tables printed as a stream of cells: ``pdftotext`` without ``-layout``.

Without ``-layout`` poppler prints a table cell by cell, each on its own line (blank lines
between), in its reading order: row by row for most PDFs (the platform's own), column by column
for others (all labels, then each column's figures), with the labels of rows grouped under a
tall merged cell (「（三）不予公开」) printed as a block after their figures, and the figures of narrow
neighbouring cells sometimes run together on one line (「0 4 70」, 「000」).

The label reader of :mod:`.extract` cannot bind such figures to their rows. Here the figures are
taken as one stream in document order and laid out on the template's grid:

- **Section 3**: the stream must hold exactly rows × 7 figures; the row-major and the column-major
  layouts are each accepted only when every identity of the table holds in it (each row's 总计 =
  its six applicant columns, 总计 rows = their leaf rows, new + carried = results + carried
  forward, column by column). Exactly one layout valid → read; none or two different ones →
  nothing is read (the reasons of the label reader stay).
- **Section 4**: exactly 15 figures whose three group totals hold → read.
- **Section 2**: a row is read when exactly its column count of figures follows its label, on
  the label's line and the figure-only lines after it (never split: each figure is a cell).

A run like 「000」 or 「005」 is split only where the split is the only possible one (zeros cannot
lead a number, so a run of zeros followed by at most one digit); any other run of digits makes the
stream unusable. Never a guess: every figure is a printed number at its printed position in the
stream. Pure Python: no Django import.
"""

from __future__ import annotations

import re

from gongkai.core.report_schema import Table

_FIGURE_LINE = re.compile(r"[ \t]*\d+(?:[ \t]+\d+)*[ \t]*")
_ZERO_LED = re.compile(r"0+\d?")
_NUMBER = r"[+\-]?\d+(?:\.\d+)?"
_SIGNED_LINE = re.compile(rf"[ \t]*{_NUMBER}(?:[ \t]+{_NUMBER})*[ \t]*")


def figures(text: str) -> list[int] | None:
    """The figures of the lines of ``text`` that hold only figures, in order; None when one of
    them is a run of digits that may hide several cells (「0570」)."""
    out: list[int] = []
    for line in text.split("\n"):
        if not _FIGURE_LINE.fullmatch(line) or not line.strip():
            continue
        for tok in line.split():
            if len(tok) > 1 and tok[0] == "0":
                if not _ZERO_LED.fullmatch(tok):
                    return None
                out.extend(int(ch) for ch in tok)
            else:
                out.append(int(tok))
    return out


def _figure_tokens(lines: list[str]) -> list[str]:
    """The figures at the start of ``lines``: the first line (the rest of a label's line) and the
    following lines while they hold only figures or nothing."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if not _SIGNED_LINE.fullmatch(line):
            break
        out += line.split()
    return out


def read_proactive(text: str, template, lo: int, hi: int) -> dict:
    """Section 2 with each figure on its own line after its row label: a row is read when exactly
    its column count of figures follows its label (before any other text), else listed unread."""
    from .extract import TableRead, _in_wan, parse_cell_number
    from .labels import proactive_anchors

    spans: list[tuple[int, int, str, str]] = []
    for tkey, rkey, rx in proactive_anchors(template.id):
        spans += [(m.start(), m.end(), tkey, rkey) for m in rx.finditer(text, lo, hi)]
    spans.sort()
    clean: list[tuple[int, int, str, str]] = []
    for sp in spans:  # overlapping labels: the longer one (规范性文件 inside 行政规范性文件)
        if clean and sp[0] < clean[-1][1]:
            if sp[1] - sp[0] > clean[-1][1] - clean[-1][0]:
                clean[-1] = sp
            continue
        clean.append(sp)
    out: dict = {}
    seen: set[tuple[str, str]] = set()
    for k, (_start, end, tkey, rkey) in enumerate(clean):
        if (tkey, rkey) in seen:
            continue
        seen.add((tkey, rkey))
        stop = clean[k + 1][0] if k + 1 < len(clean) else hi
        toks = _figure_tokens(text[end:stop].split("\n"))
        tb = template.table(tkey)
        cols = list(tb.value_columns)
        tr = out.setdefault(tkey, TableRead(found=True))
        vals = [parse_cell_number(t, c.type, _in_wan(c)) for t, c in zip(toks, cols)]
        if len(toks) == len(cols) and all(v is not None for v in vals):
            tr.values[rkey] = {c.key: v for c, v in zip(cols, vals, strict=True)}
        else:
            tr.missing.append(
                {
                    "section": "proactive",
                    "table": tkey,
                    "row": rkey,
                    "cells": [[rkey, c.key] for c in cols],
                    "reason": f"第二部分「{tb.caption}」「{tb.row(rkey).label}」行无法读取："
                    f"行标签后有 {len(toks)} 个数，应为 {len(cols)} 个",
                }
            )
    return out


def _identities_hold(tb: Table, grid: dict[str, tuple[int, ...]], sums, eqs) -> bool:
    cols = [c.key for c in tb.value_columns]
    for i, c in enumerate(tb.value_columns):
        if c.sum_of:
            parts = [cols.index(p) for p in c.sum_of]
            if any(v[i] != sum(v[j] for j in parts) for v in grid.values()):
                return False
    for key, parts in sums:
        if any(grid[key][i] != sum(grid[p][i] for p in parts) for i in range(len(cols))):
            return False
    for lhs, rhs in eqs:
        for i in range(len(cols)):
            if sum(grid[r][i] for r in lhs) != sum(grid[r][i] for r in rhs):
                return False
    return True


def read_grid(tb: Table, nums: list[int], sums, eqs) -> dict[str, tuple[int, ...]] | None:
    """Section 3 from a stream of exactly rows × columns figures: the one layout (row by row or
    column by column) in which every identity holds, or None."""
    rows = [r.key for r in tb.cell_rows]
    n_rows, n_cols = len(rows), len(tb.value_columns)
    if len(nums) != n_rows * n_cols:
        return None
    by_row = {r: tuple(nums[k * n_cols : (k + 1) * n_cols]) for k, r in enumerate(rows)}
    by_col = {r: tuple(nums[c * n_rows + k] for c in range(n_cols)) for k, r in enumerate(rows)}
    valid = [g for g in (by_row, by_col) if _identities_hold(tb, g, sums, eqs)]
    if not valid or (len(valid) == 2 and valid[0] != valid[1]):
        return None
    return valid[0]


def read_single_row(tb: Table, nums: list[int]) -> tuple[int, ...] | None:
    """Section 4 from a stream of exactly its 15 figures whose group totals hold, or None."""
    if len(nums) != len(tb.value_columns):
        return None
    grid = {"count": tuple(nums)}
    return grid["count"] if _identities_hold(tb, grid, (), ()) else None


def _table_read(tb: Table, grid: dict[str, tuple[int, ...]], span: tuple[int, int]):
    from .extract import TableRead

    cols = [c.key for c in tb.value_columns]
    return TableRead(
        values={r: dict(zip(cols, v, strict=True)) for r, v in grid.items()}, found=True, span=span
    )


def _unread(tr, key: str) -> bool:
    return tr is None or not tr.found or any(m.get("table") == key for m in tr.missing)


def retry_applications(text: str, template, heads: dict, s3):
    """Section 3 read as a stream of cells when the label reader left rows unread; else None."""
    from .extract import _column_rules

    tb = template.applications
    lo, hi = heads.get("applications", (0, None))[1], heads.get("review_litigation", (None,))[0]
    if not _unread(s3, tb.key) or lo is None or hi is None or hi <= lo:
        return None
    nums = figures(text[lo:hi])
    sums, eqs = _column_rules(tb)
    grid = read_grid(tb, nums, sums, eqs) if nums else None
    return _table_read(tb, grid, (lo, hi)) if grid else None


def retry_review_litigation(text: str, template, lo: int | None, hi: int, s4):
    """Section 4 read as a stream of its 15 cells when the row reader failed; else None."""
    tb = template.review_litigation
    if not _unread(s4, tb.key) or lo is None or hi <= lo:
        return None
    nums = figures(text[lo:hi])
    row = read_single_row(tb, nums) if nums else None
    return _table_read(tb, {"count": row}, (lo, hi)) if row else None
