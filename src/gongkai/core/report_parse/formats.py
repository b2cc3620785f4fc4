"""Text of the report formats: HTML (page chrome and hidden text dropped, tables as pipe rows,
images kept as markers), DOCX (paragraphs and tables in order) and PDF (pdfplumber lines by
position). Used by :mod:`.normalize`. Pure Python: no Django import."""

from __future__ import annotations

import io
import re

# -- HTML ----------------------------------------------------------------------------------
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
    "tr",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "title",
}
_NOISE_ATTR = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|breadcrumb|crumb|share|bdshare|footer|foot|header|head-top|topbar|sidebar|"
    r"side|ad|ads|advert|banner|copyright|position|location|toolbar|print|related|comment|login)(?:$|[\s_\-])",
    re.I,
)


# Accessibility helpers of a saved page: skip links (「跳到主要内容」), text only for screen readers.
_A11Y_ATTR = re.compile(
    r"(?:^|[\s_\-])(?:skip|skip-?link|skip-?to|skipnav|sr-only|visually-?hidden|screen-?reader(?:-text)?|"
    r"element-invisible|hidden|offscreen|assistive(?:-text)?|a11y)(?:$|\s)",
    re.I,
)
_SKIP_TEXT = re.compile(r"^\s*(?:跳(?:到|转到|转至|至|过)|略过|直达|skip\b)", re.I)
_NAV_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary"}


def _is_page_chrome(el) -> bool:
    """Navigation or accessibility text of a web page, not the report's content."""
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    if (el.get("role") or "").strip().lower() in _NAV_ROLES:
        return True
    if _A11Y_ATTR.search((el.get("id") or "") + " " + (el.get("class") or "")):
        return True
    if el.tag == "a" and (el.get("href") or "").startswith("#"):
        return bool(_SKIP_TEXT.match(el.text_content() or ""))
    return False


def html_to_text(html: str, sources: list[tuple[str, str]] | None = None) -> tuple[str, list[str]]:
    """Text of an HTML page with tables as ``| a | b |`` lines; also the image file names.
    ``sources`` (when given) receives ``(marker, src)`` of every picture in page order: the marker
    is the line that stands for the picture in the text (the OCR'd tables take its place).

    Parsed with lxml (the HTML parser BeautifulSoup uses here, without the soup layer: 10x faster)."""
    import lxml.html
    from lxml import etree

    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    if not html.strip():
        return "", []
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html), []
    drop = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:
            if el.getparent() is not None:
                drop.append(el)  # comments, processing instructions
            continue
        if tag in _DROP_TAGS:
            drop.append(el)
            continue
        if tag in ("html", "body", "table", "tr", "td", "th", "tbody", "thead"):
            continue
        if _is_page_chrome(el):
            drop.append(el)
            continue
        attrs = (el.get("id") or "") + " " + (el.get("class") or "")
        if attrs.strip() and _NOISE_ATTR.search(attrs):
            drop.append(el)
    for el in drop:
        if el.getparent() is not None:
            el.drop_tree()
    images: list[str] = []
    parts: list[str] = []

    def img_name(el) -> str:
        src = el.get("src") or el.get("data-src") or el.get("alt") or ""
        if src[:5].lower() == "data:":
            return f"内嵌图片{len(images) + 1}"  # a data: URI, never its payload in the text
        return src.rsplit("/", 1)[-1].split("?", 1)[0]

    def cell_text(td) -> str:
        t = " ".join(x.strip() for x in td.itertext() if x.strip())
        return re.sub(r"\s+", " ", t).replace("|", "｜")

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "img":
            fname = img_name(el)
            if fname:
                images.append(fname)
                parts.append(f"\n{fname}\n")
                if sources is not None:
                    sources.append((fname, el.get("src") or el.get("data-src") or ""))
        elif tag == "table":
            rows = []
            for tr in el.iter("tr"):
                cells = [cell_text(td) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                for img in tr.iter("img"):
                    fname = img_name(img)
                    if fname:
                        images.append(fname)
                        if sources is not None:
                            sources.append(("", img.get("src") or img.get("data-src") or ""))
                if cells:
                    rows.append("| " + " | ".join(cells) + " |")
            parts.append("\n" + "\n".join(rows) + "\n")
        elif tag == "br":
            parts.append("\n")
        else:
            block = tag in _BLOCK_TAGS
            if block:
                parts.append("\n")
            if el.text:
                parts.append(el.text.replace("\n", " "))
            for child in el:
                walk(child)
            if block:
                parts.append("\n")
        if el.tail and el.getparent() is not None:
            parts.append(el.tail.replace("\n", " "))

    body = root.find("body")
    walk(body if body is not None else root)
    text = "".join(parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text, images


_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "iframe",
    "nav",
    "header",
    "footer",
    "form",
    "select",
    "button",
    "head",
}


# -- DOCX / PDF ------------------------------------------------------------------------------
def docx_to_text(data: bytes) -> tuple[str, list[str]]:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    images = []
    for rel in document.part.rels.values():
        if "image" in rel.reltype:
            images.append(rel.target_ref.rsplit("/", 1)[-1])
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            lines.append(text)
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                cells = []
                for tc in tr.iterchildren(qn("w:tc")):
                    # vertically merged continuation cells repeat nothing: keep them blank
                    paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
                    cells.append(
                        re.sub(r"\s+", " ", " ".join(p for p in paras if p)).strip().replace("|", "｜")
                    )
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), images


def pdf_to_text(data: bytes) -> tuple[str, list[str]]:
    import pdfplumber

    lines: list[str] = []
    images: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            tables = []
            try:
                found = page.find_tables()
            except Exception:  # noqa: BLE001 - pdfplumber raises assorted errors
                found = []
            for tb in found:
                tables.append(tb)
            if tables:
                bboxes = [tb.bbox for tb in tables]

                def outside(obj, bboxes=bboxes):
                    x = (obj["x0"] + obj["x1"]) / 2
                    y = (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in bboxes)

                text_page = page.filter(outside)
                # interleave text above/below tables by vertical position
                chunks: list[tuple[float, str]] = []
                words_text = text_page.extract_text() or ""
                y_lines = _lines_with_y(text_page)
                chunks.extend(y_lines)
                for tb in tables:
                    rows = tb.extract() or []
                    block = []
                    for row in rows:
                        cells = [re.sub(r"\s+", "", c or "").replace("|", "｜") for c in row]
                        block.append("| " + " | ".join(cells) + " |")
                    chunks.append((tb.bbox[1], "\n".join(block)))
                if not y_lines and words_text:
                    chunks.append((0.0, words_text))
                chunks.sort(key=lambda c: c[0])
                lines.extend(c[1] for c in chunks)
            else:
                lines.append(page.extract_text() or "")
            if page.images:
                for i, _img in enumerate(page.images, 1):
                    images.append(f"第{pno}页图片{i}")
    return "\n".join(lines), images


def _lines_with_y(page) -> list[tuple[float, str]]:
    try:
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    except Exception:  # noqa: BLE001 - untrusted PDF
        return []
    rows: dict[int, list] = {}
    for w in words:
        key = round(w["top"] / 3)
        rows.setdefault(key, []).append(w)
    out = []
    for key in sorted(rows):
        ws = sorted(rows[key], key=lambda w: w["x0"])
        out.append((ws[0]["top"], " ".join(w["text"] for w in ws)))
    return out


# -- entry ---------------------------------------------------------------------------------
