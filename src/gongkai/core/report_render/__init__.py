"""Rendering of an annual report (``ReportData``) to HTML, PDF, DOCX, CSV and JSON.

    render_html(data) -> str                 # full A4 page (print CSS)
    render_html_fragment(data) -> str        # <article class="gk-report"> for embedding
    render_pdf(data) -> bytes                # WeasyPrint, A4, Noto CJK fonts
    render_docx(data) -> bytes               # python-docx, 公文 margins, merged table cells
    render_csv(data) -> str                  # one line per cell
    render_json(data) -> str                 # ReportData.to_dict() with the schema keys
    report_title(data) -> str

Pure Python: no Django import. Layout shared by HTML and DOCX: ``layout.py``.
"""

from gongkai.core.report_render.csvjson import render_csv, render_json
from gongkai.core.report_render.docx import render_docx
from gongkai.core.report_render.html import (
    render_html,
    render_html_fragment,
    report_title,
)
from gongkai.core.report_render.pdf import render_pdf

__all__ = [
    "render_csv",
    "render_docx",
    "render_html",
    "render_html_fragment",
    "render_json",
    "render_pdf",
    "report_title",
]
