"""Sections 4 and 2 (the review/litigation table and the proactive-disclosure rows): read with
the same tokens, groups and row readings as Section 3 in :mod:`.extract`. Pure Python: no
Django import."""

from __future__ import annotations

import re

from gongkai.core.report_schema import Table, Template

from .extract import RowReading, TableRead, _line_start, _resolve_rows, read_group
from .labels import proactive_anchors
from .tokens import T_NUM, Group, Tok, groups_of, tokenize

# ---------------------------------------------------------------------------------------------
# Section 4

_S4_HEADER = re.compile(r"结\s*果\s*维\s*持|尚\s*未\s*审\s*结|复\s*议\s*后\s*起\s*诉|维\s*持|审\s*结")


def read_review_litigation(text: str, template: Template, lo: int, hi: int, pipe_mode: bool) -> TableRead:
    tb = template.review_litigation
    res = TableRead()
    hi = min(hi, lo + 2500)
    first = _S4_HEADER.search(text, lo, hi)
    hdr = [first] if first else []
    if not hdr:
        return res
    start = _line_start(text, hdr[0].start())
    toks = tokenize(text[start:hi], start, [], pipe_mode)
    groups = [g for g in groups_of(toks) if any(p.kind == T_NUM for p in g.pieces)]
    cols = [c.key for c in tb.value_columns]
    for i, g in enumerate(groups):
        # the 15 figures printed over several lines (OCR, narrow PDF columns: the review figures
        # on one line, the litigation ones on the next) are read as one row when the separated
        # numbers of consecutive lines add up to exactly the column count
        n_nums = sum(p.kind == T_NUM for p in g.pieces)
        wrapped = _wrapped_row(groups[i:], tb) if not g.structured and 1 < n_nums < len(cols) else None
        g, rd = wrapped or (g, read_group(g, tb))
        if not rd.candidates and not g.structured:
            continue
        res.found = True
        res.span = (start, g.end)
        if not rd.candidates:
            res.missing.append(
                {
                    "section": tb.section,
                    "table": tb.key,
                    "row": "count",
                    "cells": [["count", c] for c in cols],
                    "reason": f"第四部分表格无法读取：{rd.reason}",
                }
            )
            return res
        _resolve_rows(tb, {"count": rd}, {}, res)
        return res
    # nothing readable after the header
    if hdr:
        res.found = True
        res.missing.append(
            {
                "section": tb.section,
                "table": tb.key,
                "row": "count",
                "cells": [["count", c] for c in cols],
                "reason": "第四部分找到表头但没有可读的数值行",
            }
        )
    return res


def _wrapped_row(groups: list[Group], tb: Table, max_lines: int = 4) -> tuple[Group, RowReading] | None:
    """The first run of up to ``max_lines`` consecutive unstructured number lines that together
    read as the table's one row (exactly its column count once merged), or None."""
    n = len(tb.value_columns)
    pieces: list[Tok] = []
    for k, g in enumerate(groups[:max_lines]):
        if g.structured:
            return None
        pieces = pieces + [p for p in g.pieces if p.kind == T_NUM]
        if len(pieces) > n:
            return None
        if k and len(pieces) == n:
            merged = Group(pieces=pieces, pos=groups[0].pos, end=g.end)
            rd = read_group(merged, tb)
            return (merged, rd) if rd.candidates else None
    return None


# ---------------------------------------------------------------------------------------------
# Section 2


def read_proactive(text: str, template: Template, lo: int, hi: int, pipe_mode: bool) -> dict[str, TableRead]:
    out: dict[str, TableRead] = {}
    anchors = proactive_anchors(template.id)
    spans: list[tuple[int, int, str]] = []
    for tkey, rkey, rx in anchors:
        for m in rx.finditer(text, lo, hi):
            # 规范性文件 inside another label (e.g. 行政规范性文件 is handled by the regex)
            spans.append((m.start(), m.end(), f"{tkey}:{rkey}"))
    spans.sort()
    # drop overlapping spans (keep the longer/earlier)
    clean: list[tuple[int, int, str]] = []
    for s in spans:
        if clean and s[0] < clean[-1][1]:
            if s[1] - s[0] > clean[-1][1] - clean[-1][0]:
                clean[-1] = s
            continue
        clean.append(s)
    if not clean:
        return out
    tlo = _line_start(text, lo)
    toks = tokenize(text[tlo:hi], tlo, clean, pipe_mode)
    groups = groups_of(toks)
    seen: set[str] = set()
    for g in groups:
        if g.bound is None or g.bound in seen:
            continue
        seen.add(g.bound)
        tkey, rkey = g.bound.split(":")
        tb = template.table(tkey)
        tr = out.setdefault(tkey, TableRead(found=True))
        rd = read_group(g, tb, check_sums=False)
        if not rd.candidates:
            tr.missing.append(
                {
                    "section": "proactive",
                    "table": tkey,
                    "row": rkey,
                    "cells": [[rkey, c.key] for c in tb.value_columns],
                    "reason": f"第二部分「{tb.caption}」「{tb.row(rkey).label}」行无法读取：{rd.reason}",
                }
            )
            continue
        _resolve_rows(tb, {rkey: rd}, {}, tr)
    return out
