"""Render an official letter (公文, GB/T 9704-2012 style, 信函式) to DOCX, PDF and plain text.

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
title in 2号 (22 pt) bold, body in 3号 (16 pt) on a fixed 28.95 pt line (22 lines per page),
2-character first-line indent; 文号 right-aligned under the title (信函格式); addressee flush left
with a full-width colon; 附件说明 after the body; the signature block (agency name centred over the
date, the date 右空四字) with the seal note; 附注 in parentheses under the date; 抄送 in a ruled
版记 block; page numbers "— n —" in 4号 at the foot.

Fonts: the DOCX names the official 公文 faces (方正小标宋简体, 仿宋_GB2312, page numbers in 宋体)
through ``w:rFonts`` including ``w:eastAsia``, so Word on a government PC renders them. They are
commercial and not in Debian, so the PDF (and HTML) embed ``Noto Serif CJK SC`` (Debian
``fonts-noto-cjk``) instead, named explicitly: generic CSS families fall back to DejaVu in
WeasyPrint. Install ``libharfbuzz-subset0`` too (a page takes 12 s without it).

Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field

A4_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
FOOTER_PT = 14  # 4号
LINE_PT = 28.95  # 225 mm / 22 lines
DATE_RIGHT_INDENT_CHARS = 4  # 成文日期右空四字


@dataclass(frozen=True)
class Fonts:
    body: str = "Noto Serif CJK SC"  # stands in for 仿宋_GB2312
    title: str = "Noto Serif CJK SC"  # bold, stands in for 方正小标宋简体
    latin: str = "Noto Serif CJK SC"


DEFAULT_FONTS = Fonts()  # PDF/HTML: the free faces WeasyPrint embeds
OFFICIAL_FONTS = Fonts(body="仿宋_GB2312", title="方正小标宋简体", latin="宋体")  # DOCX: what Word has


@dataclass
class Letter:
    """An official letter. ``paragraphs`` are body paragraphs (each gets a 2-char indent)."""

    title: str
    paragraphs: list[str]
    agency_name: str
    date: dt.date
    doc_number: str = ""
    addressee: str = ""
    attachments: list[str] = field(default_factory=list)  # 附件说明, one item each
    notes: list[str] = field(default_factory=list)  # 附注, e.g. 联系人：…，联系电话：…
    cc: list[str] = field(default_factory=list)  # 抄送
    seal_note: str = "（印章）"

    @property
    def addressee_line(self) -> str:
        a = self.addressee.strip()
        if not a:
            return ""
        return a if a.endswith(("：", ":")) else a + "："

    @property
    def date_text(self) -> str:
        return cn_date(self.date)


def cn_date(d: dt.date) -> str:
    """2026年11月3日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _width_em(s: str) -> float:
    """Visual width in ems: CJK/full-width = 1, other characters = 0.5."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in s)


def signature_indents(agency_name: str, date_text: str) -> tuple[float, float]:
    """Right indents (in ems) of the agency name and the date: the name is centred over the date,
    the date sits 4 characters from the right edge; a long name pushes both to the left edge rule
    (name at least 2 characters from the right)."""
    wn, wd = _width_em(agency_name), _width_em(date_text)
    date_ind = float(DATE_RIGHT_INDENT_CHARS)
    name_ind = date_ind + (wd - wn) / 2
    if name_ind < 2:
        name_ind = 2.0
        date_ind = name_ind + (wn - wd) / 2
    return name_ind, date_ind


_CLOSING = re.compile(r"^特此[\u4e00-\u9fff]{1,4}[。！]?$")


def split_closing(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """``(body, closing)``: the trailing closing formula (特此告知。/特此通知。…) apart from the body."""
    k = len(paragraphs)
    while k > 0 and _CLOSING.match(paragraphs[k - 1]):
        k -= 1
    if k == 0:  # nothing but a closing: it is the body
        return paragraphs, []
    return paragraphs[:k], paragraphs[k:]


def _attachment_lines(letter: Letter) -> list[str]:
    items = [a for a in letter.attachments if a.strip()]
    if not items:
        return []
    if len(items) == 1:
        return [f"附件：{items[0]}"]
    out = [f"附件：1.{items[0]}"]
    out += [f"{i}.{a}" for i, a in enumerate(items[1:], start=2)]
    return out


def _note_text(n: str) -> str:
    n = n.strip()
    return n if n.startswith("（") else f"（{n}）"


def _cc_text(letter: Letter) -> str:
    return "抄送：" + "，".join(c.strip() for c in letter.cc if c.strip()) + "。"


# ---------------------------------------------------------------------------------------------
# Plain text


def render_text(letter: Letter) -> str:
    """Plain-text rendering (stored beside the files; searchable; used in e-mails)."""
    out = [letter.title]
    if letter.doc_number:
        out.append(letter.doc_number)
    out.append("")
    if letter.addressee_line:
        out.append(letter.addressee_line)
    out += ["　　" + p.strip() for p in letter.paragraphs if p.strip()]
    att = _attachment_lines(letter)
    if att:
        out.append("")
        out.append("　　" + att[0])
        out += ["　　　　　" + a for a in att[1:]]
    out.append("")
    if letter.seal_note:
        out.append(letter.seal_note)
    out += [letter.agency_name, letter.date_text]
    out += [_note_text(n) for n in letter.notes if n.strip()]
    if any(c.strip() for c in letter.cc):
        out += ["", _cc_text(letter)]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# HTML / PDF


def render_html(letter: Letter, fonts: Fonts = DEFAULT_FONTS) -> str:
    """Self-contained HTML page (print CSS for WeasyPrint)."""
    e = html.escape
    name_ind, date_ind = signature_indents(letter.agency_name, letter.date_text)
    m = MARGINS_MM
    css = f"""
