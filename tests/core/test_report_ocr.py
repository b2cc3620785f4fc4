"""OCR of report tables printed as images or scanned: the platform's own report rendered to PDF,
rasterised (clean PNG at 200 dpi; a scanned-looking PDF: rotation, noise, specks, JPEG), read back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gongkai.core.report_data import ReportData
from gongkai.core.report_parse import _judge_ocr_cells, parse_report
from gongkai.core.report_parse.ocr import LOW_CONFIDENCE
from gongkai.core.report_render import render_pdf
from gongkai.core.report_rules import fill_totals

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "reports" / "expected.json"
E = next(
    r for r in json.loads(EXPECTED.read_text("utf-8"))["reports"] if r["file"] == "2021_pingtan_flattext.txt"
)


@pytest.fixture(scope="module")
def pages():
    import pypdfium2 as pdfium

    pdf = render_pdf(fill_totals(ReportData.from_dict(E), only_blank=True))
    return [p.render(scale=200 / 72).to_pil().convert("L") for p in pdfium.PdfDocument(pdf)]


def _score(r):
    low = {(c["table"], c["row"], c["col"]) for c in r["ocr"]["low"]}
    right = wrong = unread = unmarked = 0
    for table, rows in (
        ("applications", E["applications"]),
        ("review_litigation", {"count": E["review_litigation"]}),
    ):
        for row, cells in rows.items():
            for col, want in cells.items():
                got = r["tables"].get(table, {}).get(row, {}).get(col)
                if got is None:
                    unread += 1
                elif got == want:
                    right += 1
                else:
                    wrong += 1
                    unmarked += (table, row, col) not in low
    return right, wrong, unread, unmarked


def _png(img) -> bytes:
    b = io.BytesIO()
    img.save(b, "PNG")
    return b.getvalue()


def test_clean_page_images_read_every_cell(pages):
    s3 = parse_report(_png(pages[1]), "第三部分.png")
    s4 = parse_report(_png(pages[2]), "第四部分.png")
    assert s3["template"] == "2021"
    assert s3["tables"]["applications"] == E["applications"]
    assert s4["tables"]["review_litigation"] == {"count": E["review_litigation"]}
    # a cell Tesseract was unsure of is kept only when every identity it is part of holds
    assert all(c["status"] == "confirmed" for c in s3["ocr"]["low"] + s4["ocr"]["low"])
    assert not [f for f in s3["findings"] if f["severity"] == "error"]


def test_2019_page_with_section_3_and_section_4_reads_both_tables():
    """The 2019 template prints Section 3 and Section 4 on one page: two grids, not one (the
    heading between them once joined them and Section 3 was lost; found by benchmarks/bench_ocr)."""
    import pypdfium2 as pdfium

    e19 = next(
        r
        for r in json.loads(EXPECTED.read_text("utf-8"))["reports"]
        if r["file"] == "2019_pingtan_flattext.txt"
    )
    pdf = render_pdf(fill_totals(ReportData.from_dict(e19), only_blank=True))
    page = pdfium.PdfDocument(pdf)[1].render(scale=200 / 72).to_pil().convert("L")
    r = parse_report(_png(page), "第三四部分.png")
    assert r["template"] == "2019"
    assert r["tables"]["applications"] == e19["applications"]
    assert r["tables"]["review_litigation"] == {"count": e19["review_litigation"]}


def test_scanned_pdf_no_wrong_cell_without_a_mark(pages):
    rng = np.random.default_rng(7)
    scans = []
    for i, page in enumerate(pages):
        img = page.rotate(1.5 if i % 2 else -2.0, fillcolor=255)
        a = np.asarray(img).astype(np.int16) + rng.normal(0, 10, (img.height, img.width)).astype(np.int16)
        a[rng.random(a.shape) < 0.001] = 0
        b = io.BytesIO()
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(b, "JPEG", quality=70)
        scans.append(Image.open(io.BytesIO(b.getvalue())))
    out = io.BytesIO()
    scans[0].save(out, "PDF", save_all=True, append_images=scans[1:], resolution=200)
    r = parse_report(out.getvalue(), "扫描件.pdf")
    right, wrong, unread, unmarked = _score(r)
    assert unmarked == 0 and wrong == 0  # nothing wrong passes silently
    assert right >= 0.93 * (right + unread)  # measured: 180 of 190 right, 10 unread, 0 wrong
    for m in r["missing"]:
        if m.get("section") in ("applications", "review_litigation"):
            assert "图片" in m["reason"]  # every unread cell says why


def test_low_confidence_cell_is_rejected_by_a_failing_identity():
    result = {
        "tables": {"applications": {"granted": {"natural_person": 8}}},
        "findings": [
            {
                "rule": "applications.results_total_is_sum",
                "severity": "error",
                "table": "applications",
                "cells": [["granted", "natural_person"], ["results_total", "natural_person"]],
            }
        ],
        "missing": [],
        "ocr": {
            "low": [
                {
                    "table": "applications",
                    "row": "granted",
                    "col": "natural_person",
                    "text": "8",
                    "confidence": LOW_CONFIDENCE - 20,
                },
                {
                    "table": "applications",
                    "row": "partial",
                    "col": "total",
                    "text": "5",
                    "confidence": LOW_CONFIDENCE - 5,
                },
            ]
        },
    }
    result["tables"]["applications"]["partial"] = {"total": 5}
    _judge_ocr_cells(result)
    assert (
        result["ocr"]["low"][0]["status"] == "rejected"
        and "natural_person" not in result["tables"]["applications"]["granted"]
    )
    assert (
        result["ocr"]["low"][1]["status"] == "confirmed"
        and result["tables"]["applications"]["partial"]["total"] == 5
    )
    assert "勾稽关系不符" in result["missing"][0]["reason"]


def test_docx_whose_tables_are_pictures(pages):
    """A DOCX report with its text as text and its Section 3 and 4 tables pasted as pictures."""
    import docx

    d = docx.Document()
    d.add_paragraph("平潭综合实验区2021年政府信息公开工作年度报告")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    for page in pages[1:3]:
        b = io.BytesIO()
        page.save(b, "PNG")
        b.seek(0)
        d.add_picture(b)
    out = io.BytesIO()
    d.save(out)
    r = parse_report(out.getvalue(), "年报（表格为图片）.docx")
    assert r["year"] == 2021 and r["template"] == "2021"
    assert r["tables"]["applications"] == E["applications"]
    assert r["tables"]["review_litigation"] == {"count": E["review_litigation"]}
