"""Issue 10 "done when", in Chromium: a normative document went through consultation (comments,
feedback published) and was published with a same-day interpretation; a late interpretation is
flagged on the supervision dashboard; three applicants asking for the same information gave a
proactive proposal; a citizen's question returns the right passage; a planted ID number is
caught before publication."""

import datetime as dt

import pytest
from browser_helpers import login, logout
from django.db import transaction

from gongkai.core import pii as core_pii
from gongkai.demo.issue10 import FEES_TITLE, generate_policy_work
from gongkai.demo.region import DEMO_PASSWORD, build_region
from gongkai.records.models import Record
from gongkai.records.services import lifecycle
from gongkai.workdays import get_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PLANTED = "110105194912310021"[:17] + core_pii.id_check_char("11010519491231002")


@pytest.fixture
def walk_data(db):
    with transaction.atomic():
        agencies = build_region()
        generate_policy_work(agencies, as_of=dt.date(2026, 11, 30), cal=get_calendar())
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    rec = lifecycle.create_record(
        agencies["city_edu"],
        {
            "category": "other",
            "title": "关于校外培训机构违规收费的处理情况",
            "body": f"当事人身份证号{PLANTED}，已退还学员费用。",
        },
        actor=users.get(username="city_edu_handler"),
    )
    lifecycle.transition(
        rec,
        "decide_attribute",
        actor=users.get(username="city_edu_handler"),
        data={"disclosure_attribute": "proactive"},
    )
    lifecycle.transition(rec, "submit_review", actor=users.get(username="city_edu_handler"))
    lifecycle.transition(rec, "approve", actor=users.get(username="city_edu_reviewer"),
                         data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True})  # fmt: skip
    return agencies, rec


def test_issue10_done_when(live_server, context, walk_data):
    agencies, planted = walk_data
    base = live_server.url
    page = context.new_page()

    # the citizen: document → its consultation with the feedback; the same-day interpretation
    fees = Record.objects.get(title=FEES_TITLE)
    page.goto(f"{base}/docs/{fees.pk}/")
    page.click("#consultations a")
    assert "共收到意见 4 条，采纳 3 条，未采纳 1 条" in page.inner_text("#feedback")
    page.click("#published-doc a")
    page.click("#interpretations a")
    assert "退费要等多久" in page.inner_text("#qa")
    assert page.inner_text("main").count(fees.published_on.strftime("%Y年%-m月%-d日")) >= 1

    # a question answered by the right passage
    page.goto(f"{base}/qa/")
    page.fill("#q", "培训机构退费要几天")
    page.click("main button[type=submit]")
    first = page.locator("#answers li").first.inner_text()
    assert "7个工作日内退还" in first

    # the supervisor: the late interpretation flagged
    login(page, base, "city_supervisor", DEMO_PASSWORD)
    page.goto(f"{base}/workbench/interpretations/supervision/?year=2026")
    assert "解读滞后" in page.inner_text("#flagged")

    # the head: the Art. 44 proposal from three applicants, decided
    logout(page)
    login(page, base, "city_edu_head", DEMO_PASSWORD)
    page.goto(f"{base}/workbench/frequent/")
    page.click("#proposals a")
    assert "不同申请人 3 人" in page.inner_text("main")
    page.fill("input[name=record_title]", "2025年度校外培训机构收费检查结果")
    page.click("main form button[type=submit]")
    assert "决定主动公开" in page.inner_text("#p-state")

    # the handler: the planted ID number blocks publication until confirmed, then is masked
    logout(page)
    login(page, base, "city_edu_handler", DEMO_PASSWORD)
    page.goto(f"{base}/workbench/pii/records.record/{planted.pk}/")
    page.click("button[value=scan]")
    assert PLANTED in page.inner_text("table") and "不能发布" in page.inner_text("#pii-status")
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.transition(planted, "publish", actor=planted.created_by)
    page.locator(f"tr:has-text('{PLANTED}') button[value=confirmed]").click()
    assert "没有未处理" in page.inner_text("#pii-status")
    lifecycle.transition(planted, "publish", actor=planted.created_by)
    page.goto(f"{base}/docs/{planted.pk}/")
    assert PLANTED not in page.inner_text("main") and "身份证号已隐去" in page.inner_text("main")
