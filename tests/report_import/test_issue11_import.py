"""Issue 11 items 11–12: a saved web page of a published report imports with the right signing
agency; the same report imported twice (PDF, then DOCX) is detected and the user chooses."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.annual_reports.services.reports import get_or_create_draft, publish, version_data
from gongkai.core.report_parse import parse_report
from gongkai.core.report_parse.normalize import html_to_text
from gongkai.core.report_render import render_docx, render_pdf
from gongkai.report_import.models import ImportedReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published():
    city = Agency.objects.create(
        name="临江市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="临政依申"
    )
    district = Agency.objects.create(
        name="临江市江北区人民政府", kind=AgencyKind.GOVERNMENT, parent=city, tracking_prefix="江北依申"
    )
    health = Agency.objects.create(
        name="临江市江北区卫生健康委员会",
        kind=AgencyKind.DEPARTMENT,
        parent=district,
        tracking_prefix="江卫依申",
    )
    report, draft = get_or_create_draft(health, 2025)
    publish(draft, None, override_reason="测试")
    report.refresh_from_db()
    return city, health, report


def test_saved_web_page_of_a_published_report_reads_the_signing_agency(client, published):
    _, health, report = published
    page = client.get(f"/reports/{health.pk}/2025/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "跳到主要内容" in html  # the page as a person saves it, skip link included
    result = parse_report(page.content, "江北区卫健委2025年报.html")
    assert result["agency"] == "临江市江北区卫生健康委员会"
    assert result["year"] == 2025


def test_accessibility_and_navigation_text_is_not_report_text():
    html = """<html><body><a class="skip-link" href="#main">跳到主要内容</a>
    <div role="navigation">首页 政务公开</div><span class="sr-only">当前位置</span>
    <a href="#content">跳过导航</a><div aria-hidden="true">图标</div>
    <main id="main"><h1>某某局2025年政府信息公开工作年度报告</h1></main></body></html>"""
    text, _ = html_to_text(html)
    assert text.strip() == "某某局2025年政府信息公开工作年度报告"


def _importer(city):
    u = get_user_model().objects.create_user("sup", password="x", first_name="市政务公开办")
    Membership.objects.create(user=u, agency=city, role=Role.SUPERVISOR)
    return u


def _upload(client, name, data):
    return client.post(reverse("report_import:upload"), {"files": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("choice", "kept"),
    [("replace", ["报告.docx"]), ("keep", ["报告.pdf", "报告.docx"]), ("cancel", ["报告.pdf"])],
)
def test_the_same_report_as_pdf_then_docx_asks_what_to_do(client, published, choice, kept):
    city, health, report = published
    data = version_data(report.current_version)
    client.force_login(_importer(city))
    first = client.get(_upload(client, "报告.pdf", render_pdf(data))["Location"])
    assert first.content.decode().count("报告已导入。") == 1  # shown once, not twice
    r = _upload(client, "报告.docx", render_docx(data))
    new = ImportedReport.objects.get(source_name="报告.docx")
    assert r["Location"] == reverse("report_import:duplicate", args=[new.pk])
    page = client.get(r["Location"]).content.decode()
    assert "此前已导入" in page and "报告.pdf" in page
    client.post(r["Location"], {"choice": choice})
    assert sorted(ImportedReport.objects.values_list("source_name", flat=True)) == sorted(kept)


def test_the_same_file_again_is_said_not_silently_kept(client, published):
    city, health, report = published
    pdf = render_pdf(version_data(report.current_version))
    client.force_login(_importer(city))
    _upload(client, "报告.pdf", pdf)
    r = client.get(_upload(client, "再次.pdf", pdf)["Location"])
    assert "同一文件已于" in r.content.decode() and "未重复导入" in r.content.decode()
    assert ImportedReport.objects.count() == 1
