"""Published report versions: renditions stored once, HTTP validators (ETag / Last-Modified, 304),
public cache headers, and the public list and page in a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.annual_reports.models import ReportRendition
from gongkai.annual_reports.services import get_or_create_draft, publish, start_correction
from gongkai.annual_reports.services.renditions import KINDS, REVISION

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _views_behind_the_page_cache(settings):
    """These tests count what the views themselves read: the page cache (which would answer the
    repeated requests without any query) is off."""
    settings.GONGKAI_PAGE_CACHE = False


def _publish(agency, year, user, make_app):
    make_app(agency, "natural_person", D(year, 3, 1), D(year, 3, 3), "granted")
    _, draft = get_or_create_draft(agency, year, user=user)
    return publish(draft, user)


def test_download_rendered_once_then_served_from_the_store(
    client, region, users, make_app, django_assert_num_queries
):
    edu = region["edu"]
    version = _publish(edu, 2023, users["head"], make_app)
    url = f"/reports/{edu.pk}/2023/download.docx"
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"PK")
    stored = ReportRendition.objects.get(version=version, fmt="docx")
    assert stored.revision == REVISION and bytes(stored.content) == first.content
    # Second request: the report (1 query) and the stored bytes (1 query); nothing rendered.
    with django_assert_num_queries(2):
        second = client.get(url)
    assert second.content == first.content
    assert ReportRendition.objects.filter(version=version, fmt="docx").count() == 1
    assert "attachment" in second["Content-Disposition"]
    assert "%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx" in second["Content-Disposition"]  # 年度报告.docx


def test_download_etag_last_modified_and_304(client, region, users, make_app, django_assert_num_queries):
    edu = region["edu"]
    _publish(edu, 2023, users["head"], make_app)
    url = f"/reports/{edu.pk}/2023/download.pdf"
    r = client.get(url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    etag, last_modified = r["ETag"], r["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    assert "public" in r["Cache-Control"] and "max-age=300" in r["Cache-Control"]
    with django_assert_num_queries(1):  # the report only: the stored PDF is not read
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    # A numbered version never changes: public caches may keep it a day.
    versioned = client.get(f"/reports/{edu.pk}/2023/v1/download.pdf")
    assert versioned.status_code == 200 and "max-age=86400" in versioned["Cache-Control"]
    assert versioned.content == r.content
    assert ReportRendition.objects.filter(fmt="pdf").count() == 1


def test_page_etag_changes_with_a_correction_and_another_year(client, region, users, make_app):
    edu, head = region["edu"], users["head"]
    _publish(edu, 2023, head, make_app)
    url = f"/reports/{edu.pk}/2023/"
    r = client.get(url)
    assert r.status_code == 200 and "三、收到和处理政府信息公开申请情况" in r.content.decode()
    assert "public" in r["Cache-Control"]
    etag = r["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # The page lists the agency's other reports: publishing 2022 changes it.
    _publish(edu, 2022, head, make_app)
    r2 = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert r2.status_code == 200 and "2022年政府信息公开工作年度报告" in r2.content.decode()
    # A correction: the current page shows version 2, the old version's page says it was corrected.
    report = edu.annual_reports.get(year=2023)
    draft = start_correction(report, head)
    publish(draft, head, change_note="更正统计数字")
    r3 = client.get(url, HTTP_IF_NONE_MATCH=r2["ETag"])
    assert r3.status_code == 200 and "第2版" in r3.content.decode()
    old = client.get(f"/reports/{edu.pk}/2023/v1/").content.decode()
    assert "此版本已被更正" in old


def test_prerendered_when_published(region, users, make_app, settings, django_capture_on_commit_callbacks):
    settings.GONGKAI_PRERENDER_REPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        version = _publish(region["edu"], 2023, users["head"], make_app)
    kinds = set(ReportRendition.objects.filter(version=version).values_list("fmt", flat=True))
    assert kinds == set(KINDS)


def test_drafts_have_no_renditions(region, users):
    from gongkai.annual_reports.services.renditions import rendition

    _, draft = get_or_create_draft(region["edu"], 2023, user=users["head"])
    with pytest.raises(ValueError):
        rendition(draft, "pdf")


def test_report_list_reads_no_report_data_in_three_queries(
    client, region, users, make_app, django_assert_num_queries
):
    head = users["head"]
    _publish(region["edu"], 2023, head, make_app)
    with django_assert_num_queries(3):  # count, page, years
        client.get("/reports/")
    for year in (2020, 2021, 2022):
        _publish(region["edu"], year, head, make_app)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/reports/").content.decode()
    assert len(ctx.captured_queries) == 3
    assert html.count("某市教育局20") == 4
    for q in ctx.captured_queries:
        assert '"data"' not in q["sql"] and '"findings"' not in q["sql"]


def test_report_page_queries_do_not_grow_with_other_years(client, region, users, make_app):
    edu, head = region["edu"], users["head"]
    _publish(edu, 2023, head, make_app)
    url = f"/reports/{edu.pk}/2023/"
    client.get(url)  # stores the page's renditions
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    one = len(ctx.captured_queries)
    for year in (2020, 2021, 2022):
        _publish(edu, year, head, make_app)
    html = client.get(url).content.decode()  # the page changed: rendered once more, then kept
    assert html.count("本机关其他年度报告") == 1 and "某市教育局2020年" in html
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).content.decode() == html
    assert len(ctx.captured_queries) == one == 4
    for q in ctx.captured_queries:  # only the agency name is read out of the version's data
        sql = re.sub(r'"annual_reports_reportversion"\."data" (->>|#>>)', "", q["sql"])
        assert '"annual_reports_reportversion"."data"' not in sql and '"findings"' not in sql


def test_public_report_page_is_the_same_for_every_visitor(client, region, users, make_app):
    """No per-request CSP nonce in a cacheable page: its style sheet is allowed by hash."""
    import base64
    import hashlib

    edu = region["edu"]
    _publish(edu, 2023, users["head"], make_app)
    url = f"/reports/{edu.pk}/2023/"
    first, second = client.get(url), client.get(url)
    assert first.content == second.content and "nonce" not in first.content.decode()
    css = re.search(r"<style>(.*?)</style>", first.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    csp = first["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in csp and "nonce-" not in csp
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])["Content-Security-Policy"] == csp
    html = client.get(f"/reports/{edu.pk}/2023/download.html")
    css = re.search(r"<style>(.*?)</style>", html.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in html["Content-Security-Policy"]


def test_public_pages_rendered_once_then_served_from_the_cache(client, region, users, make_app, settings):
    import uuid

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    edu = region["edu"]
    _publish(edu, 2023, users["head"], make_app)
    for url in ("/reports/", f"/reports/{edu.pk}/2023/"):
        first, second = client.get(url), client.get(url)
        assert first.status_code == second.status_code == 200
        assert first.templates and not second.templates  # the second one was not rendered
        assert first.content == second.content and first["ETag"] == second["ETag"]
    # A change to what the list shows makes a new page.
    edu.name = "某市教育和体育局"
    edu.save()
    assert "某市教育和体育局2023年" in client.get("/reports/").content.decode()
