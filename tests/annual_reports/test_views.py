import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from gongkai.annual_reports.models import AnnualReport
from gongkai.annual_reports.services import get_or_create_draft, publish
from gongkai.proactive.models import Art20Count
from gongkai.proactive.stats import section2
from gongkai.records.models import Record

pytestmark = pytest.mark.django_db
D = dt.date


def login(client, user):
    client.force_login(user)
    return client


def test_workbench_flow_create_edit_publish(client, region, users, make_app):
    edu = region["edu"]
    make_app(edu, "natural_person", D(2023, 3, 1), D(2023, 3, 3), "granted")
    login(client, users["head"])
    r = client.get("/workbench/reports/?year=2023")
    assert r.status_code == 200 and "某市教育局" in r.content.decode()
    r = client.post("/workbench/reports/new/", {"agency": edu.pk, "year": 2023})
    report = AnnualReport.objects.get(agency=edu, year=2023)
    assert r.status_code == 302 and r["Location"].endswith(f"/workbench/reports/{report.pk}/")
    page = client.get(f"/workbench/reports/{report.pk}/").content.decode()
    assert "一、总体情况" in page and "（一）予以公开" in page
    client.post(
        f"/workbench/reports/{report.pk}/narratives/",
        {"overview": "总体情况文字", "problems": "", "other_matters": ""},
    )
    client.post(f"/workbench/reports/{report.pk}/recompute/")
    r = client.post(f"/workbench/reports/{report.pk}/publish/", {"override_reason": "", "change_note": ""})
    report.refresh_from_db()
    assert report.status == "published"
    assert report.current_version.data["text_sections"]["overview"] == "总体情况文字"
    r = client.get(f"/workbench/reports/{report.pk}/v1/download.json")
    assert json.loads(r.content)["tables"]["applications"]["granted"]["total"] == 1


def test_region_report_page_shows_breakdown(client, region, users, make_app):
    make_app(region["town"], "natural_person", D(2023, 3, 1), D(2023, 3, 3), "granted")
    report, _ = get_or_create_draft(region["city"], 2023, subtree=True, user=users["cityhead"])
    login(client, users["cityhead"])
    page = client.get(f"/workbench/reports/{report.pk}/").content.decode()
    assert (
        "各机关分项" in page
        and "某镇人民政府" in page
        and "某市教育局" not in page.split("各机关分项")[1].split("</table>")[0]
    )


def test_other_agency_reports_are_404(client, region, users):
    _, d = get_or_create_draft(region["city"], 2023, user=users["cityhead"])
    login(client, users["handler"])
    assert client.get(f"/workbench/reports/{d.report_id}/").status_code == 404
    assert (
        client.post("/workbench/reports/new/", {"agency": region["city"].pk, "year": 2023}).status_code == 404
    )


def test_public_pages_and_downloads(client, region, users, make_app):
    edu, head = region["edu"], users["head"]
    make_app(edu, "natural_person", D(2023, 3, 1), D(2023, 3, 3), "granted")
    report, d = get_or_create_draft(edu, 2023, user=head)
    assert client.get(f"/reports/{edu.pk}/2023/").status_code == 404  # draft not public
    publish(d, head)
    idx = client.get("/reports/").content.decode()
    assert "某市教育局2023年政府信息公开工作年度报告" in idx
    page = client.get(f"/reports/{edu.pk}/2023/").content.decode()
    assert "三、收到和处理政府信息公开申请情况" in page
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("json", b"{")):
        r = client.get(f"/reports/{edu.pk}/2023/download.{fmt}")
        assert r.status_code == 200 and r.content.startswith(magic)
    csv_r = client.get(f"/reports/{edu.pk}/2023/download.csv")
    assert "（一）予以公开" in csv_r.content.decode("utf-8-sig")
    # correction: v1 stays at its stable URL
    from gongkai.annual_reports.services import start_correction

    make_app(edu, "natural_person", D(2023, 4, 1), D(2023, 4, 3), "granted")
    v2 = start_correction(report, user=head)
    from gongkai.annual_reports.services import recompute_draft

    recompute_draft(v2, user=head)
    publish(v2, head, change_note="补录")
    v1 = json.loads(client.get(f"/reports/{edu.pk}/2023/v1/download.json").content)
    cur = json.loads(client.get(f"/reports/{edu.pk}/2023/download.json").content)
    assert v1["tables"]["applications"]["granted"]["total"] == 1
    assert cur["tables"]["applications"]["granted"]["total"] == 2
    assert "此版本已被更正" in client.get(f"/reports/{edu.pk}/2023/v1/").content.decode()
    assert client.get(f"/reports/{edu.pk}/2023/v9/").status_code == 404


