"""Issue 11 items 9 and 29: the annual report's DOCX names the official faces; HTML/PDF and DOCX
agree on headings, Section 4 and note sizes; the title never breaks inside 「年度报告」; the report opens with its legal basis and statistical period."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.core.report_data import ReportData
from gongkai.core.report_render import render_docx, render_html, render_pdf
from gongkai.core.report_render.html import report_css

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "reports" / "expected.json"


def _data(agency="临江市江北区卫生健康委员会", scope="single"):
    e = next(
        r
        for r in json.loads(EXPECTED.read_text("utf-8"))["reports"]
        if r["file"] == "2021_pingtan_flattext.txt"
    )
    d = ReportData.from_dict(e)
    d.agency_name = agency
    d.meta = {"scope": scope}
    return d


def test_docx_names_the_official_faces_as_east_asian_fonts():
    d = docx.Document(io.BytesIO(render_docx(_data())))
    fonts = lambda p: {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in p.runs if r.text.strip()}  # noqa: E731
    assert fonts(d.paragraphs[0]) == {"方正小标宋简体"}
    heading = next(p for p in d.paragraphs if p.text == "一、总体情况")
    assert fonts(heading) == {"黑体"}
    assert fonts(d.paragraphs[1]) == {"仿宋_GB2312"}
    assert "Noto" not in d.element.xml


def test_opening_paragraph_in_html_and_docx():
    html = render_html(_data())
    assert "本报告依据《中华人民共和国政府信息公开条例》第五十条编制" in html
    assert "统计期限自2021年1月1日起至2021年12月31日止" in html
    d = docx.Document(io.BytesIO(render_docx(_data())))
    assert d.paragraphs[1].text.startswith("本报告依据《中华人民共和国政府信息公开条例》第五十条编制")
    region = render_html(_data("临江市人民政府", "subtree"))
    assert "反映临江市各级行政机关2021年度" in region


def test_title_breaks_before_the_year_never_inside_it():
    html = render_html(_data())
    assert '<span class="gk-nowrap">2021年政府信息公开工作年度报告</span>' in html
    d = docx.Document(io.BytesIO(render_docx(_data())))
    assert d.paragraphs[0].text == "临江市江北区卫生健康委员会\n2021年政府信息公开工作年度报告"


def test_sizes_agree_between_html_and_docx():
    css = report_css()
    assert re.search(r"table\.gk-review_litigation \{ font-size: 8pt;", css)
    assert re.search(r"\.gk-report h2 \{[^}]*font-weight: normal", css)
    d = docx.Document(io.BytesIO(render_docx(_data())))
    heading = next(p for p in d.paragraphs if p.text == "一、总体情况")
    assert not any(r.bold for r in heading.runs)
    section4 = d.tables[-1]
    sizes = {r.font.size.pt for c in section4._cells for p in c.paragraphs for r in p.runs if r.text.strip()}
    assert sizes <= {8.0, 7.0}


@pytest.fixture(scope="module")
def pdf_first_page():
    import pdfplumber

    with pdfplumber.open(io.BytesIO(render_pdf(_data()))) as pdf:
        page = pdf.pages[0]
        return page.extract_words(keep_blank_chars=False, use_text_flow=True), page.extract_text()


def test_pdf_title_is_not_broken_inside_the_year_phrase(pdf_first_page):
    _, text = pdf_first_page
    lines = text.splitlines()
    assert "2021年政府信息公开工作年度报告" in lines
