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
class PageLink:
    """A link (or a 文号 named without a link) to another document: ``relation`` ``amended`` /
    ``repealed`` / ``expired`` (the page's 有效性 notice: 「本文件已被《…》废止」, 「本文件已修改，
    见…」, 「本规定已于…失效」; ``href`` empty when it names no link) or ``related`` (listed under
    相关文件); ``date`` when the notice gives one."""

    relation: str
    href: str = ""
    text: str = ""
    doc_number: str = ""
    date: dt.date | None = None


@dataclass
class ParsedPage:
    title: str = ""
    body: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # raw label values by field name
    written_on: dt.date | None = None
    published_on: dt.date | None = None
    validity: str = ""  # in_force | amended | repealed | expired | ""
    problems: list[str] = field(default_factory=list)  # Chinese notes (unreadable date …)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (href, link text)
    links: list[PageLink] = field(default_factory=list)  # replaced-by / related documents


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
    page.attachments = attachment_links(root)
    page.links = document_links(root)
    notice = next((ln.relation for ln in page.links if ln.relation != "related"), "")
    if notice and page.validity in ("", "in_force"):  # the notice is newer than the metadata block
        page.validity = notice
    return page


# -- links: attachments and the documents replacing this one ---------------------------------
ATTACHMENT_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".wps",
    ".xls",
    ".xlsx",
    ".et",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[（(【]\s*(?:19|20)\d{2}\s*[〕\]）)】]\s*第?\s*\d{1,4}\s*号"
)
# 「本文件已被《…》（…号）废止」 「该规定已于2023年5月1日被…修订」 「本文件已修改，见《…》」:
# the document itself as the subject, then the verb (outside the 《titles》 it names)
_SUBJECT = re.compile(
    r"(?:本|该|此)(?:规范性)?(?:文件|件|规定|办法|通知|意见|决定|规章|细则|方案|政策|条例|规则)"
    r".{0,6}?(?:已被|已经|已于|已)"
)
_VERBS = re.compile(r"修改|修订|修正|废止|替代|取代|代替|失效|有效期届满")
VERB_RELATION = {"修改": "amended", "修订": "amended", "修正": "amended", "失效": "expired"}
VERB_RELATION["有效期届满"] = "expired"
_NUMBER_LEAD = re.compile(r"^.*[被见日据照的即]")


def doc_number_in(text: str) -> str:
    """The first 发文字号 in ``text`` (without the words before it: 「…日被临政发〔2021〕30号」)."""
    m = _DOC_NUMBER.search(text)
    if not m:
        return ""
    head, _, tail = m[0].partition(re.search(r"[〔\[（(【]", m[0])[0])
    return _NUMBER_LEAD.sub("", head) + m[0][len(head) :]


_RELATED = re.compile(r"^\s*(?:相关文件|相关政策|关联文件|相关链接)")
_NOTICE_TAGS = ("p", "div", "li", "span", "td", "font", "strong", "b", "em", "section")


def _path_suffix(href: str) -> str:
    path = re.split(r"[?#]", href, maxsplit=1)[0].lower()
    return "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""


def attachment_links(root) -> list[tuple[str, str]]:
    """``(href, text)`` of every link to a file (附件: PDF, Word, WPS, Excel, images, text),
    each href once, in page order."""
    out, seen = [], set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and href not in seen and _path_suffix(href) in ATTACHMENT_SUFFIXES:
            seen.add(href)
            out.append((href, _text(a)))
    return out


def _notice(el) -> str:
    """The relation a short block announces (amended / repealed), else ''."""
    text = _text(el)
    if not text or len(text) > 200:
        return ""
    m = _SUBJECT.search(text)
    # the verb of the same sentence, outside the titles it names
    verb = _VERBS.search(re.sub(r"《[^》]*》", "", text[m.end() :]).split("。")[0][:130]) if m else None
    return VERB_RELATION.get(verb[0], "repealed") if verb else ""


def _is_page_href(href: str) -> bool:
    return (
        bool(href)
        and not href.startswith(("#", "javascript:", "mailto:"))
        and (_path_suffix(href) not in ATTACHMENT_SUFFIXES)
    )


def document_links(root) -> list[PageLink]:
    """The 有效性 notices (the innermost short block saying the document was amended or
    repealed: its link, else the 文号 it names, and its date) and the links listed under 相关文件."""
    out: list[PageLink] = []
    noticed = set()
    for el in root.iter(*_NOTICE_TAGS):
        relation = _notice(el)
        if not relation or any(_notice(c) for c in el.iterdescendants(*_NOTICE_TAGS)):
            continue
        noticed.add(el)
        text = _text(el)
        date = parse_date(text)
        anchors = [a for a in el.iter("a") if _is_page_href((a.get("href") or "").strip())]
        if anchors:
            for a in anchors:
                number = doc_number_in(_text(a)) or doc_number_in(text)
                out.append(PageLink(relation, a.get("href").strip(), _text(a), number, date))
        else:  # the 文号 it names (if any) and the date still count
            out.append(PageLink(relation, "", text, doc_number_in(text), date))
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not _is_page_href(href) or any(p in noticed for p in a.iterancestors()):
            continue
        if any(_RELATED.match(_text(p)[:12]) for p in _ancestors_and_headings(a)):
            out.append(PageLink("related", href, _text(a), doc_number_in(_text(a))))
    return out


def _ancestors_and_headings(a, depth: int = 4):
    """Up to ``depth`` ancestors of ``a`` and the element just before each (a 相关文件 heading)."""
    for p in list(a.iterancestors())[:depth]:
        yield p
        prev = p.getprevious()
        if prev is not None and isinstance(prev.tag, str):
            yield prev
