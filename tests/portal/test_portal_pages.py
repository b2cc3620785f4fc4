"""Public portal: apply online, receipt, track, validation messages, rate limit."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.services import find_by_tracking
from gongkai.portal.forms import credit_code_ok, resident_id_ok

RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"

pytestmark = pytest.mark.django_db


def test_checksums():
    assert resident_id_ok(RESIDENT_ID)
    assert not resident_id_ok("110105194912310021")
    assert credit_code_ok(CREDIT_CODE)
    assert not credit_code_ok("91350100M000100Y44")


def test_home_lists_agency_tree_and_links(client, agencies):
    r = client.get(reverse("portal:home"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "某市人民政府" in html and "某市教育局" in html
    assert 'href="/reports/"' in html
    assert reverse("portal:apply") in html and reverse("portal:track") in html
    # tree: the department is nested under the city
    assert html.index("某市人民政府") < html.index("某市教育局")
    assert html.count("<ul") >= 2


@pytest.mark.date_sensitive
def test_apply_creates_application_and_shows_receipt(client, apply_data, agencies):
    pdf = SimpleUploadedFile("身份证.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    r = client.post(reverse("portal:apply"), {**apply_data, "attachments": [pdf]})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert r["Location"] == reverse("portal:receipt")
    app = Application.objects.get()
    assert app.agency == agencies[1]
    assert app.channel == "internet"
    assert app.applicant_name == "张三"
    assert app.attachments.count() == 1
    code = client.session["gk_portal_receipt"]["code"]
    r = client.get(reverse("portal:receipt"))
    html = r.content.decode()
    assert app.tracking_number in html and code in html and find_by_tracking(app.tracking_number, code) == app
    assert "受理编号" in html and "查询码" in html
    assert app.due_date is not None
    assert f"{app.due_date.year}年{app.due_date.month}月{app.due_date.day}日" in html
    # in the weeks before next year's holiday notice the date is provisional, and says so
    assert ("暂定" in html) == app.due_date_provisional
    assert "管理员" not in html


def test_receipt_in_december_shows_provisional_date_without_admin_text(client, apply_data):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 6, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        r = client.post(reverse("portal:apply"), apply_data)
        assert r.status_code == 302
        html = client.get(reverse("portal:receipt")).content.decode()
    app = Application.objects.get()
    # received Sunday 2026-12-06: 20 working days reach 2027 (元旦 a statutory holiday) → 2027-01-04
    assert app.due_date == dt.date(2027, 1, 4) and app.due_date_provisional
    assert "2027年1月4日" in html and "（暂定）" in html and "正式安排公布后将重新计算" in html
    assert "管理员" not in html and "录入" not in html


def test_apply_errors_are_shown_next_to_fields_in_chinese(client, apply_data):
    data = {**apply_data, "applicant_name": "", "description": "", "email": "not-an-email", "confirm": ""}
    r = client.post(reverse("portal:apply"), data)
    assert r.status_code == 200
    html = r.content.decode()
    assert Application.objects.count() == 0
    assert "提交未成功" in html
    assert "请填写申请人姓名" in html
    assert "请填写所需政府信息的名称" in html
    assert "电子邮箱格式不正确" in html
    assert "请确认所填信息真实、准确" in html
    # the message sits inside the field's block
    block = re.search(r'id="field-applicant_name".*?</div>', html, re.S).group(0)
    assert "请填写申请人姓名" in block
    assert 'aria-invalid="true"' in block


def test_apply_rejects_bad_id_and_legal_person_without_representative(client, apply_data):
    r = client.post(reverse("portal:apply"), {**apply_data, "id_document_number": "110105194912310021"})
    assert "居民身份证号码校验位不正确" in r.content.decode()
    data = {
        **apply_data,
        "applicant_type": "legal_research",
        "applicant_name": "某研究所",
        "id_document_type": "credit_code",
        "id_document_number": CREDIT_CODE,
    }
    r = client.post(reverse("portal:apply"), data)
    html = r.content.decode()
    assert "请填写法定代表人或负责人" in html and "请填写联系人" in html
    data.update(legal_representative="李四", contact_person="王五")
    r = client.post(reverse("portal:apply"), data)
    assert r.status_code == 302
    assert Application.objects.get().applicant_type == "legal_research"


def test_apply_rejects_wrong_attachment_type_and_fake_pdf(client, apply_data):
    exe = SimpleUploadedFile("a.exe", b"MZ....", content_type="application/octet-stream")
    r = client.post(reverse("portal:apply"), {**apply_data, "attachments": [exe]})
    assert "文件类型不允许上传" in r.content.decode()
    fake = SimpleUploadedFile("b.pdf", b"not a pdf", content_type="application/pdf")
    r = client.post(reverse("portal:apply"), {**apply_data, "attachments": [fake]})
    assert "内容与其扩展名" in r.content.decode()
    assert Application.objects.count() == 0


@override_settings(GONGKAI_MAX_ATTACHMENT_BYTES=10)
def test_apply_rejects_oversized_attachment(client, apply_data):
    big = SimpleUploadedFile("c.pdf", b"%PDF-" + b"x" * 100, content_type="application/pdf")
    r = client.post(reverse("portal:apply"), {**apply_data, "attachments": [big]})
    assert "超过大小上限" in r.content.decode()


def test_apply_form_offers_the_six_applicant_types(client, agencies):
    html = client.get(reverse("portal:apply")).content.decode()
    for label in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"):
        assert label in html


@override_settings(RATELIMIT_ENABLE=True)
def test_past_the_rate_limit_the_apply_form_asks_for_a_captcha(client, apply_data):
    """Issue 8: forms sent back with errors use no quota; past 5 valid applications a minute from
    one address the form asks for the offline captcha instead of refusing."""
    from captcha.models import CaptchaStore
    from django.core.cache import cache

    cache.clear()
    bad = {**apply_data, "description": ""}
    assert [client.post(reverse("portal:apply"), bad).status_code for _ in range(6)] == [200] * 6
    assert "验证码" not in client.get(reverse("portal:apply")).content.decode()
    for _ in range(5):
        assert client.post(reverse("portal:apply"), apply_data).status_code == 302
    page = client.get(reverse("portal:apply")).content.decode()
    assert 'name="captcha_0"' in page and "/captcha/image/" in page
    r = client.post(reverse("portal:apply"), apply_data)
    assert r.status_code == 200 and "请输入验证码" in r.content.decode()
    store = CaptchaStore.objects.order_by("-pk").first()
    wrong = {**apply_data, "captcha_0": store.hashkey, "captcha_1": "wrong"}
    assert "验证码不正确" in client.post(reverse("portal:apply"), wrong).content.decode()
    assert Application.objects.count() == 5
    store = CaptchaStore.objects.order_by("-pk").first()
    solved = {**apply_data, "captcha_0": store.hashkey, "captcha_1": store.response}
    assert client.post(reverse("portal:apply"), solved).status_code == 302
    assert Application.objects.count() == 6
    cache.clear()


def _submit(client, apply_data):
    client.post(reverse("portal:apply"), apply_data)
    app = Application.objects.latest("pk")
    app.query_code = client.session["gk_portal_receipt"]["code"]  # as shown once on the receipt
    return app


def test_track_with_right_code_shows_public_status(client, apply_data):
    app = _submit(client, apply_data)
    other = client.__class__()
    r = other.post(
        reverse("portal:track"),
        {"tracking_number": app.tracking_number, "query_code": app.query_code.lower()},
    )
    assert r.status_code == 302 and r["Location"] == reverse("portal:status")
    html = other.get(reverse("portal:status")).content.decode()
    assert app.tracking_number in html
    assert "已登记" in html
    assert "申请已提交并登记" in html
    assert f"{app.received_date.year}年{app.received_date.month}月{app.received_date.day}日" in html


def test_wrong_code_and_unknown_number_give_the_same_message(client, apply_data):
    app = _submit(client, apply_data)
    other = client.__class__()
    r1 = other.post(
        reverse("portal:track"), {"tracking_number": app.tracking_number, "query_code": "WRONG123"}
    )
    r2 = other.post(
        reverse("portal:track"), {"tracking_number": "不存在〔2026〕9999号", "query_code": app.query_code}
    )
    assert r1.status_code == r2.status_code == 200
    msg = "未找到与该受理编号和查询码相符的申请"
    assert msg in r1.content.decode() and msg in r2.content.decode()
    # and the status page stays closed
    assert other.get(reverse("portal:status")).status_code == 302


@pytest.mark.date_sensitive
def test_public_timeline_hides_staff_and_internal_reasons(client, apply_data, django_user_model):
    from django.utils import timezone

    app = _submit(client, apply_data)
    staff = django_user_model.objects.create_user("clerk", first_name="内部员工甲")
    ApplicationEvent.objects.create(
        application=app,
        seq=90,
        action="draft_answer",
        from_state="in_handling",
        to_state="answer_drafted",
        actor=staff,
        at=timezone.now(),
        reason="内部拟办意见：不宜公开",
    )
    ApplicationEvent.objects.create(
        application=app,
        seq=91,
        action="request_correction",
        from_state="registered",
        to_state="correction_requested",
        actor=staff,
        at=timezone.now(),
        reason="内部备注：申请人描述不清",
    )
    html = client.get(reverse("portal:status")).content.decode()
    assert "机关已告知需要补正申请内容" in html
    assert "内部员工甲" not in html and "clerk" not in html
    assert "内部拟办意见" not in html and "内部备注" not in html


def test_status_documents_are_not_reachable_without_tracking(client):
    r = client.get(reverse("portal:document", args=[1, "pdf"]))
    assert r.status_code == 404


def test_applicant_withdraws_an_open_application(client, apply_data):
    app = _submit(client, apply_data)
    html = client.get(reverse("portal:status")).content.decode()
    assert "撤回申请" in html
    r = client.post(reverse("portal:withdraw"), {"reason": ""})
    assert r.status_code == 400 and "请勾选确认撤回" in r.content.decode()
    r = client.post(reverse("portal:withdraw"), {"reason": "已通过其他途径获得", "confirm": "on"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == "withdrawn"
    html = client.get(reverse("portal:status")).content.decode()
    assert "已撤回" in html and "申请人已撤回申请" in html
    assert 'action="/track/withdraw/"' not in html


@pytest.mark.date_sensitive
def test_reply_documents_downloadable_with_code_but_not_consultation_letter(
    client, apply_data, agencies, django_user_model
):
    import datetime as dt

    from gongkai.agencies.models import Membership, Role
    from gongkai.applications.services.workflow import transition

    app = _submit(client, apply_data)
    h = django_user_model.objects.create_user("h")
    Membership.objects.create(user=h, agency=agencies[1], role=Role.HANDLER)
    Membership.objects.create(user=h, agency=agencies[1], role=Role.REVIEWER)
    today = dt.date.today()
    transition(app, "accept", h)
    transition(
        app, "start_consultation", h, reason="涉及第三方", data={"party": "某公司", "kind": "third_party"}
    )
    transition(app, "end_consultation", h, data={"opinion": "agree"})
    transition(
        app,
        "draft_answer",
        h,
        data={"outcome": "granted", "variant": "provided", "fields": {"access_method": "附件"}},
    )
    transition(app, "approve_review", h)
    transition(app, "answer", h, effective_date=today)
    kinds = set(app.documents.values_list("kind", flat=True))
    assert {"consultation", "reply"} <= kinds
    page = client.get(reverse("portal:status"))
    rows = page.context["documents"]
    assert [r["doc"].kind for r in rows] == ["reply"]
    html = page.content.decode()
    assert "某公司" not in html
    pdf = client.get(dict(rows[0]["links"])["PDF"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    consultation = app.documents.get(kind="consultation")
    assert client.get(reverse("portal:document", args=[consultation.pk, "pdf"])).status_code == 404
    # another visitor without the query code cannot download the reply
    other = client.__class__()
    assert other.get(dict(rows[0]["links"])["PDF"]).status_code == 404


def test_status_explains_missing_deadline_while_awaiting_correction(
    client, apply_data, agencies, django_user_model
):
    from gongkai.agencies.models import Membership, Role
    from gongkai.applications.services.workflow import transition

    app = _submit(client, apply_data)
    h = django_user_model.objects.create_user("h2")
    Membership.objects.create(user=h, agency=agencies[1], role=Role.HANDLER)
    transition(app, "request_correction", h, reason="请写明年份", data={"period_workdays": 10})
    html = client.get(reverse("portal:status")).content.decode()
    assert "待补正" in html and "答复期限自机关收到补正之日起重新计算" in html
    # the correction notice is a letter to the applicant: downloadable
    assert "补正告知书" in html
