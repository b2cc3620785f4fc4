"""Rendering of annual reports: HTML structure as printed, DOCX and PDF read back, CSV/JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import docx
import pdfplumber
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from report_strategies import consistent_reports

from gongkai.core.report_data import FeeLine, ReportData
from gongkai.core.report_render import (
    render_csv,
    render_docx,
    render_html,
    render_html_fragment,
    render_json,
    render_pdf,
    report_title,
)
from gongkai.core.report_render.layout import expand, format_value, report_grids
from gongkai.core.report_rules import fill_totals
from gongkai.core.report_schema import get_template

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "reports" / "expected.json"
REPORTS = {r["file"]: r for r in json.loads(EXPECTED.read_text("utf-8"))["reports"]}


def sample(template_id: str) -> ReportData:
    """A real report (hand-read values) of the template, with text and a fee line."""
    name = "2019_shanghai-bgt_html.html" if template_id == "2019" else "2021_pingtan_flattext.txt"
    data = fill_totals(ReportData.from_dict(REPORTS[name]), only_blank=True)
    data.blank_cells = {}  # print every cell (blank printing is tested separately)
    data.text_sections = {
        "overview": "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。\n第二段。"
    }
    data.fee_line = FeeLine(3, Decimal(450), Decimal("150.5"))
    if template_id == "2019":
        data.tables["art20_9"]["gov_centralized_procurement"] = {
            "procurement_items": 6,
            "procurement_total_amount": Decimal(251000),
        }
    else:
        data.tables["art20_8"]["admin_fees"]["fee_amount"] = Decimal("24252.311082")
    return data


def soup_of(data: ReportData) -> BeautifulSoup:
    return BeautifulSoup(render_html(data), "html.parser")


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_html_has_six_sections_in_order_with_schema_titles(tid):
    data = sample(tid)
    soup = soup_of(data)
    assert (
        soup.h1.get_text() == report_title(data) == f"{data.agency_name}{data.year}年政府信息公开工作年度报告"
    )
    assert [h.get_text() for h in soup.find_all("h2")] == [s.title for s in get_template(tid).sections]
    assert "border=" not in str(soup)
    css = soup.style.get_text()
    assert "'Noto Serif CJK SC'" in css and "'Noto Sans CJK SC'" in css and "size: A4" in css
    assert "margin: 37mm 26mm 35mm 28mm" in css


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_html_section_3_header_and_row_labels_as_printed(tid):
    t = get_template(tid)
    table = t.applications
    soup = soup_of(sample(tid))
    tab = soup.find("table", class_="gk-applications")
    head = tab.thead.find_all("tr")
    assert len(head) == 3
    note = head[0].find_all("th")[0]
    assert (note["colspan"], note["rowspan"], note.get_text()) == ("3", "3", table.header_note)
    group = head[0].find_all("th")[1]
    assert (group.get_text(), group["colspan"]) == (table.caption, "7")
    second = [(th.get_text(), th.get("colspan"), th.get("rowspan")) for th in head[1].find_all("th")]
    org = [c for c in t.applicant_columns if c.group]
    assert second == [("自然人", None, "2"), (org[0].group, "5", None), ("总计", None, "2")]
    assert [th.get_text() for th in head[2].find_all("th")] == [c.label for c in org]
    body = tab.tbody.find_all("tr")
    assert len(body) == len(table.cell_rows)
    results = table.row(t.application_flow.results_total).parent
    cell = tab.find("td", string=table.row(results).label)
    assert int(cell["rowspan"]) == sum(1 for r in table.cell_rows if r.parent and _under(table, r, results))
    withheld = tab.find("td", string=table.row("withheld").label)
    assert withheld["rowspan"] == "8"
    first = body[0].find_all("td")
    assert first[0]["colspan"] == "3" and first[0].get_text() == table.cell_rows[0].label


def _under(table, row, ancestor):
    while row.parent:
        if row.parent == ancestor:
            return True
        row = table.row(row.parent)
    return False


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_html_section_4_header_groups(tid):
    tab = soup_of(sample(tid)).find("table", class_="gk-review_litigation")
    rows = tab.thead.find_all("tr")
    top = [(th.get_text(), th.get("colspan")) for th in rows[0].find_all("th")]
    assert top == [("行政复议", "5"), ("行政诉讼", "10")]
    second = [(th.get_text(), th.get("colspan"), th.get("rowspan")) for th in rows[1].find_all("th")]
    assert second[:5] == [
        (lbl, None, "2") for lbl in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ]
    assert second[5:] == [("未经复议直接起诉", "5", None), ("复议后起诉", "5", None)]
    assert len(rows[2].find_all("th")) == 10
    assert len(tab.tbody.find_all("td")) == 15


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_html_every_cell_prints_its_value(data):
    soup = BeautifulSoup(render_html_fragment(data), "html.parser")
    cells = {td["data-cell"]: td.get_text() for td in soup.find_all("td", attrs={"data-cell": True})}
    expected = {f"{tk}.{rk}.{ck}": format_value(v) for tk, rk, ck, v in data.cells()}
    assert cells == expected
    for grids in report_grids(data).values():
        for g in grids:
            expand(g)  # every row tiles the width exactly, no overlaps
    if data.template_id == "2021":
        assert soup.find("td", string="第二十条第（八）项")["colspan"] == "4"


def test_blank_cells_of_an_imported_report_print_empty():
    data = ReportData.from_dict(REPORTS["2019_shanghai-bgt_html.html"])
    soup = BeautifulSoup(render_html_fragment(data), "html.parser")
    assert soup.find("td", attrs={"data-cell": "applications.granted.total"}).get_text() == ""
    assert soup.find("td", attrs={"data-cell": "applications.new_received.total"}).get_text() == "859"


def test_section_2_layouts_match_printed_tables():
    g19 = report_grids(sample("2019"))["proactive"][0]
    assert g19.ncols == 5  # 信息内容 + 1|2|1 (Shanghai 2019 print)
    head = next(r for r in g19.rows if r[0].text == "信息内容")
    assert [c.colspan for c in head] == [1, 1, 2, 1]
    fees = [r for r in g19.rows if r[0].text == "信息内容"][3]
    assert [(c.text, c.colspan) for c in fees] == [("信息内容", 1), ("上一年项目数量", 2), ("本年增/减", 2)]
    g21 = report_grids(sample("2021"))["proactive"][0]
    assert g21.ncols == 4
    assert [(c.text, c.colspan) for c in g21.rows[-1]] == [("行政事业性收费", 1), ("24252.311082", 3)]


def test_section_6_fee_line_and_missing_text():
    soup = soup_of(sample("2021"))
    sec6 = soup.find("section", attrs={"data-section": "other_matters"})
    assert "发出收费通知3件" in sec6.get_text() and "实际收取总金额150.5元" in sec6.get_text()
    sec5 = soup.find("section", attrs={"data-section": "problems"})
    assert sec5.find("p", class_="gk-missing")
    sec1 = soup.find("section", attrs={"data-section": "overview"})
    assert [p.get_text() for p in sec1.find_all("p")][1] == "第二段。"


def _docx_rows(table):
    out = []
    for row in table.rows:
        texts = []
        for c in row.cells:
            texts.append(c.text)
        out.append(texts)
    return out


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_docx_tables_read_back_with_labels_numbers_and_merges(tid):
    data = sample(tid)
    t = data.template
    doc = docx.Document(io.BytesIO(render_docx(data)))
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37,
        35,
        28,
        26,
    ]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].replace("\n", "") == report_title(data)  # a long title breaks before the year
    assert [s.title for s in t.sections] == [x for x in texts if x in {s.title for s in t.sections}]
    assert len(doc.tables) == 3
    t2, t3, t4 = doc.tables
    # Section 3: every row has its label in the label columns and the numbers in the last 7 cells
    rows3 = _docx_rows(t3)
    assert rows3[0][0] == t.applications.header_note and rows3[0][:3] == [t.applications.header_note] * 3
    assert rows3[1][4:9] == ["法人或其他组织"] * 5  # merged across 5 columns
    for r, cells in zip(t.applications.cell_rows, rows3[3:], strict=True):
        assert r.label in cells[:3]
        assert cells[3:] == [
            format_value(data.value("applications", r.key, c.key)) for c in t.applications.value_columns
        ]
    results_label = t.applications.row("results").label
    assert sum(1 for cells in rows3 if cells[0] == results_label) == len(
        [r for r in t.applications.cell_rows if _under(t.applications, r, "results")]
    )
    rows4 = _docx_rows(t4)
    assert rows4[0][:5] == ["行政复议"] * 5 and rows4[0][5:] == ["行政诉讼"] * 10
    assert rows4[3] == [
        format_value(data.value("review_litigation", "count", c.key))
        for c in t.review_litigation.value_columns
    ]
    rows2 = _docx_rows(t2)
    assert rows2[0][0] == t.proactive_tables[0].caption
    # East Asian fonts are set explicitly, the official faces (issue 11 item 9), not Noto
    xml = t3._tbl.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="黑体"' in xml and "Noto" not in xml


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_pdf_smoke_chinese_labels_and_numbers(tid):
    data = sample(tid)
    t = data.template
    pdf = render_pdf(data)
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
        tables = [tab for p in doc.pages for tab in p.extract_tables()]
    flat = re.sub(r"\s+", "", text)
    assert report_title(data) in flat
    for s in t.sections:
        assert s.title in flat
    assert "发出收费通知3件" in flat
    # Section 3 read back from the PDF: 10 columns, every row's own label and its 7 numbers
    (s3,) = [tab for tab in tables if len(tab[0]) == 10]
    app = t.applications
    assert (s3[0][0] or "").replace("\n", "") == app.header_note
    assert len(s3) == 3 + len(app.cell_rows)
    for r, line in zip(app.cell_rows, s3[3:], strict=True):
        own = [c for c in line[:3] if c][-1].replace("\n", "")
        assert own == r.label
        assert line[3:] == [format_value(data.value("applications", r.key, c.key)) for c in app.value_columns]
    (s4,) = [tab for tab in tables if len(tab[0]) == 15]
    assert s4[0][0] == "行政复议" and s4[0][5] == "行政诉讼"
    assert s4[-1] == [
        format_value(data.value("review_litigation", "count", c.key))
        for c in t.review_litigation.value_columns
    ]


def test_csv_one_line_per_cell_and_json_round_trip():
    data = sample("2021")
    rows = list(csv.reader(io.StringIO(render_csv(data))))
    assert rows[0] == ["table", "row_key", "row_label", "column_key", "column_label", "value"]
    cells = list(data.normalized().cells())
    assert len(rows) == 1 + len(cells) + 3
    by_key = {(r[0], r[1], r[3]): r for r in rows[1:]}
    for tk, rk, ck, v in cells:
        line = by_key[(tk, rk, ck)]
        tb = data.template.table(tk)
        assert line[2] == (tb.row(rk).label or "") and line[4] == tb.column(ck).qualified_label
        assert line[5] == format_value(v)
    assert by_key[("review_litigation", "count", "lit_after_review_total")][4] == "行政诉讼－复议后起诉－总计"
    assert by_key[("fee_line", "fee_line", "amount_collected")][5] == "150.5"
    back = ReportData.from_dict(json.loads(render_json(data)))
    assert back == data.normalized()
    assert json.loads(render_json(data))["tables"]["art20_8"]["admin_fees"]["fee_amount"] == "24252.311082"
