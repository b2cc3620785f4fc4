"""政策解读: forms, review and publication, public pages, 三同步 flags in the queue and figures."""

import datetime as dt

import pytest
from records_fixtures import publish

from gongkai.core import interpretation_rules as rules
from gongkai.interpretations import services
from gongkai.pii import services as pii
from gongkai.pii.models import CONFIRMED, DISMISSED, PENDING

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = dt.date(2026, 11, 30)
QA = [
    ("谁可以申请培训补贴？", "本市登记失业人员可以申请职业培训补贴。"),
    ("补贴标准是多少？", "每人每年最高3000元。"),
]


def qa_interpretation(agency, staff, records, qa=QA, title="一图读懂校外培训新规"):
    interp = services.create(
        agency,
        {"title": title, "form": rules.QA, "author": "市教育局政策法规科"},
        records=records,
        qa=qa,
        actor=staff["handler"],
    )
    services.transition(interp, "submit", actor=staff["handler"])
    return interp


def test_same_day_interpretation_published_and_linked_both_ways(agencies, staff, client):
    rec = publish(agencies["dept"], staff, on=TODAY)
    interp = qa_interpretation(agencies["dept"], staff, [rec])
    with pytest.raises(services.InterpretationError):  # the author cannot approve her own
        services.transition(interp, "publish", actor=staff["handler"])
    interp = services.transition(interp, "publish", actor=staff["reviewer"])
    assert (
        interp.state == rules.PUBLISHED
        and interp.published_on == TODAY
        and interp.reviewer == staff["reviewer"]
    )
    assert [e.action for e in interp.events.all()] == ["create", "submit", "publish"]

    doc_page = client.get(f"/docs/{rec.pk}/").content.decode()
    assert f"/interpretations/{interp.pk}/" in doc_page and "简明问答" in doc_page
    page = client.get(f"/interpretations/{interp.pk}/").content.decode()
    assert f"/docs/{rec.pk}/" in page and "每人每年最高3000元" in page

    listing = client.get("/interpretations/", {"q": "培训补贴"}).content.decode()
    assert interp.title in listing
    assert interp.title in client.get("/interpretations/", {"form": "qa", "year": 2026}).content.decode()
    assert interp.title not in client.get("/interpretations/", {"form": "media"}).content.decode()
    assert services.sync_for_records([rec])[rec.pk].status == rules.SAME_DAY


def test_late_and_missing_interpretations_are_flagged(agencies, staff, client):
    late_doc = publish(agencies["dept"], staff, on=dt.date(2026, 11, 20), title="关于校外培训收费管理的通知")
    bare_doc = publish(agencies["dept"], staff, on=dt.date(2026, 11, 19), title="关于课后服务的通知")
    interp = qa_interpretation(agencies["dept"], staff, [late_doc])
    services.transition(interp, "publish", actor=staff["reviewer"])  # 30 Nov: 6 working days later
    sync = services.sync_for_records([late_doc, bare_doc])
    assert sync[late_doc.pk].status == rules.LATE and sync[late_doc.pk].lag_workdays == 6
    assert sync[bare_doc.pk].status == rules.MISSING

    client.force_login(staff["handler"])
    queue = client.get("/workbench/interpretations/").content.decode()
    assert "解读滞后" in queue and "缺少解读" in queue
    client.force_login(staff["supervisor"])
    page = client.get("/workbench/interpretations/supervision/", {"year": 2026}).content.decode()
    assert "某市教育局" in page and "关于课后服务的通知" in page
    rows = services.figures([agencies["dept"]], 2026)
    assert (rows[0]["required"], rows[0]["late"], rows[0]["missing"], rows[0]["flagged"]) == (2, 1, 1, 2)


def test_personal_data_in_an_interpretation_blocks_publication(agencies, staff):
    rec = publish(agencies["dept"], staff, on=TODAY)
    interp = qa_interpretation(
        agencies["dept"], staff, [rec], qa=[("怎么咨询？", "请拨打经办人手机13912345678咨询。")]
    )
    with pytest.raises(services.InterpretationError) as exc:
        services.transition(interp, "publish", actor=staff["reviewer"])
    assert "个人信息" in exc.value.message
    for hit in pii.scan(interp):
        hit.refresh_from_db()
        if hit.status == PENDING:
            decision = CONFIRMED if hit.kind == "mobile" else DISMISSED
            pii.decide(hit, decision, actor=staff["reviewer"], reason="不是个人信息")
    services.transition(interp, "publish", actor=staff["reviewer"])
    answer = interp.qa_pairs.get().answer
    assert "13912345678" not in answer and "已隐去" in answer


def test_forms_need_their_content(agencies, staff):
    rec = publish(agencies["dept"], staff, on=TODAY)
    graphic = services.create(
        agencies["dept"], {"title": "图解", "form": rules.GRAPHIC}, records=[rec], actor=staff["handler"]
    )
    with pytest.raises(services.InterpretationError, match="至少上传一张图片"):
        services.transition(graphic, "submit", actor=staff["handler"])
    media = services.create(
        agencies["dept"],
        {"title": "视频解读", "form": rules.MEDIA, "media_url": "https://example.org/v.mp4"},
        records=[rec],
        actor=staff["handler"],
    )
    with pytest.raises(services.InterpretationError, match="文字稿"):
        services.transition(media, "submit", actor=staff["handler"])
    with pytest.raises(services.InterpretationError):  # another agency's document
        services.create(agencies["other"], {"title": "x"}, records=[rec], actor=staff["outsider"])


def test_staff_pages_scoped_to_the_agency(agencies, staff, client):
    rec = publish(agencies["dept"], staff, on=TODAY)
    interp = qa_interpretation(agencies["dept"], staff, [rec])
    client.force_login(staff["outsider"])
    assert client.get(f"/workbench/interpretations/{interp.pk}/").status_code == 404
    assert client.get(f"/interpretations/{interp.pk}/").status_code == 404  # not yet published
    client.force_login(staff["reviewer"])
    resp = client.post(f"/workbench/interpretations/{interp.pk}/actions/publish/")
    assert resp.status_code == 302
    interp.refresh_from_db()
    assert interp.state == rules.PUBLISHED


def test_create_through_the_form(agencies, staff, client):
    rec = publish(agencies["dept"], staff, on=TODAY)
    client.force_login(staff["handler"])
    assert client.get(f"/workbench/interpretations/new/?record={rec.pk}").status_code == 200
    resp = client.post(
        f"/workbench/interpretations/new/?record={rec.pk}",
        {
            "title": "文字解读",
            "form": "text",
            "body": "一、制定背景\n二、主要内容",
            "record_ids": [rec.pk],
            "qa_text": "问：何时施行？\n答：自发布之日起施行。",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    interp = rec.interpretations.get()
    assert interp.qa_pairs.get().answer == "自发布之日起施行。"
