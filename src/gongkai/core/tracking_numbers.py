"""Tracking numbers (受理编号) as people type them.

The platform issues ``{prefix}〔{year}〕{serial}号`` (e.g. ``市教依申〔2026〕0012号``). The
bracket 〔〕 is hard to type, so a number typed with ``[2026]``, ``(2026)``, ``（2026）``,
``【2026】``, ``［2026］`` or ``〖2026〗``, with full-width digits, with spaces, or without the
trailing 号 is normalised to the issued form before the look-up. Pure Python, no Django.
"""

from __future__ import annotations

import re

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_OPEN = "[(（【［〖〔{｛"
_CLOSE = "])）】］〗〕}｝"
_YEAR = re.compile(rf"[{re.escape(_OPEN)}]\s*(\d{{4}})\s*[{re.escape(_CLOSE)}]")
_SPACE = re.compile(r"[\s\u3000]+")


def normalise(number: str) -> str:
    """The issued form of a typed tracking number (unchanged if it does not look like one)."""
    s = _SPACE.sub("", str(number or "")).translate(_FULLWIDTH_DIGITS)
    if not s:
        return ""
    s = _YEAR.sub(r"〔\1〕", s)
    if "〔" in s and re.search(r"〕\d+$", s):
        s += "号"
    return s
