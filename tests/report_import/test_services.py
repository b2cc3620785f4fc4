"""save_parsed_report: agency matching / creation, dedupe by SHA-256, carry-forward lookup."""

import pytest

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core.report_schema import get_template
from gongkai.report_import.models import ImportedReport, ReportStatus
from gongkai.report_import.services import (
    ImportRejected,
    carry_over_mismatches,
    derive_tracking_prefix,
    guess_agency_kind,
    match_agency,
    published_carry_forward,
    save_parsed_report,
)

pytestmark = pytest.mark.django_db


def fake_result(agency="某市人民政府办公室", year=2023, carried_forward=3, carried_over=1, **extra):
    """A parse result shaped like gongkai.core.report_parse's, built from the schema keys."""
    t = get_template("2021")
    apps = t.applications.empty()
    apps["new_received"].update(natural_person=10, total=10)
    apps["carried_over_from_prior_year"].update(natural_person=carried_over, total=carried_over)
    apps["granted"].update(
        natural_person=10 + carried_over - carried_forward, total=10 + carried_over - carried_forward
    )
    apps["results_total"].update(apps["granted"])
    apps["carried_forward"].update(natural_person=carried_forward, total=carried_forward)
    out = {
        "source": f"{year}_test.txt",
        "agency": agency,
        "year": year,
        "template": "2021",
        "tables": {"applications": apps, "review_litigation": t.review_litigation.empty()},
        "text_sections": {"overview": "总体情况……"},
        "fees": {},
        "missing": [],
        "blank_cells": [],
        "findings": [],
    }
    out.update(extra)
    return out


@pytest.fixture
def city():
    return Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")


def test_exact_and_normalised_matches(city):
    dept = Agency.objects.create(
        name="平潭综合实验区（管委会）", kind=AgencyKind.GOVERNMENT, tracking_prefix="平政依申"
    )
    assert match_agency("某市人民政府") == city
    assert match_agency(" 某市 人民政府 ") == city
    assert match_agency("平潭综合实验区(管委会)") == dept
    assert match_agency("平潭综合实验区") == dept  # parenthesised aside dropped, unique
    # the general office publishes the government's report
    assert match_agency("某市人民政府办公室") == city
    assert match_agency("某市政府") == city


def test_matching_is_conservative(city):
    bureau = Agency.objects.create(name="某市教育局", kind=AgencyKind.DEPARTMENT, tracking_prefix="市教依申")
    assert match_agency("某市教育局办公室") is None  # a bureau's office is not the bureau
    assert match_agency("某市卫生健康委员会") is None
    assert match_agency("") is None
    # two governments keyed alike: ambiguous -> no match
    Agency.objects.create(name="某市政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    assert match_agency("某市人民政府办公厅") is None
    assert bureau.name == "某市教育局"


def test_kind_and_prefix_guess():
    assert guess_agency_kind("平潭综合实验区公安局") == AgencyKind.DEPARTMENT
    assert guess_agency_kind("淮安市洪泽区人民政府") == AgencyKind.GOVERNMENT
    assert guess_agency_kind("某县某某镇人民政府") == AgencyKind.TOWNSHIP
    assert guess_agency_kind("某区某某街道办事处") == AgencyKind.STREET_OFFICE
    assert guess_agency_kind("上海市科学技术委员会") == AgencyKind.DEPARTMENT
    assert derive_tracking_prefix("上海市科学技术委员会", AgencyKind.DEPARTMENT) == "上海科依申"
    assert derive_tracking_prefix("淮安市洪泽区人民政府", AgencyKind.GOVERNMENT) == "淮安政依申"


def test_save_matches_agency_and_counts(city):
    res = fake_result(
        findings=[
            {"rule": "identity", "severity": "error", "message": "勾稽关系不符", "cells": []},
            {"rule": "blank_total", "severity": "warning", "message": "总计为空", "cells": []},
        ],
        missing=[{"section": "fees", "reason": "未找到"}],
    )
    rep = save_parsed_report(res)
    assert rep.agency == city
    assert rep.agency_name_printed == "某市人民政府办公室"
    assert (rep.year, rep.template_id, rep.source_name) == (2023, "2021", "2023_test.txt")
    assert (rep.finding_count, rep.error_count, rep.missing_count) == (2, 1, 1)
    assert rep.status == ReportStatus.FLAGGED
    assert rep.tables["applications"]["carried_forward"]["total"] == 3
    assert rep.parsed["text_sections"]["overview"].startswith("总体情况")


def test_unmatched_agency_is_created_with_kind_and_prefix():
    rep = save_parsed_report(fake_result(agency="淮安市洪泽区人民政府"))
    a = rep.agency
    assert a.name == "淮安市洪泽区人民政府"
    assert a.kind == AgencyKind.GOVERNMENT
    assert a.tracking_prefix == "淮安政依申"
    assert rep.status == ReportStatus.PASSED
    # a second report of the same agency reuses it
    rep2 = save_parsed_report(fake_result(agency="淮安市洪泽区人民政府", year=2024))
    assert rep2.agency == a
    assert Agency.objects.filter(name__contains="洪泽").count() == 1


def test_no_create_and_allowed_ids_reject(city):
    with pytest.raises(ImportRejected, match="没有与"):
        save_parsed_report(fake_result(agency="某县人民政府"), allow_create_agency=False)
    with pytest.raises(ImportRejected, match="权限范围"):
        save_parsed_report(fake_result(), allowed_agency_ids={city.pk + 1000})
    with pytest.raises(ImportRejected, match="年度"):
        save_parsed_report(fake_result(year=None))
    with pytest.raises(ImportRejected, match="机关"):
        save_parsed_report(fake_result(agency=""))
    assert ImportedReport.objects.count() == 0


def test_dedupe_by_sha256(city):
    a = save_parsed_report(fake_result(), sha256="a" * 64)
    b = save_parsed_report(fake_result(year=2024), sha256="a" * 64)
    assert a.pk == b.pk and ImportedReport.objects.count() == 1
    # without an explicit digest, the source file content is hashed
    c = save_parsed_report(fake_result(year=2022))
    d = save_parsed_report(fake_result(year=2022))
    assert c.pk == d.pk and ImportedReport.objects.count() == 2


def test_published_carry_forward_and_mismatch(city):
    assert published_carry_forward(city, 2022) is None
    prev = save_parsed_report(fake_result(year=2022, carried_forward=4))
    this = save_parsed_report(fake_result(year=2023, carried_over=3))
    cf = published_carry_forward(city, 2022)
    assert (
        cf["natural_person"] == 4
        and cf["total"] == 4
        and set(cf) == {c.key for c in get_template("2021").applications.value_columns}
    )
    mism = carry_over_mismatches(prev, this)
    assert {(m["column"], m["previous"], m["current"]) for m in mism} == {
        ("natural_person", 4, 3),
        ("total", 4, 3),
    }
