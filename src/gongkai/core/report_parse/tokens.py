"""Tokens and groups of a table's text: numbers, blank cells, labels and row breaks cut into
runs (groups) that :mod:`.extract` assigns to rows. Pure Python: no Django import."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .digits import _CELL_NUM

# ---------------------------------------------------------------------------------------------
# tokens

T_LABEL, T_NUM, T_BLANK, T_TEXT, T_BREAK = "L", "N", "B", "T", "R"


@dataclass
class Tok:
    kind: str
    pos: int
    raw: str = ""
    row: str | None = None
    cell: bool = False  # number came from a structured cell (never split)


@dataclass
class Group:
    pieces: list[Tok]
    pos: int
    end: int
    bound: str | None = None
    structured: bool = False


_NUM_RX = re.compile(r"[+\-]?\d+(?:\.\d+)?\s*(?:万\s*)?(?:元|件|项|个|条)?")
_LIST_PREFIX = re.compile(r"\d(?=\s*[.．、]\s*[\u4e00-\u9fff“\"「（(])")
_SEP_ROW = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")


def _mask_list_prefixes(text: str) -> str:
    return _LIST_PREFIX.sub("§", text)


def pipe_cell_mode(text: str) -> bool:
    """The 「cell | per line」 dump of an HTML table (each cell on its own line ending in |)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 6:
        return False
    ends = sum(1 for ln in lines if ln.endswith("|") and not ln.startswith("|"))
    return ends / len(lines) > 0.4


def tokenize(text: str, base: int, labels: list[tuple[int, int, str]], pipe_mode: bool) -> list[Tok]:
    """Tokens of ``text`` (which starts at offset ``base`` of the document) with the given label
    spans (absolute offsets) turned into label tokens."""
    masked = _mask_list_prefixes(text)
    toks: list[Tok] = []
    pos = 0
    lines = masked.split("\n")
    offset = 0
    for li, line in enumerate(lines):
        stripped = line.strip()
        if pipe_mode:
            for m in re.finditer(r"[^|]+|\|", line):
                seg = m.group(0)
                if seg == "|":
                    continue
                _scan_cell(seg, base + offset + m.start(), toks, structured=True, keep_blank=False)
        elif stripped.startswith("|") and stripped.endswith("|") and len(stripped) >= 2:
            if _SEP_ROW.match(stripped):
                toks.append(Tok(T_BREAK, base + offset))
            else:
                start = line.index("|")
                inner_start = start + 1
                inner = line[inner_start : line.rindex("|")]
                p = inner_start
                for cell in inner.split("|"):
                    _scan_cell(cell, base + offset + p, toks, structured=True, keep_blank=True)
                    p += len(cell) + 1
                toks.append(Tok(T_BREAK, base + offset + len(line)))
        else:
            _scan_plain(line, base + offset, toks)
            if li < len(lines) - 1:
                toks.append(Tok(T_BREAK, base + offset + len(line)))
        offset += len(line) + 1
        pos = offset
    del pos
    if not labels:
        return toks
    # overlay labels
    out: list[Tok] = []
    starts = [s for s, _, _ in labels]
    li = 0
    for t in toks:
        while li < len(labels) and labels[li][0] <= t.pos:
            out.append(Tok(T_LABEL, labels[li][0], row=labels[li][2]))
            li += 1
        j = bisect.bisect_right(starts, t.pos) - 1
        if j >= 0 and labels[j][0] <= t.pos < labels[j][1]:
            if t.kind == T_BREAK:
                out.append(t)
            continue
        out.append(t)
    while li < len(labels):
        out.append(Tok(T_LABEL, labels[li][0], row=labels[li][2]))
        li += 1
    return out


def _scan_cell(cell: str, pos: int, toks: list[Tok], structured: bool, keep_blank: bool) -> None:
    s = cell.strip()
    if not s:
        if keep_blank:
            toks.append(Tok(T_BLANK, pos, cell=True))
        return
    m = _CELL_NUM.match(s)
    if m:
        toks.append(Tok(T_NUM, pos + cell.index(s[0]), raw=s, cell=structured))
        return
    if s in ("-", "—", "－", "/", "无", "——"):
        # a dash in a cell is a printed "none": treat like a blank cell
        if keep_blank:
            toks.append(Tok(T_BLANK, pos, cell=True))
        return
    # text cell; it may still end with numbers (「行政许可 97」 inside one cell)
    _scan_plain(cell, pos, toks)


_PLAIN_TOK = re.compile(
    r"(?P<n>[+\-]?\d+(?:\.\d+)?(?:\s*万)?(?:\s*(?:元|件|项|个|条))?)|(?P<t>(?:[^\s\d+\-]|[+\-](?!\d))+)|\s+"
)


def _scan_plain(line: str, pos: int, toks: list[Tok]) -> None:
    for m in _PLAIN_TOK.finditer(line):
        kind = m.lastgroup
        if kind == "n":
            toks.append(Tok(T_NUM, pos + m.start(), raw=m.group()))
        elif kind == "t":
            toks.append(Tok(T_TEXT, pos + m.start(), raw=m.group()))


def groups_of(toks: list[Tok]) -> list[Group]:
    """Runs of numbers/blank cells. A run directly after a label (no row break between) is bound."""
    groups: list[Group] = []
    cur: list[Tok] = []
    last_label: str | None = None
    label_open = False  # no row break since the last label
    pending_bind: str | None = None

    def flush():
        nonlocal cur, pending_bind
        if cur:
            g = Group(pieces=cur, pos=cur[0].pos, end=cur[-1].pos + max(1, len(cur[-1].raw)))
            g.structured = any(t.cell for t in cur)
            if pending_bind is not None:
                g.bound = pending_bind
                pending_bind = None
            if any(t.kind == T_NUM for t in cur) or g.bound is not None:
                groups.append(g)
            cur = []

    for t in toks:
        if t.kind in (T_NUM, T_BLANK):
            if not cur:
                pending_bind = last_label if label_open else None
                if label_open:
                    label_open = False
                    last_label = None
            cur.append(t)
        elif t.kind == T_LABEL:
            flush()
            last_label = t.row
            label_open = True
        elif t.kind == T_BREAK:
            flush()
            label_open = False
        else:  # text
            flush()
    flush()
    return groups
