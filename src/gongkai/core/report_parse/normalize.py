"""Turn a published report (bytes or text, any of .txt/.html/.docx/.pdf) into normalised text.

Output of :func:`normalize_document` is a :class:`NormalizedDoc`: one string of lines in
simplified Chinese with half-width digits. Table rows coming from structured sources (HTML
``<tr>``, DOCX tables, markdown tables) are written as ``| cell | cell |`` lines so the extractor
knows where cells and rows begin; blank cells stay blank (``|  |``). Plain text keeps its lines.

Normalisation steps (all conservative — nothing here creates a digit that was not in the input):

- decoding: BOM / UTF-8 / GB18030 / Big5, HTML meta charset;
- web noise: ``script``/``style``/``nav``/``header``/``footer`` elements, skip links and
  screen-reader-only text (「跳到主要内容」), ARIA navigation roles, share bars, breadcrumb
  lines, copyright/ICP footers, spam lines of copy sites;
- traditional → simplified with OpenCC ``tw2sp`` (Taiwan phrases, e.g. 資訊 → 信息) when the text
  is traditional, followed by repairs derived from the schema labels (``tw2sp`` over-converts
  a few mainland words, e.g. 查詢 → 查找, 文件 → 文档);
- full-width digits, letters, ``．`` ``，`` in numbers, ``－`` → half-width; thousands separators
  inside numbers are removed (``2,180`` → ``2180``);
- page numbers (``- 3 -``, ``第3页``, ``3/12``) and page headers repeated on many pages.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .formats import docx_to_text, html_to_text, pdf_to_text  # noqa: F401 - re-exported

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
# a file name starts where a run of name characters starts (the look-behind): a match can only
# start there anyway, and the engine no longer re-scans every CJK run from each of its characters
_IMAGE_EXT = re.compile(r"\.(?:png|jpe?g|gif|bmp|webp|tiff?)\b", re.I)
IMAGE_RE = re.compile(r"(?<![\w\-.%])[\w\-.%]+\.(?:png|jpe?g|gif|bmp|webp|tiff?)\b", re.I)


@dataclass
class NormalizedDoc:
    text: str
    kind: str  # txt | html | docx | pdf
    images: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, file name)
    traditional: bool = False
    raw_text: str = ""  # decoded text before noise removal (for agency look-ups in footers)
    errors: list[str] = field(default_factory=list)
    ocr: dict | None = None  # tables read from images: template, confidences, low-confidence cells


# -- decoding -----------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w\-]+)""", re.I)


