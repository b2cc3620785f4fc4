"""Issue 11 item 28: blank cells stay blank in CSV; Section 2 fields only the 2019 template has are
shown as not entered (not 0) with a warning before publishing; a template that does not match the
year is warned about."""

import csv
import io

import pytest

from gongkai.annual_reports.services.reports import get_or_create_draft, version_data
from gongkai.core.report_data import ReportData
from gongkai.core.report_render import render_csv, render_html_fragment
from gongkai.proactive.models import Art20Count

pytestmark = pytest.mark.django_db


def _csv(data):
    return {
        (r["table"], r["row_key"], r["column_key"]): r["value"]
        for r in csv.DictReader(io.StringIO(render_csv(data)))
    }


def test_csv_keeps_blank_cells_blank():
    data = ReportData.empty("2021", "某局", 2025, blank_cells={"applications": {"granted": ["total"]}})
    cells = _csv(data)
    assert cells[("applications", "granted", "total")] == ""
    assert cells[("applications", "granted", "natural_person")] == "0"


def test_2019_only_fields_nobody_entered_are_not_zero_and_warned(region):
    edu = region["edu"]
    Art20Count.objects.create(
        agency=edu, year=2020, kind="admin_licensing", prev_year_items=5, change=1, decisions=7
    )
    report, draft = get_or_create_draft(edu, 2020)
    data = version_data(draft)
    assert data.template_id == "2019"
    blank = {(tk, rk) for tk, rows in data.blank_cells.items() for rk in rows}
    assert blank and ("art20_5", "admin_licensing") not in blank
    tk, rk = sorted(blank)[0]
    cells = _csv(data)
    assert cells[(tk, rk, data.blank_cells[tk][rk][0])] == ""
    assert any(f["rule"] == "proactive.not_entered" and f["severity"] == "warning" for f in draft.findings)
    html = render_html_fragment(data)
    assert html  # renders


def test_a_template_that_does_not_match_the_year_is_warned(region):
    _, draft = get_or_create_draft(region["edu"], 2025, template_id="2019")
    assert any(f["rule"] == "template.year_mismatch" for f in draft.findings)
    _, ok = get_or_create_draft(region["district"], 2025)
    assert not any(f["rule"] == "template.year_mismatch" for f in ok.findings)
