"""A disclosure officer in a real browser: drafts a document, decides its 公开属性, sends it to
review; the reviewer passes the 保密审查 and 联审 checklist; the officer publishes, marks it amended
by a newer document and repeals it; every step is on the timeline, and the public page shows the
effectiveness banner with the link to the replacing document."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from browser_helpers import login, logout
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.records.models import Record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "records"))
from records_fixtures import publish  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    users = {}
    for name, role in (("officer", Role.HANDLER), ("checker", Role.REVIEWER)):
        u = get_user_model().objects.create_user(name, password="pw-123456", first_name=name)
        Membership.objects.create(user=u, agency=dept, role=role)
        users[name] = u
    return dept, users


def act(page, action, fill=None, check=(), label=None):
    page.click(f"#action-{action} summary")
    for sel, value in (fill or {}).items():
        page.fill(sel, value)
    for sel in check:
        page.check(sel)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_load_state()


def test_officer_drafts_reviews_publishes_amends_and_repeals(live_server, context, people, shots):
    dept, users = people
    page = context.new_page()
    login(page, live_server.url, "officer")
    page.click("nav >> text=政府信息")
    page.click("#new-record")
    page.select_option("#id_category", "normative")
    page.fill("#id_title", "某市教育局关于规范校外培训机构收费管理的通知")
    page.fill("#id_doc_number", "市教规〔2026〕2号")
    page.select_option("#id_doc_type", "通知")
    page.fill("#id_written_on", "2026-11-16")
    page.select_option("#id_art_item", "20-1")
    page.fill("#id_keywords", "校外培训 收费")
    page.fill("#id_body", "为规范校外培训机构收费行为，保护学生和家长合法权益，现就有关事项通知如下。")
    shots(page, "records-draft-form")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#timeline")
    assert "起草" in page.inner_text("#state")
    assert "2026年12月14日" in page.inner_text("#publish-due")  # 20 working days after 16 Nov

    page.click("#action-decide_attribute summary")
    page.check("#id_decide_attribute-disclosure_attribute_0")  # 主动公开
    page.click("#action-decide_attribute button[type=submit]")
    page.wait_for_selector("#action-submit_review")
    act(page, "submit_review")
    assert "审查中" in page.inner_text("#state")
    logout(page)

    login(page, live_server.url, "checker")
    page.goto(live_server.url + "/workbench/records/?tab=review")
    page.click("#records >> text=校外培训机构收费管理")
    # without the 保密审查 the approval is refused in Chinese
    act(page, "approve", check=["#id_approve-consultation_held", "#id_approve-interpretation_ready"])
    assert "尚未完成保密审查" in page.inner_text("#action-approve")
    page.check("#id_approve-secrecy_reviewed")
    page.click("#action-approve button[type=submit]")
    page.wait_for_load_state()
    assert "已审定待发布" in page.inner_text("#state")
    shots(page, "records-approved")
    logout(page)

    login(page, live_server.url, "officer")
    page.goto(live_server.url + "/workbench/records/")
    page.click("#records >> text=校外培训机构收费管理")
    act(page, "publish", fill={"#id_publish-date": "2026-11-27"})
    assert "已公开" in page.inner_text("#state")
    index_number = page.inner_text("#index-number").strip()
    assert index_number.endswith("/2026-00001")
    rec = Record.objects.get(doc_number="市教规〔2026〕2号")

    # a newer document replaces it (drafted and published by the same flow, here through services)
    new = publish(
        dept,
        {"handler": users["officer"], "reviewer": users["checker"]},
        on=dt.date(2026, 11, 30),
        title="某市教育局关于校外培训机构收费管理的补充通知",
        doc_number="市教规〔2026〕3号",
        written_on=dt.date(2026, 11, 27),
    )

    page.reload()
    act(page, "amend", fill={"#id_amend-replaced_by": "市教规〔2026〕3号", "#id_amend-date": "2026-11-30"})
    assert "已修改" in page.inner_text("#state")
    act(page, "repeal", fill={"#id_repeal-date": "2026-11-30", "#id_repeal-reason": "内容已并入补充通知"})
    assert "已废止" in page.inner_text("#state")
    timeline = page.inner_text("#timeline")
    for step in ("起草", "认定公开属性", "提交审查", "审查通过", "发布", "标注已修改", "废止"):
        assert step in timeline
    assert "checker" in timeline and "内容已并入补充通知" in timeline
    shots(page, "records-timeline")

    page.click("#public-link")
    page.wait_for_selector("#validity-banner")
    banner = page.inner_text("#validity-banner")
    assert "已废止" in banner and "补充通知" in banner
    shots(page, "records-public-banner")
    page.click("#validity-banner a")
    page.wait_for_load_state()
    assert "补充通知" in page.inner_text("h1")
    assert rec.pk != new.pk