def decode_bytes(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = _META_CHARSET.search(data[:4096])
    candidates = []
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore").lower())
    candidates += ["utf-8", "gb18030", "big5"]
    for enc in candidates:
        if enc in ("gb2312", "gbk"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


# -- traditional -> simplified -------------------------------------------------------------
@cache
def _converters():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("tw2sp")


@cache
def _label_repairs() -> tuple[tuple[str, str], ...]:
    """Pairs (tw2sp output -> printed form) for template labels that ``tw2sp`` does not bring
    back as printed (e.g. 行政查詢事項 -> 行政查找事项). Derived from the schema, plus 文档->文件
    (Taiwan 文件 is mapped to mainland 文档; reports only ever mean 文件)."""
    import opencc

    from gongkai.core.report_schema import TEMPLATE_IDS, get_template

    to_trad = [opencc.OpenCC(c) for c in ("s2twp", "s2tw", "s2t")]
    _, tw = _converters()
    labels: set[str] = set()
    for tid in TEMPLATE_IDS:
        t = get_template(tid)
        for s in t.sections:
            labels.add(s.title)
            labels.update(s.title_variants)
        for tb in t.tables:
            if tb.caption:
                labels.add(tb.caption)
            labels.update(c.label for c in tb.columns)
            labels.update(r.label for r in tb.rows if r.label)
            if tb.header_note:
                labels.add(tb.header_note)
    labels.update({"规范性文件", "行政规范性文件", "政府信息公开"})
    # tw2sp maps these back to Taiwan-usage words a mainland report never meant
    pairs: dict[str, str] = {"文档": "文件", "查找": "查询"}
    for label in labels:
        for conv in to_trad:
            back = tw.convert(conv.convert(label))
            if back == label or len(back) != len(label):
                continue
            i = 0
            while i < len(label):
                if back[i] == label[i]:
                    i += 1
                    continue
                j = i
                while j < len(label) and back[j] != label[j]:
                    j += 1
                a, b = max(0, i - 1), min(len(label), j + 1)
                pairs[back[a:b]] = label[a:b]
                i = j
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


_CJK = re.compile(r"[\u4e00-\u9fff]")


# characters that exist only in traditional script and are frequent in these reports
_TRAD_HINT = re.compile("[開資訊們這說為國與對會關發務機書報處區縣圖門體總時實際當們進經業]")


def is_traditional(text: str) -> bool:
    sample = text[:6000]
    if len(_TRAD_HINT.findall(sample)) < 5:
        return False
    t2s, _ = _converters()
    converted = t2s.convert(sample)
    changed = sum(map(str.__ne__, sample, converted))
    cjk = len(_CJK.findall(sample)) or 1
    return changed >= 5 and changed / cjk > 0.01


def to_simplified(text: str) -> str:
    _, tw = _converters()
    out = tw.convert(text)
    for bad, good in _label_repairs():
        if bad in out:
            out = out.replace(bad, good)
    return out


# -- width / numbers ---------------------------------------------------------------------
_FW_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FW_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FW_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FW_TABLE.update(
    {
        0xFF05: "%",
        0xFF0B: "+",
        0xFF0D: "-",  # －
        0x2212: "-",  # − minus sign
        0xFF0F: "/",
        0x3000: " ",  # ideographic space
        0x00A0: " ",
        0x2002: " ",
        0x2003: " ",
        0x2009: " ",
        0x200B: "",
        0xFEFF: "",
        0x200C: "",
        0x200D: "",
    }
)
# str.translate looks every character of the text up in the table; a regex over the few characters
# to replace skips the rest at C speed (6x faster on a report).
_FW_CHARS = {chr(k): (v if isinstance(v, str) else chr(v)) for k, v in _FW_TABLE.items()}
_FW_RUN = re.compile("[" + re.escape("".join(_FW_CHARS)) + "]+")


def _fw_sub(m: re.Match) -> str:
    return "".join(_FW_CHARS[c] for c in m.group())


_NUM_SEP = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_FW_DOT = re.compile(r"(?<=\d)[．。](?=\d)")


def normalize_width(text: str) -> str:
    text = _FW_RUN.sub(_fw_sub, text)
    text = _FW_DOT.sub(".", text)
    # thousands separators only where every group after the first has 3 digits
    text = re.sub(r"\d{1,3}(?:[,，]\d{3})+(?![\d,，])", lambda m: _NUM_SEP.sub("", m.group(0)), text)
    return text


# -- noise -----------------------------------------------------------------------------------
_NOISE_LINE = re.compile(
    r"^\s*(?:"
    r"当前位置|您的位置|您现在的位置|首页\s*[>＞»]|分享[:：到]?|字号[:：]|【?\s*字体[:：]|打印(?:本页)?\s*$|关闭(?:窗口|本页)?\s*$|"
    r"扫一扫|微信\s*微博|收藏本页|返回顶部|上一篇|下一篇|相关(?:链接|文章|阅读|推荐)|"
    r"copyright|版权所有|备案号|[\u4e00-\u9fff]ICP[备证]|ICP[备证]|公网安备|网站标识码|网站地图|主办[:：]|承办[:：]|协办[:：]|技术支持[:：]|"
    r"联系我们|您访问的链接即将离开|已归档|浏览次数|访问量[:：]|点击数|责任编辑|附件下载\s*$|文件下载|"
    r"全真版|文字版"
    r")",
    re.I,
)
# (the look-aheads on the first characters of the alternatives let the engine skip ahead)
_SPAM = re.compile(
    r"(?=[P电模试老棋博彩娱百真b体官开注a])(?:PG电子|电子游戏|模拟器|试玩|老虎机|棋牌|博彩|彩票|娱乐城|百家乐|真人视讯|bet365|体育投注|官方网站\)|开户|注册送|app下载)",
    re.I,
)
_FOOTER_ANY = re.compile(
    r"(?=[备I公版c网技])(?:备案号|ICP[备证]|公网安备|版权所有|copyright|网站标识码|技术支持[:：])", re.I
)
_INLINE_NOISE = [
    re.compile(r"当前位置[:：]\s*首页.*?(?=\s[^\s]{2,40}?\d{4}\s*年)"),
    re.compile(
        r"微信\s*微博\s*QQ空间(?:\s*全真版)?(?:\s*文字版)?(?:\s*文件下载)?(?:\s*相关链接[:：])?\s*(?:-->)?"
    ),
    re.compile(r"\s附件下载\s*$"),
]
_PAGE_NO = re.compile(
    r"^\s*(?:[-—–─_]\s*\d{1,3}\s*[-—–─_]|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|page\s*\d+(?:\s*of\s*\d+)?)\s*$",
    re.I,
)


_FIGURES_ONLY = re.compile(r"[\d\s|.\-]+")
_DIGIT = re.compile(r"\d")


def strip_noise_lines(text: str) -> str:
    lines = text.split("\n")
    out = []
    # a pattern absent from the whole text is absent from every line: one scan instead of one
    # call per line
    spam = _SPAM.search(text) is not None
    footer = _FOOTER_ANY.search(text) is not None
    for line in lines:
        s = line.strip()
        if not s:
            out.append("")
            continue
        if _PAGE_NO.match(s):
            continue
        if len(s) < 80 and _NOISE_LINE.match(s):
            continue
        if spam and _SPAM.search(s) and len(s) < 200:
            continue
        if footer and len(s) < 150 and _FOOTER_ANY.search(s):
            continue
        out.append(line)
    # repeated page headers: short lines occurring >= 3 times, not table rows, no digits-only
    counts: dict[str, int] = {}
    for line in out:
        s = line.strip()
        if 4 <= len(s) <= 40 and not s.startswith("|") and not _FIGURES_ONLY.fullmatch(s):
            counts[s] = counts.get(s, 0) + 1
    repeated = {s for s, n in counts.items() if n >= 3 and not _DIGIT.search(s)}
    if repeated:
        out = [line for line in out if line.strip() not in repeated]
    text = "\n".join(out)
    for rx in _INLINE_NOISE:
        text = rx.sub(" ", text)
    return text


def detect_kind(data: bytes | str, filename: str) -> str:
    name = (filename or "").lower()
    if name.endswith((".html", ".htm", ".shtml", ".xhtml")):
        return "html"
    if name.endswith(".docx"):
        return "docx"
    if name.endswith(".pdf"):
        return "pdf"
    if name.endswith((".png", ".jpg", ".jpeg")):
        return "image"
    if isinstance(data, bytes):
        if data.startswith(b"%PDF"):
            return "pdf"
        if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            return "image"
        if data.startswith(b"PK\x03\x04") and b"word/" in data[:4000]:
            return "docx"
        head = data[:2000].lower()
        if b"<html" in head or b"<!doctype html" in head or b"<table" in head or b"<p" in head[:200]:
            return "html"
    else:
        head = data[:2000].lower()
        if (
            "<html" in head
            or "<!doctype html" in head
            or ("<p" in head and "</p>" in head)
            or "<table" in head
        ):
            return "html"
    return "txt"


def normalize_document(data: bytes | str, filename: str, assets=None) -> NormalizedDoc:
    """``assets``: ``src -> bytes | None``, the files an HTML page refers to (its folder)."""
    kind = detect_kind(data, filename)
    sources: list[tuple[str, str]] = []
    images: list[str] = []
    errors: list[str] = []
    if kind == "docx":
        if isinstance(data, str):
            raise ValueError("DOCX 文件需以二进制读取")
        text, images = docx_to_text(data)
    elif kind == "pdf":
        if isinstance(data, str):
            raise ValueError("PDF 文件需以二进制读取")
        text, images = pdf_to_text(data)
    elif kind == "image":
        if isinstance(data, str):
            raise ValueError("图片文件需以二进制读取")
        text = ""
    else:
        text = decode_bytes(data) if isinstance(data, bytes) else data
        if kind == "html":
            text, images = html_to_text(text, sources)
    ocr_meta = None
    embedded = kind in ("docx", "html") and images and not _TABLE_FIGURES.search(text)
    if kind == "image" or (kind == "pdf" and _no_text_layer(text)) or embedded:
        # tables printed as images (inside a DOCX, in or beside an HTML page) / a scanned PDF:
        # read the table grids
        from . import ocr

        tables = []
        if kind == "docx":
            pages = ocr.docx_images(data)
        elif kind == "html":
            pages = ocr.html_images(sources, assets)
        else:
            pages = ocr.images_of(data, kind)
        markers = [m for m, _ in pages] if kind == "html" else []
        if kind == "html":
            pages = [img for _, img in pages]
        for i, img in enumerate(pages):
            tables += ocr.read_tables(img, page=i)
        if tables:
            ocr_text, ocr_meta = ocr.tables_to_text(tables)
            if markers:
                text = _place_tables(text, markers, tables, ocr_meta["template"])
            else:
                text = (text + "\n" + ocr_text) if text.strip() else ocr_text
        else:
            errors.append("图片或扫描件中未找到可识别的第三、四部分表格")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    trad = is_traditional(text)
    if trad:
        text = to_simplified(text)
    text = normalize_width(text)
    raw_text = text
    text = strip_noise_lines(text)
    # image names mentioned in text (text dumps of pages with image tables keep "1.png")
    found: list[tuple[int, str]] = []
    if _IMAGE_EXT.search(text):  # a quick scan for the extension first
        found += [(m.start(), m.group(0)) for m in IMAGE_RE.finditer(text)]
    named = {n for _, n in found}
    found += [(-1, n) for n in images if n not in named]
    return NormalizedDoc(
        text=text, kind=kind, images=found, traditional=trad, raw_text=raw_text, errors=errors, ocr=ocr_meta
    )


def _place_tables(text: str, markers: list[str], tables, template: str) -> str:
    """The tables read from each picture of an HTML page put where the picture stands (its marker
    line), so Section 3 and Section 4 keep their places between the headings; a picture without
    a marker line (inside a table) has its tables appended."""
    from . import ocr

    tail = []
    for i, marker in enumerate(markers):
        mine = [t for t in tables if t.page == i]
        if not mine:
            continue
        chunk = ocr.tables_to_text(mine, template)[0]
        line = f"\n{marker}\n"
        if marker and line in text:
            text = text.replace(line, f"\n{chunk}\n", 1)
        else:
            tail.append(chunk)
    return "\n".join([text, *tail])


_TABLE_FIGURES = re.compile(r"本年新收[^\n]{0,60}?\d")  # Section 3's first row printed as text


def _no_text_layer(text: str) -> bool:
    """A PDF whose pages carry (almost) no text: scanned, or its tables are images."""
    return len(re.sub(r"\s", "", text)) < 200
