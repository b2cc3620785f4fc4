"""The import service applies Section 2's in-force chain with last year's figures (issue 13): the
agency's own report published on the platform first, else its imported report of last year."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.annual_reports.models import AnnualReport, ReportVersion
from gongkai.core.report_parse import parse_report
from gongkai.report_import.models import ImportedReport
from gongkai.report_import.services import previous_in_force, save_parsed_report

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "reports" / "2021_pingtan_flattext.txt"


def _report_2022() -> dict:
    """平潭's 2021 report moved to 2022 (so that 2021, in the same format, is last year); its
    「行政规范性文件693665」 is glued."""
    return parse_report(FIXTURE.read_text("utf-8").replace("2021", "2022"), "2022_pingtan.txt")


@pytest.fixture
def pingtan():
    return Agency.objects.create(
        name="平潭综合实验区", kind=AgencyKind.GOVERNMENT, tracking_prefix="平政依申"
    )


def _imported_2021(agency, in_force: int | None, template: str = "2021") -> ImportedReport:
    cells = {"issued": 70, "repealed": 1}
    if in_force is not None:
        cells["in_force"] = in_force
    return ImportedReport.objects.create(
        agency=agency,
        year=2021,
        template_id=template,
        source_name="2021.txt",
        sha256="1" * 64,
        parsed={"tables": {"art20_1": {"admin_normative_docs": cells}}, "blank_cells": []},
    )


def test_imported_last_year_reads_the_glued_row(pingtan):
    _imported_2021(pingtan, 599)
    rep = save_parsed_report(_report_2022(), agency=pingtan)
    assert rep.tables["art20_1"]["admin_normative_docs"] == {"issued": 69, "repealed": 3, "in_force": 665}
    assert not [m for m in rep.missing if m.get("table") == "art20_1"]
    assert any(f["rule"] == "import.in_force_chain_read" for f in rep.findings)


def test_without_last_year_the_row_stays_unread(pingtan):
    rep = save_parsed_report(_report_2022(), agency=pingtan)
    assert "admin_normative_docs" not in rep.tables["art20_1"]
    assert [m["row"] for m in rep.missing if m.get("table") == "art20_1"] == ["admin_normative_docs"]


def test_an_unread_or_2019_format_last_year_is_unknown(pingtan):
    _imported_2021(pingtan, None)
    assert previous_in_force(pingtan, 2022) is None
    ImportedReport.objects.all().delete()
    _imported_2021(pingtan, 599, template="2019")
    assert previous_in_force(pingtan, 2022) is None


def test_the_platforms_own_published_report_comes_first(pingtan):
    _imported_2021(pingtan, 1)  # an imported copy says otherwise: the platform's own report wins
    report = AnnualReport.objects.create(agency=pingtan, year=2021, template_id="2021")
    tables = {"art20_1": {"rules": {"issued": 0, "repealed": 0, "in_force": 0}}}
    tables["art20_1"]["admin_normative_docs"] = {"issued": 70, "repealed": 1, "in_force": 599}
    version = ReportVersion.objects.create(
        report=report,
        number=1,
        data={"template_id": "2021", "year": 2021, "tables": tables, "blank_cells": {}},
        published_at=timezone.now(),
    )
    report.current_version = version
    report.save()
    assert previous_in_force(pingtan, 2022) == {"rules": 0, "admin_normative_docs": 599}
    rep = save_parsed_report(_report_2022(), agency=pingtan)
    assert rep.tables["art20_1"]["admin_normative_docs"]["in_force"] == 665
