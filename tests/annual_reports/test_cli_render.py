import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from gongkai.annual_reports.services import compute_report
from gongkai.annual_reports.services.export import render
from gongkai.core.report_schema import get_template

pytestmark = pytest.mark.django_db
D = dt.date


def test_cli_json_and_files(region, make_app, tmp_path):
    make_app(region["edu"], "natural_person", D(2023, 3, 1), D(2023, 3, 3), "granted")
    make_app(region["town"], "natural_person", D(2023, 3, 1), D(2023, 3, 3), "other_no_correction")
    out = io.StringIO()
    call_command("report", agency=region["city"].name, year=2023, subtree=True, format="json", stdout=out)
    d = json.loads(out.getvalue())
    assert d["template_id"] == "2021" and d["agency_name"] == "某市人民政府"
    assert d["tables"]["applications"]["results_total"]["total"] == 2
    out = io.StringIO()
    call_command("report", agency=str(region["edu"].pk), year=2020, format="json", stdout=out)
    assert json.loads(out.getvalue())["template_id"] == "2019"
    for fmt in ("csv", "html", "docx", "pdf"):
        target = tmp_path / f"r.{fmt}"
        call_command(
            "report", agency=region["city"].name, year=2023, subtree=True, format=fmt, output=str(target)
        )
        assert target.stat().st_size > 100
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "r.docx").read_bytes().startswith(b"PK")


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_both_layouts_render(region, make_app, tid):
    make_app(region["edu"], "legal_commercial", D(2023, 3, 1), D(2023, 3, 3), "other_fee_unpaid")
    data = compute_report(region["edu"], 2023, tid)
    html = render(data, "html").decode("utf-8")
    t = get_template(tid)
    for tb in t.tables:
        for row in tb.cell_rows:
            if row.label:
                assert row.label in html
    csv_text = render(data, "csv").decode("utf-8-sig")
    assert t.applications.row("results_total").label in csv_text
    if tid == "2019":
        assert "逾期未按收费通知" not in html
    else:
        assert t.applications.row("other_fee_unpaid").label in html
