"""DOCX of the annual report via python-docx: same grids as the HTML (merged cells), 公文 layout.
A4, margins per GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm. Title 22 pt (二号)
in 方正小标宋简体; section headings 16 pt (三号) in 黑体; body 16 pt (三号) in 仿宋_GB2312 with a
two-character first-line indent and fixed 28.95 pt lines; tables 9 pt (小五) / Section 4 8 pt.
The fonts are the official faces government PCs have, named through ``w:rFonts`` (``w:eastAsia``
too), so Word renders them; the PDF embeds the free Noto CJK faces instead (the official ones are
commercial). Page number "— n —" in the footer.
Pure Python: no Django import.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.core.report_data import ReportData
from gongkai.core.report_render.layout import (
    Grid,
    expand,
    is_region_report,
    opening_paragraph,
    report_grids,
    report_title_parts,
    section_paragraphs,
)

# The official faces (GB/T 9704) by the names Word knows on a government PC.
TITLE_FONT = "方正小标宋简体"  # 小标宋
SERIF = "仿宋_GB2312"  # body (仿宋)
SANS = "黑体"  # headings, table heads
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
LINE_PT = 28.95
TABLE_PT = {"review_litigation": 8.0}
TABLE_DEFAULT_PT = 9.0  # 小五
CONTENT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]


def _set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _style_fonts(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = SERIF
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), SERIF)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), SERIF, 14)
    run = p.add_run()
    _set_font(run, SERIF, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _set_font(p.add_run(" —"), SERIF, 14)


def _paragraph(doc, text: str, *, font: str, size: float, bold=False, align=None, indent=True, fixed=True):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent:
        pf.first_line_indent = Pt(size * 2)
    if fixed:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    _set_font(p.add_run(text), font, size, bold)
    return p


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _grid_table(doc, grid: Grid) -> None:
    matrix = expand(grid)
    size = TABLE_PT.get(grid.key, TABLE_DEFAULT_PT)
    table = doc.add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(CONTENT_WIDTH_MM * w / 100.0) for w in grid.widths]
    # The table grid (w:tblGrid) is what word processors lay a fixed table out by; per-cell widths
    # alone leave python-docx's equal default columns in place.
    for ci, column in enumerate(table.columns):
        column.width = widths[ci]
    # The cells are taken once, before any merge: python-docx's Table.cell() and Row.cells rebuild
    # the whole table's cell list on every call (quadratic in the table's size). A merge only
    # swallows cells that the matrix marks as covered (None), so the other cells stay valid.
    ncols = grid.ncols
    flat = table._cells
    cells = [flat[ri * ncols : (ri + 1) * ncols] for ri in range(len(grid.rows))]
    for ri, row in enumerate(table.rows):
        for ci, cell in enumerate(cells[ri]):
            cell.width = widths[ci]
        if ri < grid.header_rows:
            _repeat_header(row)
    for ri, mrow in enumerate(matrix):
        for ci, cell in enumerate(mrow):
            if cell is None:
                continue
            target = cells[ri][ci]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[ri + cell.rowspan - 1][ci + cell.colspan - 1])
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = target.paragraphs[0]
            p.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if cell.role in ("label", "note") else WD_ALIGN_PARAGRAPH.CENTER
            )
            p.paragraph_format.space_before = Pt(0)
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            font = SANS if cell.role in ("head", "caption") else SERIF
            _set_font(p.add_run(cell.text), font, size if cell.role != "note" else size - 1)


def render_docx(data: ReportData) -> bytes:
    data = data.normalized()
    doc = Document()
    _style_fonts(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = Mm(MARGINS_MM["top"])
    sec.bottom_margin = Mm(MARGINS_MM["bottom"])
    sec.left_margin = Mm(MARGINS_MM["left"])
    sec.right_margin = Mm(MARGINS_MM["right"])
    _page_number_footer(sec)
    title = _paragraph(
        doc, "", font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, fixed=False
    )
    who, tail = report_title_parts(data.agency_name, data.year, is_region_report(data))
    if (len(who) + len(tail)) * TITLE_PT * 0.3528 > CONTENT_WIDTH_MM:  # pt → mm: too long for one line
        title.runs[0].add_text(who)
        title.runs[0].add_break()  # break before the year, never inside 「年度」
        _set_font(title.add_run(tail), TITLE_FONT, TITLE_PT)
    else:
        title.runs[0].add_text(who + tail)
    _paragraph(doc, opening_paragraph(data), font=SERIF, size=BODY_PT)
    grids = report_grids(data)
    for s in data.template.sections:
        _paragraph(doc, s.title, font=SANS, size=BODY_PT)
        for text in section_paragraphs(data, s.key):
            _paragraph(doc, text, font=SERIF, size=BODY_PT)
        for g in grids.get(s.key, []):
            _grid_table(doc, g)
            doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
