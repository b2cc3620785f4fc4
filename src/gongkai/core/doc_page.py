"""Saved document pages of government websites (政府网站文件页面): the metadata block they print
(索引号, 发文机关, 成文日期, 发布日期, 文号, 主题分类, 有效性 … in their usual label variants) and
the body. Plain Python (lxml), no Django; used by ``gongkai import-documents``.

Pages print the block as a table (``<td>索引号：</td><td>000014349/2021-00001</td>``), as
label/value pairs in lists or divs (``<li><span>发文机关：</span>国务院办公厅</li>``), or inline
(``索引号：… 主题分类：…``); many also carry ``<meta name="ArticleTitle" …>`` /
``<meta name="PubDate" …>``. Dates come as 2021-01-05, 2021年1月5日, 2021/1/5, 2021.01.05 or in
Chinese numerals (二〇二一年一月五日).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# field -> label variants (spaces inside labels are ignored: 索 引 号)
LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索取号", "信息索引号"),
    "issuer": (
        "发文机关",
        "发布机构",
        "发文单位",
        "发布机关",
        "制发机关",
        "成文机关",
        "发文机构",
        "公开主体",
    ),
    "written_on": ("成文日期", "成文时间", "印发日期", "制发日期", "发文日期", "生成日期"),
    "published_on": ("发布日期", "发布时间", "公开日期", "公开时间", "发文时间"),
    "doc_number": ("发文字号", "文号", "发文文号", "文件编号"),
    "topic": ("主题分类", "主题类别", "主题分类名称", "分类", "主题"),
    "validity": ("有效性", "效力状态", "时效性", "有效状态", "是否有效", "效力"),
    "title": ("标题", "文件名称", "信息名称", "名称"),
    "doc_type": ("文种", "体裁分类", "体裁"),
    "keywords": ("主题词", "关键词"),
    "summary": ("内容概述", "内容概要", "摘要"),
}
_LABEL_TO_FIELD = {label: f for f, labels in LABELS.items() for label in labels}
# longest first, so 发文字号 wins over 文号 and 主题分类 over 分类
_ALL_LABELS = sorted(_LABEL_TO_FIELD, key=len, reverse=True)


def _spaced(label: str) -> str:
    return r"\s*".join(map(re.escape, label))


_LABEL_RE = "|".join(_spaced(label) for label in _ALL_LABELS)
_PAIR = re.compile(rf"(?:^|(?<=[\s|｜【\[（(]))(?P<label>{_LABEL_RE})\s*[：:]\s*")
_CELL_LABEL = re.compile(rf"^\s*(?P<label>{_LABEL_RE})\s*[：:]?\s*$")

VALIDITY_WORDS = (
    ("in_force", ("现行有效", "有效", "继续有效", "正在施行")),
    ("amended", ("已修改", "已修订", "修改", "修订")),
    ("repealed", ("已废止", "废止", "宣布废止")),
    ("expired", ("已失效", "失效", "已过期", "过期")),
)


@dataclass
class ParsedPage:
    title: str = ""
    body: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # raw label values by field name
    written_on: dt.date | None = None
    published_on: dt.date | None = None
    validity: str = ""  # in_force | amended | repealed | expired | ""
    problems: list[str] = field(default_factory=list)  # Chinese notes (unreadable date …)


# -- dates ------------------------------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})")
_CN_DATE = re.compile(
    r"(?P<y>[〇零○ＯO一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def _cn_number(text: str) -> int:
    """一 … 三十一 (the numbers of months and days)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` (any of the forms above), or None."""
    text = (text or "").translate(_FULLWIDTH)
    for rx, conv in ((_DATE, int), (_CN_DATE, None), (_COMPACT, int)):
        m = rx.search(text)
        if not m:
            continue
        try:
            if conv is None:
                y = int("".join(str(_CN_DIGITS[c]) for c in m["y"]))
                return dt.date(y, _cn_number(m["m"]), _cn_number(m["d"]))
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except (ValueError, KeyError):
            continue
    return None


_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")


def parse_validity(text: str) -> str:
    t = re.sub(r"\s+", "", text or "")
    for key, words in VALIDITY_WORDS:
        if t in words:
            return key
    for key, words in VALIDITY_WORDS[1:]:  # "已于2020年废止" etc.
        if any(w in t for w in words):
            return key
    return "in_force" if "有效" in t else ""


def normalize_label(label: str) -> str:
    return re.sub(r"\s+", "", label)


# -- metadata ---------------------------------------------------------------------------------
def pairs_from_line(line: str) -> list[tuple[str, str]]:
    """Label/value pairs of one text line: table rows ``| 索引号： | 1 | 文号 | 2 |`` or inline
    ``索引号：1  主题分类：2``."""
    line = line.strip()
    if line.startswith("|") and line.endswith("|"):
        cells = [c.strip() for c in line.strip("|").split("|")]
        out = []
        i = 0
        while i < len(cells):
            m = _CELL_LABEL.match(cells[i])
            if m and i + 1 < len(cells) and not _CELL_LABEL.match(cells[i + 1]):
                out.append((normalize_label(m["label"]), cells[i + 1]))
                i += 2
                continue
            out.extend(pairs_from_line(cells[i]))  # "索引号：1" inside one cell
            i += 1
        return out
    matches = list(_PAIR.finditer(line))
    out = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
        value = line[m.end() : end].strip(" \t|｜　;；")
        out.append((normalize_label(m["label"]), value))
    return out


def metadata_from_lines(lines: list[str]) -> dict[str, str]:
    """The first value of each field found (labels mapped to field names)."""
    found: dict[str, str] = {}
    for line in lines:
        for label, value in pairs_from_line(line):
            name = _LABEL_TO_FIELD.get(label)
            if name and value and name not in found:
                found[name] = value
    return found


# -- HTML -------------------------------------------------------------------------------------
_BODY_HINTS = re.compile(
    r"(?:^|[\s_-])(?:zoom|ucap-content|trs_editor|pages_content|article-content|article_con|content|"
    r"zwnr|con_text|view|TRS_UEDITOR|main-text|detail)(?:$|[\s_-])",
    re.I,
)
_TITLE_SUFFIX = re.compile(r"\s*[_|｜\-—–]\s*[^_|｜\-—–]*(?:政府|网站|门户|人民政府网|政府网)[^_|｜\-—–]*$")


def _text(el) -> str:
    return re.sub(r"[ \t\u3000]+", " ", el.text_content() or "").strip()


def _meta(root, *names: str) -> str:
    for n in names:
        for el in root.xpath(f'//meta[@name="{n}" or @property="{n}"]'):
            v = (el.get("content") or "").strip()
            if v:
                return v
    return ""


def _body_element(root):
    """The element holding the document's text: a known content container, else the largest
    text block that is not the metadata table."""
    best, best_len = None, 0
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in ("div", "td", "article", "section"):
            continue
        hint = f"{el.get('id', '')} {el.get('class', '')}"
        if not _BODY_HINTS.search(hint):
            continue
        n = len(_text(el))
        if n > best_len:
            best, best_len = el, n
    return best


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "span", "font", "b", "strong"}


def page_lines(root) -> list[str]:
    """Every table row (``| a | b |``) and text block of the page, in order, nothing dropped
    (navigation too: the metadata block sits in containers named like page furniture)."""
    lines: list[str] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style"):
            continue
        if tag == "tr":
            cells = [_text(td) for td in el if isinstance(td.tag, str) and td.tag in ("td", "th")]
            lines.append("| " + " | ".join(cells) + " |")
        elif tag in _BLOCKS or (tag == "div" and (el.text or "").strip()):
            if any(a.tag in ("tr", "p", "li") for a in el.iterancestors() if isinstance(a.tag, str)):
                continue
            line = _text(el) if tag != "div" else re.sub(r"\s+", " ", el.text).strip()
            if line:
                lines.append(line)
    return lines


def parse_page(html: str) -> ParsedPage:
    """Parse a saved page (already decoded: see ``report_parse.normalize.decode_bytes``)."""
    import lxml.html

    from .report_parse.normalize import html_to_text

    page = ParsedPage()
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        page.problems.append("页面无法解析为 HTML")
        return page
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    lines = page_lines(root)
    page.fields = metadata_from_lines(lines)
    title = page.fields.get("title") or _meta(root, "ArticleTitle", "og:title", "title")
    if not title:
        h = root.xpath("//h1|//h2")
        title = _text(h[0]) if h else ""
    if not title:
        t = root.xpath("//title")
        title = _TITLE_SUFFIX.sub("", _text(t[0])) if t else ""
    page.title = title.strip()
    body_el = _body_element(root)
    if body_el is not None:
        body_text, _ = html_to_text(lxml.html.tostring(body_el, encoding="unicode"))
    else:  # lines after the metadata block that carry no label
        body_text = "\n".join(
            ln
            for ln in lines
            if not ln.startswith("|") and not pairs_from_line(ln) and ln.strip() != page.title
        )
    page.body = "\n".join(ln.strip() for ln in body_text.split("\n") if ln.strip())
    for name, fallback in (("written_on", ()), ("published_on", ("PubDate", "firstpublishedtime"))):
        raw = page.fields.get(name) or (_meta(root, *fallback) if fallback else "")
        if raw:
            value = parse_date(raw)
            if value is None:
                page.problems.append(f"无法识别的日期：{raw}")
            setattr(page, name, value)
    if page.written_on is None:  # the date printed under the signature: 二〇二一年一月五日
        tail = page.body[-200:]
        page.written_on = parse_date(tail) if _CN_DATE.search(tail) else None
    if page.fields.get("validity"):
        page.validity = parse_validity(page.fields["validity"])
        if not page.validity:
            page.problems.append(f"无法识别的有效性：{page.fields['validity']}")
    return page
