"""Issue 11 item 29: the printed area of report and letter PDFs is exactly the declared GB/T 9704
margins (top 37 mm, right 26 mm, bottom 35 mm, left 28 mm). The report page once kept the browser
default body margin (8 px) on top of the @page margin: everything sat ~2.1 mm further in."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pdfplumber
import pytest

from gongkai.core import official_doc
from gongkai.core.official_doc import MARGINS_MM, Letter
from gongkai.core.report_data import ReportData
from gongkai.core.report_render import render_html, render_pdf

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "reports" / "expected.json"
PT_PER_MM = 72 / 25.4
PX_PER_MM = 96 / 25.4
A4 = (210.0, 297.0)


def _report() -> ReportData:
    e = next(
        r
        for r in json.loads(EXPECTED.read_text("utf-8"))["reports"]
        if r["file"] == "2021_pingtan_flattext.txt"
    )
    return ReportData.from_dict(e)


LETTER = Letter(
    title="政府信息公开申请答复告知书",
    doc_number="丰政依申〔2026〕0123号",
    addressee="张三",
    paragraphs=["经审查，您申请获取的政府信息属于可以公开的政府信息。" * 12, "特此告知。"],
    agency_name="某某区住房和城乡建设委员会",
    date=dt.date(2026, 11, 23),
)


def _content_boxes(html: str) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in mm of the body's content box on every laid-out page."""
    from weasyprint import HTML

    out = []
    for page in HTML(string=html).render().pages:
        root = page._page_box.children[0]  # <html>
        body = root.children[0]
        out.append(
            (
                body.content_box_x() / PX_PER_MM,
                body.content_box_y() / PX_PER_MM,
                body.width / PX_PER_MM,
                page._page_box.height / PX_PER_MM,
            )
        )
    return out


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(lambda: render_html(_report()), id="report"),
        pytest.param(lambda: official_doc.render_html(LETTER), id="letter"),
    ],
)
def test_body_starts_exactly_at_the_declared_margins(html):
    m = MARGINS_MM
    boxes = _content_boxes(html())
    assert boxes
    for left, top, width, height in boxes:
        assert left == pytest.approx(m["left"], abs=0.01)
        assert top == pytest.approx(m["top"], abs=0.01)
        assert width == pytest.approx(A4[0] - m["left"] - m["right"], abs=0.01)  # 156 mm
        assert height == pytest.approx(A4[1] - m["top"] - m["bottom"], abs=0.01)  # 225 mm


def test_report_pdf_tables_span_exactly_the_type_area():
    """Read back from the PDF: every table's ruling lines run from 28 mm to 184 mm (210 − 26), and
    no text leaves the type area (the page number sits in the bottom margin, as GB/T 9704 wants)."""
    m = MARGINS_MM
    with pdfplumber.open(io.BytesIO(render_pdf(_report()))) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:
            assert (page.width / PT_PER_MM, page.height / PT_PER_MM) == pytest.approx(A4, abs=0.01)
            rules = page.rects + page.lines
            if rules:
                assert min(r["x0"] for r in rules) / PT_PER_MM == pytest.approx(m["left"], abs=0.15)
                assert max(r["x1"] for r in rules) / PT_PER_MM == pytest.approx(A4[0] - m["right"], abs=0.15)
            body = [
                c for c in page.chars if c["text"].strip() and c["top"] < (A4[1] - m["bottom"]) * PT_PER_MM
            ]
            assert min(c["x0"] for c in body) / PT_PER_MM >= m["left"] - 0.01
            assert max(c["x1"] for c in body) / PT_PER_MM <= A4[0] - m["right"] + 0.01
            assert min(c["top"] for c in body) / PT_PER_MM >= m["top"] - 0.01


def test_letter_pdf_text_starts_at_the_left_margin():
    """A long paragraph's second line starts flush at 28 mm (the first is indented 2 characters)."""
    with pdfplumber.open(io.BytesIO(official_doc.render_pdf(LETTER))) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["text"].strip()]
        assert min(c["x0"] for c in chars) / PT_PER_MM == pytest.approx(MARGINS_MM["left"], abs=0.05)
        assert max(c["x1"] for c in chars) / PT_PER_MM <= A4[0] - MARGINS_MM["right"] + 0.01
