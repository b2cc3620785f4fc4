"""Section headings, text sections (1, 5, 6), Section 6 fee figures and narrative figures.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from decimal import Decimal

_H = r"(?<![^\s。；;：:>）)\d|])[一二三四五六七八九十]{1,2}\s*[、.．]\s*"

HEADINGS = {
    "overview": re.compile(_H + r"(?:总体情况|工作基本情况|基本情况|概述)"),
    "proactive": re.compile(_H + r"(?:行政机关)?主动公开政府信息(?:的)?情况"),
    "applications": re.compile(_H + r"(?:行政机关)?收到和处理政府信息公开申请(?:的)?情况"),
    "review_litigation": re.compile(
        _H
        + r"(?:(?:政府信息公开)?行政(?:法)?复议[、和及与]?\s*(?:提起)?行政诉讼(?:的)?情况|因政府信息公开(?:申请|工作)?被?(?:申请)?行政复议)"
    ),
    "problems": re.compile(
        _H
        + r"(?:政府信息公开工作)?存在的?主要问题(?:[及和与]\s*改进(?:情况|措施)?)?|"
        + _H
        + r"主要问题[及和与]\s*改进(?:情况|措施)?"
    ),
    "other_matters": re.compile(_H + r"其他需要报告的事项"),
}
ORDER = ("overview", "proactive", "applications", "review_litigation", "problems", "other_matters")


# the characters each keyword can start with, as a look-ahead: the engine skips to them instead of
# trying every alternative at every position of the report
_FIRST = {
    "overview": "总工基概",
    "proactive": "行主",
    "applications": "行收",
    "review_litigation": "政行因",
    "problems": "政存主",
    "other_matters": "其",
}
_KEYWORDS = {
    key: re.compile(f"(?=[{_FIRST[key]}])(?:{rx.pattern.replace(_H, '')})") for key, rx in HEADINGS.items()
}
_NUMERAL_BEFORE = re.compile(r"(?<![^\s。；;：:>）)\d|])[一二三四五六七八九十]{1,2}\s*[、.．]\s*$")


def find_headings(text: str) -> dict[str, tuple[int, int]]:
    """{section_key: (start, end)} of the first heading of each section: the keyword (fast
    literal search) preceded by a Chinese numeral and 、."""
    out: dict[str, tuple[int, int]] = {}
    for key, rx in _KEYWORDS.items():
        for m in rx.finditer(text):
            s = m.start()
            p = _NUMERAL_BEFORE.search(text, max(0, s - 6), s)
            if p:
                out[key] = (p.start(), m.end())
                break
    return out


def section_text(text: str, key: str, heads: dict[str, tuple[int, int]], stops: list[int]) -> str | None:
    if key not in heads:
        return None
    start = heads[key][1]
    ends = [s for s, _ in heads.values() if s > start] + [s for s in stops if s > start]
    end = min(ends) if ends else len(text)
    return clean_section(text[start:end])


def clean_section(s: str) -> str:
    s = re.sub(r"[ \t]+\n", "\n", s)
    s = re.sub(r"\n{3,}", "\n\n", s)
    return s.strip(" \n\t|")


# -- Section 6 fee figures -------------------------------------------------------------------
_NOTICES = re.compile(
    r"(?:发出|出具|发送|送达|制发)?\s*(?:信息处理费)?\s*收费通知(?:书)?\s*(?:共|合计)?\s*(\d+)\s*(?:件|份|次|个)"
)
_NOTIFIED = re.compile(
    r"收费通知[^。；;]{0,30}?(?:总)?金额\s*(?:为|共|合计|是)?\s*(\d+(?:\.\d+)?)\s*(万)?\s*元"
)
_COLLECTED = re.compile(
    r"收取[^。；;，,]{0,24}?(?:金额|费用|处理费)?\s*(?:为|共|合计|是)?\s*(\d+(?:\.\d+)?)\s*(万)?\s*元"
)


def _money(num: str, wan: str | None) -> int | float:
    d = Decimal(num) * (10000 if wan else 1)
    return int(d) if d == d.to_integral_value() else float(d)


def extract_fees(text: str | None) -> dict[str, int | float]:
    """Fee figures stated in Section 6 (amounts in 元; keys as ``report_data.FeeLine``)."""
    if not text:
        return {}
    out: dict[str, int | float] = {}
    m = _NOTICES.search(text)
    if m:
        out["notices_issued"] = int(m.group(1))
    m = _NOTIFIED.search(text)
    if m:
        out["amount_notified"] = _money(m.group(1), m.group(2))
    m = _COLLECTED.search(text)
    if m:
        out["amount_collected"] = _money(m.group(1), m.group(2))
    return out


# -- narrative figures ------------------------------------------------------------------------
# (name, regex); every regex captures the figure in group "n". A figure followed by 万/余/多 is
# approximate and skipped.
_END = r"(?!\d)\s*(?:件|个|份)"
NARRATIVE = [
    (
        "received",
        re.compile(
            r"(?:新?收到|受理|接收|新收)(?:各类|群众|公民、法人和其他组织的?)?(?:政府信息公开|依申请公开|信息公开)(?:的)?申请(?:件|数量?为?)?\s*(?:共|总计|合计|为)?\s*(?P<n>\d+)"
            + _END
        ),
    ),
    (
        "carried_over",
        re.compile(
            r"上一?年(?:度)?结转(?:的)?(?:政府信息公开|信息公开)?申请\s*(?:共|为)?\s*(?P<n>\d+)" + _END
        ),
    ),
    (
        "carried_forward",
        re.compile(
            r"(?:结转(?:至|到)?下一?年度?|转(?:入|至|到)?下一?年度?|顺延(?:至|到)下一?年度?)[^。；;，,\d]{0,14}?(?P<n>\d+)"
            + _END
        ),
    ),
    (
        "carried_forward",
        re.compile(r"(?P<n>\d+)\s*件(?:申请)?[^。；;，,\d]{0,14}?(?:顺延|结转|转)(?:至|到|入)?下一?年度?"),
    ),
    (
        "answered",
        re.compile(r"(?:答复|办结|办理完成)(?:政府信息公开|信息公开)?申请\s*(?:共|为)?\s*(?P<n>\d+)" + _END),
    ),
    (
        "review",
        re.compile(
            r"行政复议(?![和及、与]\s*(?:行政)?诉讼)(?:案件)?(?:数量?)?\s*(?:为|共)?\s*(?P<n>\d+)" + _END
        ),
    ),
    (
        "litigation",
        re.compile(r"(?<![和及、与])行政诉讼(?:案件)?(?:数量?)?\s*(?:为|共)?\s*(?P<n>\d+)" + _END),
    ),
]


def narrative_figures(text: str) -> list[tuple[str, int, str]]:
    """(name, number, quoted sentence part) for figures stated in prose."""
    out = []
    for name, rx in NARRATIVE:
        for m in rx.finditer(text):
            after = text[m.end("n") : m.end("n") + 2]
            if re.match(r"\s*(?:万|余|多|\.)", after):
                continue
            s = max(0, m.start() - 10)
            quote = re.sub(r"\s+", "", text[s : m.end() + 2])
            out.append((name, int(m.group("n")), quote))
    return out