def test_supervision_view(client, region, users):
    head = users["head"]
    _, d = get_or_create_draft(region["edu"], 2023, user=head)
    publish(d, head)
    AnnualReport.objects.filter(pk=d.report_id).update(
        first_published_at=timezone.make_aware(dt.datetime(2024, 1, 20))
    )
    login(client, users["sup"])
    page = client.get("/workbench/reports/supervision/?year=2023").content.decode()
    assert "按时发布" in page and "逾期未发布" in page and "某镇人民政府" in page
    login(client, users["handler"])
    assert client.get("/workbench/reports/supervision/").status_code == 404


def test_proactive_form_and_import_page(client, region, users):
    edu = region["edu"]
    login(client, users["head"])
    url = f"/workbench/reports/proactive/{edu.pk}/?year=2023"
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"action": "counts", "admin_licensing__decisions": "12", "admin_fees__fee_amount": "1.5"}
    )
    assert r.status_code == 302
    assert Art20Count.objects.get(agency=edu, year=2023, kind="admin_licensing").decisions == 12
    bad = io.BytesIO("机关,年度,事项,本年处理决定数量\n某市教育局,2023,行政处罚,abc\n".encode())
    bad.name = "c.csv"
    page = client.post(url, {"action": "import", "file": bad}).content.decode()
    assert "第2行" in page and "应为非负整数" in page
    # Art. 20(1) is counted from the records (no separate registry any more)
    Record.objects.create(
        agency=edu,
        category="normative",
        title="某文件",
        written_on=D(2023, 2, 1),
        state="published",
        published_on=D(2023, 2, 3),
    )
    page = client.get(url).content.decode()
    assert 'id="art20-1"' in page and "/workbench/records/" in page
    assert section2([edu.pk], 2023, "2021")["art20_1"]["admin_normative_docs"]["issued"] == 1
    r = client.post(
        f"/workbench/reports/appeals/{edu.pk}/",
        {"kind": "review", "filed_date": "2023-05-01", "outcome": "pending"},
    )
    assert r.status_code == 302 and edu.appeals.count() == 1


def test_public_page_charts_data(client, region, users, make_app):
    from gongkai.annual_reports.services import version_data
    from gongkai.annual_reports.views.public import chart_data

    edu, head = region["edu"], users["head"]
    make_app(edu, "natural_person", D(2023, 3, 1), D(2023, 3, 3), "granted")
    make_app(edu, "legal_commercial", D(2023, 3, 1), D(2023, 3, 3), "np_repeat")
    _, d = get_or_create_draft(edu, 2023, user=head)
    v = publish(d, head)
    charts = chart_data(version_data(v))
    assert charts["results"]["values"] == [1, 1]
    assert charts["results"]["labels"][0] == "（一）予以公开"
    assert sum(charts["applicants"]["values"]) == 2
    page = client.get(f"/reports/{edu.pk}/2023/").content.decode()
    assert "echarts-6.1.0/echarts.min.js" in page and 'id="gk-chart-data"' in page


def test_record_appeal_decision(client, region, users):
    from gongkai.appeals.services import save_appeal

    edu = region["edu"]
    case = save_appeal(dict(agency=edu, kind="review", filed_date=D(2023, 5, 1)))
    login(client, users["handler"])
    url = f"/workbench/reports/appeals/{edu.pk}/{case.pk}/"
    assert "登记审结结果" in client.get(f"/workbench/reports/appeals/{edu.pk}/").content.decode()
    bad = client.post(
        url, {"kind": "review", "filed_date": "2023-05-01", "decided_date": "2023-04-01", "outcome": "upheld"}
    )
    assert bad.status_code == 200 and "不能早于申请或立案日期" in bad.content.decode()
    r = client.post(
        url,
        {"kind": "review", "filed_date": "2023-05-01", "decided_date": "2023-08-01", "outcome": "corrected"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "corrected" and case.decided_date == D(2023, 8, 1)
    other = region["city"]
    assert client.get(f"/workbench/reports/appeals/{other.pk}/{case.pk}/").status_code == 404
