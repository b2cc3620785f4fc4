"""PDF of the annual report via WeasyPrint from the HTML page (A4, Noto CJK fonts).

Needs Debian ``fonts-noto-cjk`` (Chinese glyphs) and ``libharfbuzz-subset0`` (font subsetting:
~0.3 s per page with it, ~12 s without); ``make system-deps`` installs both.

Pure Python: no Django import.
"""

from __future__ import annotations

from gongkai.core.report_data import ReportData
from gongkai.core.report_render.html import render_html


def render_pdf(data: ReportData) -> bytes:
    from weasyprint import HTML  # imported lazily: heavy, and only the PDF path needs it

    return HTML(string=render_html(data)).write_pdf()
