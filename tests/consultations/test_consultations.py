"""意见征集: minimum periods, public comments (rate-limited, personal data never public),
moderation, the feedback after the period, the document's link, yearly figures."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from records_fixtures import draft

from gongkai.consultations import services
from gongkai.core import consultation_rules as rules
from gongkai.records.services import lifecycle

pytestmark = pytest.mark.django_db(transaction=True)
START, END = dt.date(2026, 11, 20), dt.date(2026, 11, 30)  # 7 working days: 20, 23–27, 30
AFTER = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def consultation(agencies, staff, **kw):
    rec = draft(agencies["dept"], staff["handler"])
    data = {
        "title": "关于规范校外培训机构管理的通知（征求意见稿）",
        "draft_text": "第一条 为规范……",
        "starts_on": START,
        "ends_on": END,
    }
    c = services.create(rec, {**data, **kw}, actor=staff["handler"])
    return services.open_consultation(c, actor=staff["head"])


def approve_and_publish(rec, staff):
    lifecycle.transition(
        rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "proactive"}
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    lifecycle.transition(
        rec,
        "approve",
        actor=staff["reviewer"],
        data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
    )
    return lifecycle.transition(rec, "publish", actor=staff["handler"])


def test_minimum_periods(agencies, staff):
    rec = draft(agencies["dept"], staff["handler"])
    base = {"title": "征求意见", "draft_text": "草案", "starts_on": START}
    with pytest.raises(services.ConsultationError, match="不得少于7个工作日"):
        services.create(rec, {**base, "ends_on": dt.date(2026, 11, 27)}, actor=staff["handler"])
    with pytest.raises(services.ConsultationError, match="不得少于30日"):
        services.create(rec, {**base, "ends_on": END, "concerns_market": True}, actor=staff["handler"])
    rule = draft(agencies["dept"], staff["handler"], category="rule", title="某市校外培训管理办法")
    with pytest.raises(services.ConsultationError, match="规章"):
        services.create(rule, {**base, "ends_on": dt.date(2026, 12, 18)}, actor=staff["handler"])
    assert services.create(rule, {**base, "ends_on": dt.date(2026, 12, 19)}, actor=staff["handler"]).pk


def test_the_walk_comments_moderation_feedback_and_link(agencies, staff, client):
    c = consultation(agencies, staff)
    page = f"/consultations/{c.pk}/"
    for body, name, contact in [
        ("建议明确培训收费退费办法。", "张三", "13800001111"),
        ("退费规定应写清楚时限。", "", "zhang@example.com"),
        ("建议取消全部校外培训。", "李四", ""),
    ]:
        resp = client.post(page, {"body": body, "name": name, "contact": contact})
        assert resp.status_code == 302
    html = client.get(page).content.decode()
    for secret in ("张三", "13800001111", "zhang@example.com", "李四"):
        assert secret not in html
    first, second, third = c.comments.all()
    services.moderate(first, rules.ACCEPTED, actor=staff["handler"])
    services.moderate(second, rules.MERGED, actor=staff["handler"], merge_into=first.pk)
    with pytest.raises(services.ConsultationError, match="理由"):
        services.moderate(third, rules.REJECTED, actor=staff["handler"])
    services.moderate(third, rules.REJECTED, actor=staff["handler"], reason="与上位法规定不符")
    with pytest.raises(services.ConsultationError, match="征集期结束后"):
        services.publish_feedback(c, "采纳情况说明", actor=staff["head"])

    with time_machine.travel(AFTER, tick=True):
        assert client.post(page, {"body": "晚到的意见"}).status_code == 200  # closed: refused
        assert c.comments.count() == 3
        services.publish_feedback(c, "共收到意见3条，采纳2条（含合并1条），未采纳1条。", actor=staff["head"])
        html = client.get(page).content.decode()
        assert "共收到意见 3 条，采纳 2 条，未采纳 1 条" in html
        rec = approve_and_publish(c.record, staff)
        doc = client.get(f"/docs/{rec.pk}/").content.decode()
        assert f"/consultations/{c.pk}/" in doc
        rows = services.figures([agencies["dept"]], 2026)
        assert (rows[0]["consultations"], rows[0]["normative"], rows[0]["normative_consulted"]) == (1, 1, 1)
        assert (rows[0]["received"], rows[0]["adopted"], rows[0]["share"]) == (3, 2, "100%")
        client.force_login(staff["supervisor"])
        assert "某市教育局" in client.get("/workbench/consultations/figures/").content.decode()


def test_feedback_with_personal_data_is_checked(agencies, staff):
    c = consultation(agencies, staff)
    services.submit_comment(c, body="意见")
    services.moderate(c.comments.get(), rules.ACCEPTED, actor=staff["handler"])
    with time_machine.travel(AFTER, tick=True):
        with pytest.raises(services.ConsultationError, match="个人信息"):
            services.publish_feedback(c, "感谢市民（电话13800001111）的意见。", actor=staff["head"])
        c.refresh_from_db()
        assert c.state == rules.OPEN and not c.feedback_published_on


@override_settings(RATELIMIT_ENABLE=True)
def test_comments_are_rate_limited(agencies, staff, client):
    c = consultation(agencies, staff)
    codes = [client.post(f"/consultations/{c.pk}/", {"body": f"意见{i}"}).status_code for i in range(7)]
    assert codes[:5] == [302] * 5 and codes[-1] == 429


def test_staff_pages(agencies, staff, client):
    c = consultation(agencies, staff)
    services.submit_comment(c, body="意见", name="王五", contact="wang@example.org")
    client.force_login(staff["outsider"])
    assert client.get(f"/workbench/consultations/{c.pk}/").status_code == 404
    client.force_login(staff["handler"])
    html = client.get(f"/workbench/consultations/{c.pk}/").content.decode()
    assert "王五" in html  # staff see who wrote, to answer
    comment = c.comments.get()
    client.post(
        f"/workbench/consultations/{c.pk}/actions/moderate/", {"comment": comment.pk, "decision": "accepted"}
    )
    comment.refresh_from_db()
    assert comment.state == rules.ACCEPTED and comment.decided_by == staff["handler"]
