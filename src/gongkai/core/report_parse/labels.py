"""Row-label anchors of the report tables: the regexes that find each row's label in a
normalised report (list prefix plus the label's first characters, spacing and bracket styles
allowed). Used by :mod:`.extract` and :mod:`.stream`. Pure Python: no Django import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# ---------------------------------------------------------------------------------------------
# anchors


def _char_rx(ch: str) -> str:
    if ch in "（(":
        return "[（(]"
    if ch in "）)":
        return "[）)]"
    if ch in '“”"「」『』':
        return '[“”"「」『』]?'
    if ch in "，,":
        return "[，,]"
    if ch in "、":
        return "[、,，.．]"
    if ch in "/／":
        return "[/／]"
    return re.escape(ch)


def _spaced(s: str) -> str:
    return r"\s*".join(_char_rx(c) for c in s)


_PREFIX = re.compile(r"^(\d+)[.．、]|^[（(]([一二三四五六七八九十]+)[）)]|^([一二三四五六七八九十]+)、")


def split_label(label: str) -> tuple[str, str]:
    """(prefix, body) of a printed row label: ``("1.", "属于国家秘密")``; the body loses any
    parenthetical annotation."""
    m = _PREFIX.match(label)
    prefix = m.group(0) if m else ""
    body = label[len(prefix) :]
    body = re.split(r"[（(]", body, maxsplit=1)[0]
    return prefix, body


def _prefix_rx(prefix: str) -> str:
    m = _PREFIX.match(prefix)
    if not m:
        return ""
    if m.group(1):
        return rf"{m.group(1)}\s*[.．、]\s*"
    if m.group(2):
        return rf"[（(]\s*{m.group(2)}\s*[）)]\s*"
    return rf"{m.group(3)}\s*[、.．,，]\s*"


def _not_after_cjk(s: str) -> str:
    """``s`` (spaced) not preceded by a CJK character. The first character comes first and the
    look-behind after it: the regex engine then skips ahead to that character instead of trying
    the look-behind at every position (15x faster on a report)."""
    first = s[0]
    if re.escape(first) != first and not "\u4e00" <= first <= "\u9fff":
        return r"(?<![\u4e00-\u9fff])" + _spaced(s)
    rest = _spaced(s[1:])
    return first + rf"(?<=(?<![\u4e00-\u9fff]){first})" + (r"\s*" + rest if rest else "")


@dataclass(frozen=True)
class Anchor:
    row: str
    strong: re.Pattern
    weak: re.Pattern | None


@cache
def row_anchors(template_id: str, table_key: str) -> tuple[Anchor, ...]:
    from gongkai.core.report_schema import get_template

    tb = get_template(template_id).table(table_key)
    out = []
    for r in tb.rows:
        if not r.label:
            continue
        prefix, body = split_label(r.label)
        head = body[:4] if prefix else body
        strong = re.compile(_prefix_rx(prefix) + _spaced(head))
        weak = None
        if prefix and len(body) >= 5:
            weak = re.compile(_not_after_cjk(body[:6]))
        out.append(Anchor(r.key, strong, weak))
    return tuple(out)


@cache
def proactive_anchors(template_id: str) -> tuple[tuple[str, str, re.Pattern], ...]:
    """(table_key, row_key, regex) for Section 2 rows; 规范性文件 and 行政规范性文件 are one row."""
    from gongkai.core.report_schema import get_template

    t = get_template(template_id)
    out = []
    for tb in t.proactive_tables:
        for r in tb.cell_rows:
            label = split_label(r.label or "")[1]
            core = label[2:] if label.startswith("行政") and label.endswith("规范性文件") else label
            if core.endswith("规范性文件"):
                rx = r"(?:行\s*政\s*)?" + _spaced(core)
            else:
                rx = _spaced(core)
            out.append((tb.key, r.key, re.compile(rx)))
    return tuple(out)
