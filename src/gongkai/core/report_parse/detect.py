"""Detect the agency (机关名称), report year and template version of a normalised report.

- Year: title 「…2023年…政府信息公开工作年度报告」, statistics period 「统计期限自2023年1月1日」,
  the first 「2023年，…」 of the overview, the signature date (published the following year),
  in that order of weight.
- Agency: title (before or after the year), else the signature line before the date, else the
  subject of the first overview sentence. 「区政府」 is written out as 「区人民政府」, a few
  standard abbreviations are expanded (市科委 → 市科学技术委员会), and a district/county name is
  completed with its city when the report itself prints the longer form (洪泽区人民政府 →
  淮安市洪泽区人民政府).
- Template: column and row labels that exist in only one template (本年制发件数 vs 本年新制作数量,
  the （六）其他处理 sub-rows, 采购项目数量 …), read from ``report_schema``; without any such label
  (tables printed as images) the template follows the year (``template_for_year``).

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from gongkai.core.report_schema import get_template, template_for_year

_WS = re.compile(r"\s+")
_YEAR_MIN, _YEAR_MAX = 2008, 2100

AGENCY_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|管委会|局|厅|委|办|中心|院|署|所|站|处|队|会|"
    r"街道办事处|街道|镇|乡|区|县|市|州|盟|旗|省|部|社|行|馆|团)$"
)
# standard abbreviations in agency names (简称 -> 全称)
ABBREVIATIONS = {
    "科委": "科学技术委员会",
    "发改委": "发展和改革委员会",
    "经信委": "经济和信息化委员会",
    "卫健委": "卫生健康委员会",
    "住建委": "住房和城乡建设委员会",
    "国资委": "国有资产监督管理委员会",
    "教委": "教育委员会",
    "商务委": "商务委员会",
}
_NOISE_PREFIX = re.compile(
    r"^(?:.*(?:首页|当前位置|您的位置|年报|栏目|专栏|>|»|›|/|》|:|：|\||、|，|,|。|\)|）(?=.{2,}$)))"
)


def compact(text: str) -> str:
    return _WS.sub("", text)


def _valid_year(y: int) -> bool:
    return _YEAR_MIN <= y <= _YEAR_MAX


_TITLE_AFTER = re.compile(
    r"(\d{4})\s*年\s*度?\s*(?:的)?\s*([^\s，。、:：;；\d《》“”]{0,40}?)\s*(?:政府)?\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?(?:报\s*告|年\s*报)"
)
_TITLE_BEFORE = re.compile(
    r"([^\s，。、:：;；\d《》“”]{2,40}?)\s*(\d{4})\s*年\s*度?\s*(?:政府)?\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?(?:报\s*告|年\s*报)"
)
_STAT_PERIOD = re.compile(r"统计(?:期限|期间|周期|时限|时间)?[^。\n]{0,12}?(\d{4})\s*年\s*1\s*月\s*1\s*日")
_SIGNATURE = re.compile(r"([\u4e00-\u9fff（）()]{2,40})\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_SUBJECT = re.compile(
    r"(\d{4})\s*年(?:度|以来)?\s*[,，]?\s*([\u4e00-\u9fff]{2,20}?)(?:认真|始终|坚持|深入|全面|严格|持续|围绕|紧紧|紧扣|进一步|积极|高度|不断|以习近平)"
)


def _title_zone(text: str) -> str:
    """The first few non-empty lines joined (titles are often broken over two lines)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return " ".join(lines[:4])[:600]


def _clean_agency(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip(" -—_·•:：|")
    m = _NOISE_PREFIX.match(name)
    if m:
        name = name[m.end() :]
    name = re.sub(r"^(?:关于|本|我|的|年|度)+", "", name)
    if name.endswith("人民"):  # 「某区人民政府信息公开工作年度报告」: 政府 went to the title
        name += "政府"
    name = re.sub(r"(?:的|关于)$", "", name)
    if len(name) < 2 or not re.search(r"[\u4e00-\u9fff]", name):
        return None
    if not AGENCY_SUFFIX.search(re.sub(r"[（(][^（）()]{1,12}[）)]$", "", name)):
        return None
    if re.search(r"信息公开|年度报告|工作要点|通知|条例", name):
        return None
    return name


_CN_YEAR = re.compile(r"([二][〇○零O０0][一二三四五六七八九〇○零O０0][〇○零O０0一二三四五六七八九])(\s*年)")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"○": "0", "零": "0", "O": "0", "０": "0", "0": "0"})


def arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年 (titles and signatures sometimes write the year in Chinese)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(1)) + m.group(2), text)


