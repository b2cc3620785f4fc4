"""End-to-end: the applicant applies and tracks; staff take a case to an answer and download it."""

import datetime as dt

import pytest
from browser_helpers import login, logout
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.applications.models import Application
from gongkai.applications.services import find_by_tracking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT_ID = "11010519491231002X"


@pytest.fixture
def agencies(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    return city, dept


@pytest.mark.date_sensitive
def test_apply_online_then_track(live_server, context, agencies, shots):
    page = context.new_page()
    page.goto(live_server.url + "/ysq/")
    assert "政府信息公开申请" in page.inner_text("h1")
    shots(page, "portal-home")
    page.click("text=在线申请 >> nth=0")
    page.select_option("#id_agency", label="　某市教育局")
    page.check("#id_applicant_type_0")
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_id_document_number", RESIDENT_ID)
    page.fill("#id_phone", "13800000000")
    page.fill("#id_email", "zhangsan@example.com")
    page.fill("#id_description", "某市2025年义务教育阶段招生计划")
    # first try without confirming: Chinese error next to the field, nothing created
    page.click("button:has-text('提交申请')")
    assert "请确认所填信息真实、准确" in page.inner_text("#field-confirm")
    assert Application.objects.count() == 0
    shots(page, "portal-apply-errors")
    page.check("#id_confirm")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("#tracking-number")
    shots(page, "portal-receipt")
    number = page.inner_text("#tracking-number").strip()
    code = page.inner_text("#query-code").strip()
    app = Application.objects.get()
    assert number == app.tracking_number and find_by_tracking(number, code) == app
    due_text = page.inner_text("#due-date").strip()
    assert due_text.startswith(f"{app.due_date.year}年{app.due_date.month}月{app.due_date.day}日")
    # a date reaching a year without an official holiday notice is marked 暂定, with one explanation
    assert ("（暂定）" in due_text) == app.due_date_provisional
    assert "管理员" not in page.inner_text("body")

    fresh = context.browser.new_context(locale="zh-CN")
    other = fresh.new_page()
    other.goto(live_server.url + "/track/")
    other.fill("#id_tracking_number", number)
    other.fill("#id_query_code", "WRONGCDE")
    other.click("button:has-text('查询')")
    assert "未找到与该受理编号和查询码相符的申请" in other.content()
    other.fill("#id_query_code", code)
    other.click("button:has-text('查询')")
    other.wait_for_selector("#state")
    assert other.inner_text("#state") == "已登记"
    assert ("（暂定）" in other.inner_text("#due-date")) == app.due_date_provisional
    assert "申请已提交并登记" in other.inner_text(".timeline")
    shots(other, "portal-status")
    fresh.close()


def _do(page, action, fields=None, selects=None):
    page.click(f"#action-{action} > summary")
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{action}-{name}", value)
    for name, value in (fields or {}).items():
        page.fill(f"#id_{action}-{name}", value)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_selector(".messages .success")


def test_staff_take_a_case_to_the_answer_and_download_the_reply(
    live_server, context, agencies, django_user_model, shots
):
    from gongkai.applications.services import submit_application
    from gongkai.letters.defaults import install_default_templates

    install_default_templates()  # the transactional test database was flushed of migration data
    city, dept = agencies
    users = {}
    for name, roles, full in [
        ("handler", [Role.HANDLER, Role.REGISTRAR], "承办人乙"),
        ("head", [Role.HEAD], "负责人丁"),
        ("reviewer", [Role.REVIEWER], "审核人丙"),
    ]:
        users[name] = django_user_model.objects.create_user(name, password="pw-123456", first_name=full)
        for role in roles:
            Membership.objects.create(user=users[name], agency=dept, role=role)
    app = submit_application(
        dept,
        {
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "id_document_number": RESIDENT_ID,
            "email": "lisi@example.com",
            "description": "某校招生简章",
        },
        channel="in_person",
        actor=users["handler"],
        submitted_at=timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30)),
    )
    base = live_server.url
    page = context.new_page()
    login(page, base, "handler")
    assert app.tracking_number in page.inner_text("#queue")
    shots(page, "workbench-queue")
    page.click(f"text={app.tracking_number}")
    page.wait_for_selector("#clock")
    _do(page, "accept", {"effective_date": "2026-03-02"})
    _do(
        page,
        "request_correction",
        {"reason": "请写明学校名称和年份", "period_workdays": "10", "effective_date": "2026-03-03"},
    )
    assert "待补正" in page.inner_text("#state")
    _do(page, "receive_correction", {"reason": "已补正学校名称", "effective_date": "2026-03-09"})
    _do(page, "request_extension", {"reason": "需调取档案", "days": "10", "effective_date": "2026-03-20"})
    logout(page)

    login(page, base, "head")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    _do(page, "approve_extension", {"reason": "同意延期", "effective_date": "2026-03-23"})
    assert "10 个工作日（已批准）" in page.inner_text("#clock")
    logout(page)

    login(page, base, "handler")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    _do(
        page,
        "draft_answer",
        {"access_method": "随本告知书附送电子文件", "reason": "拟予公开"},
        {"outcome_variant": "granted|provided"},
    )
    logout(page)

    login(page, base, "reviewer")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    _do(page, "approve_review", {"reason": "同意"})
    _do(page, "answer", {"effective_date": "2026-04-01"})
    assert "已答复" in page.inner_text("#state")
    shots(page, "workbench-case")
    with page.expect_download() as dl:
        page.click("#documents a:has-text('PDF')")
    path = dl.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert dl.value.suggested_filename.endswith(".pdf")
    app.refresh_from_db()
    assert app.state == "answered" and app.outcome == "granted" and app.extension_days == 10
    timeline = page.inner_text("#timeline")
    for text in (
        "告知补正",
        "收到补正",
        "申请延期",
        "批准延期",
        "拟定答复",
        "审核通过",
        "出具答复",
        "负责人丁",
    ):
        assert text in timeline
