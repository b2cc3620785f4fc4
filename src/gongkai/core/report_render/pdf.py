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


def warm_up() -> None:
    """Render a small report and a short letter once, so that WeasyPrint, fontconfig and the CJK
    fonts (Noto Serif/Sans CJK, tens of MB) are loaded before the first real request: an app
    server worker calls this at start (``gongkai.config.gunicorn``)."""
    import datetime as dt

    from gongkai.core.official_doc import Letter
    from gongkai.core.official_doc import render_pdf as letter_pdf
    from gongkai.core.report_compute import build_report

    render_pdf(build_report("预热机关", 2025, text_sections={"overview": "预热。"}))
    letter_pdf(Letter(title="预热", paragraphs=["预热。"], agency_name="预热机关", date=dt.date(2025, 1, 1)))
