"""``gongkai import-report PATH... [--json] [--save]``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).resolve().parent.parent / "data"
REPORTS = DATA / "reports"
SEEDS = DATA / "seeds"


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_report", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_json_lines_one_object_per_report():
    out = run(REPORTS, "--json")
    lines = [ln for ln in out.splitlines() if ln.strip()]
    expected = json.loads((REPORTS / "expected.json").read_text("utf-8"))["reports"]
    assert len(lines) == len(expected)
    objs = {Path(o["source"]).name: o for o in map(json.loads, lines)}
    for e in expected:
        o = objs[e["file"]]
        assert {
            "source",
            "agency",
            "year",
            "template",
            "tables",
            "text_sections",
            "missing",
            "findings",
        } <= set(o)
        assert o["year"] == e["year"] and o["template"] == e["template"]
        assert o["tables"]["applications"] == e["applications"]


def test_human_summary_in_chinese():
    out = run(
        REPORTS / "2024_pingtan-shs_flattext.txt",
        REPORTS / "2020_pingtan_flattext.txt",
        SEEDS / "002_da4cd97813954aae.txt",
    )
    assert "机关：平潭综合实验区社会事业局" in out
    assert "年度：2024" in out and "格式：2021年版" in out
    # glued Section 4 digits with several readings: unread, said so, nothing guessed
    assert "24种可能的拆分均不满足合计关系" in out and "复议后起诉·结果维持" in out
    assert "审核发现" in out and "[错误]" in out
    assert "机关：北京市丰台区人民政府" in out and "审核未发现问题" in out
    assert "发出收费通知 11 件" in out


def test_seed_with_image_tables_summary():
    out = run(SEEDS / "000_69c310ad253e4232.txt")
    assert "第二部分表格为图片：1.png" in out


def test_missing_path_is_an_error():
    with pytest.raises(CommandError, match="找不到"):
        run(REPORTS / "no-such-file.txt")


def test_unreadable_file_fails_with_chinese_message(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not a pdf")
    out = io.StringIO()
    with pytest.raises(CommandError, match="未能完整导入"):
        call_command("import_report", str(bad), "--json", stdout=out)
    obj = json.loads(out.getvalue().splitlines()[0])
    assert obj["missing"][0]["section"] == "document"


@pytest.mark.django_db
def test_save_stores_reports():
    from gongkai.report_import.models import ImportedReport

    out = run(REPORTS / "2019_shanghai-bgt_html.html", SEEDS / "002_da4cd97813954aae.txt", "--save")
    assert out.count("已保存") == 2
    reports = {r.year: r for r in ImportedReport.objects.all()}
    assert set(reports) == {2019, 2023}
    assert reports[2023].tables["applications"]["new_received"]["total"] == 2180
    # idempotent: the same content is not stored twice
    run(SEEDS / "002_da4cd97813954aae.txt", "--save")
    assert ImportedReport.objects.count() == 2


def test_saved_web_page_with_table_pictures_beside_it(tmp_path):
    """A saved page (年报.html + 年报_files/) whose Section 4 is a picture: the command reads the
    picture from the page's folder (the platform's own PDF rendering of a fixture, at 200 dpi)."""
    import pypdfium2 as pdfium

    from gongkai.core.report_data import ReportData
    from gongkai.core.report_render import render_pdf
    from gongkai.core.report_rules import fill_totals

    e = next(
        r
        for r in json.loads((REPORTS / "expected.json").read_text("utf-8"))["reports"]
        if r["file"] == "2021_pingtan_flattext.txt"
    )
    pdf = render_pdf(fill_totals(ReportData.from_dict(e), only_blank=True))
    page = pdfium.PdfDocument(pdf)[2].render(scale=200 / 72).to_pil().convert("L")
    (tmp_path / "年报_files").mkdir()
    page.save(tmp_path / "年报_files" / "image003.png")
    (tmp_path / "年报.html").write_text(
        "<html><body><h1>平潭综合实验区2021年政府信息公开工作年度报告</h1>"
        "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>"
        '<p><img src="%E5%B9%B4%E6%8A%A5_files/image003.png"></p><h2>五、存在的主要问题及改进情况</h2></body></html>',
        encoding="utf-8",
    )
    obj = json.loads(run(tmp_path / "年报.html", "--json").strip())
    assert obj["tables"]["review_litigation"] == {"count": e["review_litigation"]}