def detect_year(text: str) -> int | None:
    text = arabic_years(text[:20000]) + text[20000:]
    votes: Counter[int] = Counter()
    zone = _title_zone(text)
    for m in _TITLE_AFTER.finditer(zone):
        y = int(m.group(1))
        if _valid_year(y):
            votes[y] += 10
            break
    else:
        for m in _TITLE_BEFORE.finditer(zone):
            y = int(m.group(2))
            if _valid_year(y):
                votes[y] += 10
                break
    head = text[:4000]
    m = _STAT_PERIOD.search(head)
    if m and _valid_year(int(m.group(1))):
        votes[int(m.group(1))] += 8
    m = _SUBJECT.search(text[:8000])
    if m and _valid_year(int(m.group(1))):
        votes[int(m.group(1))] += 3
    tail = text.rstrip()[-200:]
    m = _SIGNATURE.search(tail)
    if m and _valid_year(int(m.group(2)) - 1):
        month = int(m.group(3))
        votes[int(m.group(2)) - 1 if month <= 6 else int(m.group(2))] += 4
    if not votes:
        # weakest evidence: a title anywhere, then the most frequent year mentioned
        m = _TITLE_AFTER.search(text[:20000])
        if m and _valid_year(int(m.group(1))):
            votes[int(m.group(1))] += 2
        freq = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d{2})\s*年(?!\d)", text[:20000]))
        for y, n in freq.most_common(3):
            if _valid_year(y):
                votes[y] += min(n, 5) * 0.2
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def _expand(name: str, raw: str) -> str:
    # 「丰台区政府」 -> 「丰台区人民政府」
    name = re.sub(r"(?<=[区县市州旗])政府$", "人民政府", name)
    for short, full in ABBREVIATIONS.items():
        if name.endswith(short) and not name.endswith(full):
            name = name[: -len(short)] + full
            break
    # complete a district/county with its city when the report prints the longer form
    m = re.match(r"^([\u4e00-\u9fff]{1,3}[区县旗])", name)
    if m:
        rx = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:市|州|盟))" + re.escape(name))
        found = Counter()
        for hit in rx.finditer(compact(raw)):
            pre = hit.group(1)
            # keep only the last place name (「位于淮安市」 -> 「淮安市」)
            pre = re.split(r"[的于在是和与及由]", pre)[-1]
            if len(pre) >= 2:
                found[pre] += 1
        if found:
            name = found.most_common(1)[0][0] + name
    return name


def detect_agency(text: str, raw_text: str = "") -> str | None:
    text = arabic_years(text[:3000]) + text[3000:] if "〇" in text[:3000] or "○" in text[:3000] else text
    if text.rstrip()[-200:].count("〇") or text.rstrip()[-200:].count("○"):
        text = text[:-300] + arabic_years(text[-300:])
    zone = _title_zone(text)
    zone_c = compact(zone)
    cands: list[str] = []
    for m in _TITLE_AFTER.finditer(zone_c):
        a = _clean_agency(m.group(2))
        if a:
            cands.append(a)
            break
    if not cands:
        for m in _TITLE_BEFORE.finditer(zone_c):
            a = _clean_agency(m.group(1))
            if a:
                cands.append(a)
                break
    if not cands:
        tail = text.rstrip()[-300:]
        tail = re.sub(r"\s*(?:附件下载|附件[:：]?)\s*$", "", tail)
        m = _SIGNATURE.search(tail)
        if m:
            a = _clean_agency(re.split(r"[。；;，,！!）)]", m.group(1))[-1])
            if a:
                cands.append(a)
    if not cands:
        m = re.search(
            r"本报告由\s*([\u4e00-\u9fff]{2,30}?)(?:办公室|办公厅)?\s*(?:根据|依据|按照|编制)", text[:3000]
        )
        if m:
            a = _clean_agency(m.group(1))
            if a:
                cands.append(a)
    if not cands:
        m = _SUBJECT.search(text[:8000])
        if m:
            a = _clean_agency(m.group(2))
            if a:
                cands.append(a)
    if not cands:
        return None
    return _expand(cands[0], raw_text or text)


@cache
def _exclusive_labels() -> dict[str, tuple[str, ...]]:
    """Labels printed in only one of the two templates (compact, without list prefixes)."""

    def labels(tid: str) -> set[str]:
        t = get_template(tid)
        out = set()
        for tb in t.tables:
            for c in tb.value_columns:
                out.add(_core(c.label))
            for r in tb.rows:
                if r.label:
                    out.add(_core(r.label))
        return {x for x in out if len(x) >= 4}

    a, b = labels("2019"), labels("2021")
    only19 = {x for x in a - b if not any(x in y for y in b)}
    only21 = {x for x in b - a if not any(x in y for y in a)}
    return {"2019": tuple(sorted(only19)), "2021": tuple(sorted(only21))}


def _core(label: str) -> str:
    s = compact(label)
    s = re.sub(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)", "", s)
    s = re.sub(r"[（(].*$", "", s)
    return s[:12]


def detect_template(text: str, year: int | None) -> tuple[str | None, dict[str, int]]:
    c = compact(text).replace("(", "（").replace(")", "）")
    scores = {}
    for tid, labels in _exclusive_labels().items():
        scores[tid] = sum(1 for lab in labels if lab.replace("(", "（").replace(")", "）") in c)
    if scores["2021"] > scores["2019"]:
        return "2021", scores
    if scores["2019"] > scores["2021"]:
        return "2019", scores
    if year is not None and year >= 2019:
        return template_for_year(year).id, scores
    return None, scores