@page {{
  size: A4;
  margin: {m["top"]}mm {m["right"]}mm {m["bottom"]}mm {m["left"]}mm;
  @bottom-center {{
    content: "— " counter(page) " —";
    font-family: '{fonts.latin}';
    font-size: {FOOTER_PT}pt;
    vertical-align: top;
    padding-top: 7mm;
  }}
}}
html {{ font-family: '{fonts.body}', 'Noto Serif CJK SC', 'Noto Sans CJK SC'; font-size: {BODY_PT}pt; }}
body {{ margin: 0; line-height: {LINE_PT}pt; }}
h1 {{ font-family: '{fonts.title}', 'Noto Serif CJK SC'; font-size: {TITLE_PT}pt; font-weight: bold;
      text-align: center; line-height: 1.45; margin: 0 0 {LINE_PT / 2:.2f}pt 0; }}
p {{ margin: 0; }}
.docno {{ text-align: right; }}
.addressee {{ margin-top: {LINE_PT:.2f}pt; }}
.body {{ text-indent: 2em; text-align: justify; }}
.attachments {{ margin-top: {LINE_PT:.2f}pt; }}
.attachments p {{ text-indent: 2em; }}
.attachments p.cont {{ text-indent: 0; padding-left: 5em; }}
.keep {{ break-inside: avoid; break-before: avoid; }}
.body.last {{ widows: 2; orphans: 2; }}
.signature {{ margin-top: {LINE_PT * 2:.2f}pt; }}
.signature p {{ text-align: right; }}
.seal {{ color: #b0281d; }}
.notes {{ margin-top: {LINE_PT:.2f}pt; }}
.notes p {{ text-indent: 2em; }}
.cc {{ margin-top: {LINE_PT:.2f}pt; border-top: 0.35mm solid #000; border-bottom: 0.35mm solid #000;
       font-size: {FOOTER_PT}pt; padding: 0 1em; line-height: 2; }}
"""
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">']
    parts.append(f"<title>{e(letter.title)}</title><style>{css}</style></head><body>")
    parts.append(f"<h1>{e(letter.title)}</h1>")
    if letter.doc_number:
        parts.append(f'<p class="docno">{e(letter.doc_number)}</p>')
    if letter.addressee_line:
        parts.append(f'<p class="addressee">{e(letter.addressee_line)}</p>')
    body, closing = split_closing([p.strip() for p in letter.paragraphs if p.strip()])
    for p in body[:-1]:
        parts.append(f'<p class="body">{e(p)}</p>')
    # GB/T 9704: the page carrying the seal must carry body text. The closing (特此告知。), the
    # attachment list, the signature block and the notes (联系人…) are kept on one page, and that
    # page takes at least the last two lines of the last body paragraph with them: a page break
    # falls inside that paragraph when the block does not fit, never leaving room for nothing.
    if body:
        parts.append(f'<p class="body last">{e(body[-1])}</p>')
    parts.append('<div class="keep">')
    for p in closing:
        parts.append(f'<p class="body">{e(p)}</p>')
    att = _attachment_lines(letter)
    if att:
        parts.append('<div class="attachments">')
        parts.append(f"<p>{e(att[0])}</p>")
        parts += [f'<p class="cont">{e(a)}</p>' for a in att[1:]]
        parts.append("</div>")
    parts.append('<div class="signature">')
    if letter.seal_note:
        parts.append(f'<p class="seal" style="padding-right:{name_ind:.2f}em">{e(letter.seal_note)}</p>')
    parts.append(f'<p style="padding-right:{name_ind:.2f}em">{e(letter.agency_name)}</p>')
    parts.append(f'<p style="padding-right:{date_ind:.2f}em">{e(letter.date_text)}</p>')
    parts.append("</div>")
    notes = [n for n in letter.notes if n.strip()]
    if notes:
        parts.append('<div class="notes">' + "".join(f"<p>{e(_note_text(n))}</p>" for n in notes) + "</div>")
    parts.append("</div>")
    if any(c.strip() for c in letter.cc):
        parts.append(f'<div class="cc">{e(_cc_text(letter))}</div>')
    parts.append("</body></html>")
    return "\n".join(parts)


def render_pdf(letter: Letter, fonts: Fonts = DEFAULT_FONTS) -> bytes:
    """PDF bytes via WeasyPrint (needs Debian fonts-noto-cjk + libharfbuzz-subset0)."""
    import logging

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # per-step INFO chatter

    from weasyprint import HTML  # imported lazily: heavy, and only needed here

    return HTML(string=render_html(letter, fonts)).write_pdf()


# ---------------------------------------------------------------------------------------------
# DOCX


def _set_run_fonts(run, font: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = font
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _add_page_number_footer(section, fonts: Fonts) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_fonts(p.add_run("— "), fonts.latin, FOOTER_PT)
    run = p.add_run()
    _set_run_fonts(run, fonts.latin, FOOTER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _set_run_fonts(p.add_run(" —"), fonts.latin, FOOTER_PT)


def render_docx(letter: Letter, fonts: Fonts = OFFICIAL_FONTS) -> bytes:
    """DOCX bytes via python-docx, same layout as the PDF."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 7)

    normal = doc.styles["Normal"]
    normal.font.name = fonts.body
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), fonts.body)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)

    def para(
        text: str,
        *,
        align=None,
        indent_first: float = 0,
        right_em: float = 0,
        font=None,
        size=BODY_PT,
        bold=False,
        line=None,
    ):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent_first:
            p.paragraph_format.first_line_indent = Pt(indent_first * size)
        if right_em:
            p.paragraph_format.right_indent = Pt(right_em * size)
        if line is not None:
            p.paragraph_format.line_spacing = Pt(line)
        if text:
            _set_run_fonts(p.add_run(text), font or fonts.body, size, bold)
        return p

    para(
        letter.title,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        font=fonts.title,
        size=TITLE_PT,
        bold=True,
        line=TITLE_PT * 1.45,
    )
    if letter.doc_number:
        para(letter.doc_number, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("")
    if letter.addressee_line:
        para(letter.addressee_line)
    body, closing = split_closing([p.strip() for p in letter.paragraphs if p.strip()])
    for p in body:
        q = para(p, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=2)
        q.paragraph_format.widow_control = True  # the last one's final two lines go with the block
    # The closing, attachments, signature and notes stay together (keep with next) and with the
    # last body paragraph's end, as in the PDF.
    block = []
    for p in closing:
        block.append(para(p, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=2))
    att = _attachment_lines(letter)
    if att:
        block.append(para(""))
        block.append(para(att[0], indent_first=2))
        for a in att[1:]:
            q = para(a)
            q.paragraph_format.left_indent = Pt(5 * BODY_PT)
            block.append(q)
    block += [para(""), para("")]
    name_ind, date_ind = signature_indents(letter.agency_name, letter.date_text)
    if letter.seal_note:
        block.append(para(letter.seal_note, align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=name_ind))
    block.append(para(letter.agency_name, align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=name_ind))
    block.append(para(letter.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_em=date_ind))
    notes = [n for n in letter.notes if n.strip()]
    if notes:
        block.append(para(""))
        block += [para(_note_text(n), indent_first=2) for n in notes]
    if body and block:
        doc.paragraphs[-len(block) - 1].paragraph_format.keep_with_next = True
    for q in block[:-1]:
        q.paragraph_format.keep_with_next = True
    if any(c.strip() for c in letter.cc):
        para("")
        para(_cc_text(letter), size=FOOTER_PT, line=FOOTER_PT * 2)
    _add_page_number_footer(sec, fonts)
    doc.core_properties.title = letter.title
    doc.core_properties.author = letter.agency_name
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
