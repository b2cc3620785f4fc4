"""Issue 11: casework and letters as a legal review found them (items 1–4, 18–27, 30).

Every letter test reads the generated document (what the citizen receives) and checks the article
it cites, the remedy it offers and the figures and dates it states.
"""

import datetime as dt
from decimal import Decimal

import pytest
from casework_fixtures import COMPANY, NATURAL, at, make_user
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.applications.models import FeeNotice
from gongkai.applications.services import TransitionError, allowed_actions, submit_application, transition
from gongkai.applications.services.intake import find_by_tracking
from gongkai.core import tracking_numbers
from gongkai.letters.models import GeneratedDocument
from gongkai.letters.services import preview_letter

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def new_app(agency, staff, when=None, data=NATURAL, channel="in_person"):
    return submit_application(
        agency, data, channel=channel, actor=staff["registrar"], submitted_at=when or at(2026, 3, 2)
    )


def go(app, staff, action, who, **kw):
    return transition(app, action, staff[who] if who else None, **kw)


def letter(app, kind):
    doc = GeneratedDocument.objects.filter(application=app, kind=kind).order_by("-pk").first()
    assert doc is not None, f"no {kind} letter"
    return "".join(doc.rendered_text.split())


def accepted(agency, staff, **kw):
    app = new_app(agency, staff, **kw)
    return go(app, staff, "accept", "handler", effective_date=D(2026, 3, 3))


# --- 1, 20: extension notice ------------------------------------------------------------------


def test_extension_notice_gives_the_handlers_reason_not_the_heads_comment(agency, staff):
    app = accepted(agency, staff)
    app = go(app, staff, "request_extension", "handler", reason="需调取2019年以来的档案", data={"days": 15},
             effective_date=D(2026, 3, 20))  # fmt: skip
    app = go(
        app, staff, "approve_extension", "head", reason="同意延长15个工作日。", effective_date=D(2026, 3, 23)
    )
    text = letter(app, "extension")
    assert "因需调取2019年以来的档案，本机关无法在法定期限内作出答复" in text
    assert "同意延长" not in text
    assert "第三十三条第二款" in text and "延长15个工作日" in text and "2026年4月21日前" in text
    ev = app.events.get(action="approve_extension")
    assert ev.reason == "同意延长15个工作日。"  # the head's comment stays on record, internally


def test_extension_after_the_deadline_is_refused_or_worded_truthfully(agency, staff):
    app = accepted(agency, staff)
    due = app.due_date
    app = go(app, staff, "request_extension", "handler", reason="档案量大", data={"days": 10},
             effective_date=due)  # fmt: skip
    late = due + dt.timedelta(days=1)
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "approve_extension", "head", reason="同意", effective_date=late)
    assert "届满" in ei.value.message and ei.value.code == "precondition"
    app.refresh_from_db()
    assert app.extension_days == 0 and app.state == "extension_pending"
    app = go(app, staff, "approve_extension", "head", reason="同意，期限届满后批准",
             effective_date=late, data={"late_override": True})  # fmt: skip
    text = letter(app, "extension")
    assert f"未能在原答复期限（{due.year}年{due.month}月{due.day}日）届满前作出答复" in text
    assert "第三十三条第二款" not in text and "答复期限延长" not in text
    assert app.events.get(action="approve_extension").data["late_override"] is True


# --- 2: every path into 办理中 leaves a handler --------------------------------------------------


def test_correction_path_leaves_a_responsible_handler(agency, staff):
    app = new_app(agency, staff)
    app = go(
        app,
        staff,
        "request_correction",
        "handler",
        effective_date=D(2026, 3, 3),
        data={"items": "请明确文号"},
    )
    assert app.handler == staff["handler"]
    app = go(app, staff, "receive_correction", "registrar", effective_date=D(2026, 3, 6))
    assert app.state == "in_handling" and app.handler == staff["handler"]


def test_registrar_must_choose_a_handler_on_the_correction_path(agency, staff):
    app = new_app(agency, staff)
    with pytest.raises(TransitionError) as ei:
        go(
            app,
            staff,
            "request_correction",
            "registrar",
            effective_date=D(2026, 3, 3),
            data={"items": "请明确文号"},
        )
    assert "承办人" in ei.value.message
    other = make_user("handler2", agency, Role.HANDLER)
    app = go(app, staff, "request_correction", "registrar", effective_date=D(2026, 3, 3),
             data={"items": "请明确文号", "handler": other.pk})  # fmt: skip
    assert app.handler == other


# --- 3: the applicant answers a 补正 online ----------------------------------------------------


def test_applicant_correction_records_the_same_event_and_restarts_the_clock(agency, staff):
    app = new_app(agency, staff)
    app = go(app, staff, "request_correction", "handler", effective_date=D(2026, 3, 3),
             data={"items": "请明确文号", "period_workdays": 10})  # fmt: skip
    assert "receive_correction" in allowed_actions(app, None)
    f = SimpleUploadedFile(
        "补正.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"
    )
    app = transition(app, "receive_correction", None, reason="文号为临政办〔2025〕3号", effective_date=D(2026, 3, 9),
                     data={"text": "文号为临政办〔2025〕3号"}, attachments=[f])  # fmt: skip
    ev = app.events.last()
    assert (ev.action, ev.from_state, ev.to_state, ev.actor, ev.actor_label) == (
        "receive_correction", "correction_requested", "in_handling", None, "申请人",
    )  # fmt: skip
    assert ev.data["text"] == "文号为临政办〔2025〕3号"
    assert app.correction_received_on == D(2026, 3, 9)
    assert app.due_date == D(2026, 4, 7)  # 20 working days counted afresh from 03-09 (Art. 30)
    assert app.attachments.filter(event=ev).count() == 1
    assert app.handler == staff["handler"]


# --- 4: tracking numbers typed loosely -----------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["市教依申[2026]0001号", "市教依申(2026)0001号", "市教依申（2026）0001号", "市教依申【2026】0001号",
     "市教依申〔2026〕0001", "市教依申〔２０２６〕０００１号", " 市教依申 [2026] 0001 "],
)  # fmt: skip
def test_tracking_number_is_normalised(typed):
    assert tracking_numbers.normalise(typed) == "市教依申〔2026〕0001号"


def test_lookup_accepts_a_loosely_typed_number(agency, staff):
    app = new_app(agency, staff)
    assert app.tracking_number == "市教依申〔2026〕0001号"
    assert find_by_tracking("市教依申(2026)０００1", app.issued_query_code) == app


# --- 18, 19, 23, 26: fee notice --------------------------------------------------------------------


def test_fee_notice_states_pieces_and_waiver_in_full(agency, staff):
    apps = [new_app(agency, staff, at(2026, 3, 2)) for _ in range(11)]
    app = go(apps[-1], staff, "accept", "handler", effective_date=D(2026, 3, 3))
    app = go(app, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5),
             data={"method": "by_count", "pieces": 3, "waiver_amount": "50", "waiver_reason": "申请人为低保对象"})  # fmt: skip
    n = FeeNotice.objects.get(application=app)
    assert (n.count_in_month, n.pieces, n.amount) == (11, 3, Decimal("250"))
    text = letter(app, "fee_notice")
    assert "计为3件" in text
    assert "100元/件×3件=300元" in text
    assert "减免（申请人为低保对象）：-50元" in text
    assert "合计300元，减免50元（减免理由：申请人为低保对象），应缴金额为人民币250元" in text
    assert "第四十二条" in text and "国办函〔2020〕109号" in text
    assert "不计算在答复期限内" not in text  # the unconfirmed clock rule is off by default
    assert app.pauses == [] and app.due_date is not None


def test_fee_clock_sentence_only_when_the_administrator_turns_it_on(agency, staff, settings):
    settings.GONGKAI_FEE_PAUSES_CLOCK = True
    app = accepted(agency, staff)
    app = go(app, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5),
             data={"method": "by_volume", "pages": 40})  # fmt: skip
    assert "自本通知发出之日至您缴纳费用之日的期间，不计算在答复期限内" in letter(app, "fee_notice")
    assert app.pauses == [["2026-03-05", None]]


def test_month_count_accumulates_the_pieces_of_earlier_split_applications(agency, staff):
    apps = [new_app(agency, staff, at(2026, 3, 2)) for _ in range(30)]
    eleventh = go(apps[10], staff, "accept", "handler", effective_date=D(2026, 3, 3))
    go(eleventh, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5),
       data={"method": "by_count", "pieces": 10})  # fmt: skip  # its 件 11–20
    thirtieth = go(apps[29], staff, "accept", "handler", effective_date=D(2026, 3, 3))
    thirtieth = go(thirtieth, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5),
                   data={"method": "by_count"})  # fmt: skip
    n = FeeNotice.objects.get(application=thirtieth)
    assert (n.count_in_month, n.amount) == (39, Decimal("200"))  # 29 earlier applications = 38 件
    assert "当月累计第31—40件部分：200元/件×1件=200元" in letter(thirtieth, "fee_notice")


def test_payment_deadline_counts_from_presumed_receipt_of_a_posted_notice(agency, staff, client):
    app = accepted(agency, staff, data=COMPANY)  # delivery by post
    app = go(app, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5),
             data={"method": "by_volume", "pages": 40})  # fmt: skip
    n = FeeNotice.objects.get(application=app)
    assert n.received_on == D(2026, 3, 12) and n.receipt_presumed
    assert n.pay_by == D(2026, 4, 10)  # 20 working days after 03-12 (not 04-03 from 03-05; 04-06 清明)
    text = letter(app, "fee_notice")
    assert "按发出后7日推定您于2026年03月12日收到" in text and "2026年4月10日前" in text
    client.force_login(staff["handler"])  # the case page shows the presumption too
    page = client.get(reverse("workbench:case", args=[app.pk])).content.decode()
    assert "2026-03-12（推定：本通知以邮寄方式送达" in page and "2026-04-10" in page
    with pytest.raises(TransitionError):  # no lapse before the presumed window ends
        go(app, staff, "fee_lapsed", "handler", effective_date=D(2026, 4, 3))
    recorded = accepted(agency, staff, data=COMPANY)
    recorded = go(recorded, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5),
                  data={"method": "by_volume", "pages": 40, "notice_received_on": "2026-03-06"})  # fmt: skip
    n2 = FeeNotice.objects.get(application=recorded)
    assert (n2.received_on, n2.receipt_presumed, n2.pay_by) == (D(2026, 3, 6), False, D(2026, 4, 3))
    assert "推定" not in letter(recorded, "fee_notice")


# --- 21: Art. 35 refusal only on recorded facts ------------------------------------------------

MASS = {"outcome": "np_mass_repeated", "fields": {}}


def test_mass_repeated_refusal_needs_request_and_answer_on_record(agency, staff):
    app = accepted(agency, staff)
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "draft_answer", "handler", effective_date=D(2026, 3, 10), data=MASS)
    assert "要求说明理由" in ei.value.message
    app = go(app, staff, "request_explanation", "handler", reason="本月已申请60件", effective_date=D(2026, 3, 5),
             data={"deadline": "2026-03-16"})  # fmt: skip
    with pytest.raises(TransitionError) as ei:  # neither answered nor lapsed yet
        go(app, staff, "draft_answer", "handler", effective_date=D(2026, 3, 10), data=MASS)
    assert "说明理由的情况" in ei.value.message
    app = go(
        app, staff, "receive_explanation", "handler", reason="称系课题研究需要", effective_date=D(2026, 3, 12)
    )
    app = go(app, staff, "draft_answer", "handler", effective_date=D(2026, 3, 13), data=MASS)
    go(app, staff, "approve_review", "reviewer", effective_date=D(2026, 3, 13))
    app = go(app, staff, "answer", "head", effective_date=D(2026, 3, 16))
    text = letter(app, "reply")
    assert "本机关已于2026年03月05日要求您说明理由" in text
    assert "您于2026年03月12日作出了说明，经审查，本机关认为您的申请理由不合理" in text
    assert "第三十五条" in text and "不予处理" in text
    assert "六个月" in text  # not a 不予公开 refusal: reconsideration or litigation


def test_mass_repeated_refusal_after_the_explanation_period_lapsed(agency, staff):
    app = accepted(agency, staff)
    app = go(app, staff, "request_explanation", "handler", reason="本月已申请60件", effective_date=D(2026, 3, 5),
             data={"deadline": "2026-03-16"})  # fmt: skip
    app = go(app, staff, "draft_answer", "handler", effective_date=D(2026, 3, 17), data=MASS)
    assert "您未在本机关确定的期限（2026年03月16日）内说明理由" in app.answer_text


# --- 22, 25, 27: reply wording and remedies ------------------------------------------------------


def _closed_with(agency, staff, outcome, variant=None, fields=None):
    app = accepted(agency, staff)
    app.outcome = outcome
    app.answer_data = {"variant": variant, "fields": fields or {}}
    app.save()
    return app


def test_publication_reply_without_stored_text_is_not_garbled(agency, staff):
    app = _closed_with(agency, staff, "np_publication")  # delivery by e-mail
    text = "".join(" ".join(preview_letter(app, "reply", {"issue_date": D(2026, 3, 10)}).paragraphs).split())
    assert "您可以通过公开发行渠道或者公共图书馆等途径获取" in text
    assert "电子邮件" not in text
    assert "第三十九条第二款" in text
    assert "申请行政复议" in text and "行政诉讼" not in text  # SPC-2011 Art. 2


def test_needs_creation_reply_offers_no_litigation(agency, staff):
    app = _closed_with(agency, staff, "unable_needs_creation")
    text = "".join(preview_letter(app, "reply", {"issue_date": D(2026, 3, 10)}).paragraphs)
    assert "第三十八条" in text and "六十日内" in text and "行政诉讼" not in text


def test_refusal_remedy_includes_the_15_days_after_the_body_fails_to_decide(agency, staff):
    app = _closed_with(agency, staff, "withheld_state_secret", fields={"reason": "已定密。"})
    text = "".join(preview_letter(app, "reply", {"issue_date": D(2026, 3, 10)}).paragraphs)
    assert "应当先自收到本告知书之日起六十日内向某市人民政府申请行政复议" in text
    assert "行政复议机关逾期不作决定的，可以自行政复议期满之日起十五日内" in text


def test_not_responsible_reply_says_te_ci_gao_zhi_once(agency, staff):
    app = _closed_with(
        agency, staff, "unable_not_held", "not_responsible", {"reason": "该信息由市档案馆保存。"}
    )
    text = "".join(preview_letter(app, "reply", {"issue_date": D(2026, 3, 10)}).paragraphs)
    assert text.count("特此告知。") == 1 and "第三十六条第（五）项" in text


def test_correction_notice_carries_art30_guidance(agency, staff):
    app = new_app(agency, staff)
    app = go(app, staff, "request_correction", "handler", effective_date=D(2026, 3, 3),
             data={"items": "请明确文件名称或文号", "guidance": "可在本机关网站“政策文件”栏目检索文号"})  # fmt: skip
    text = letter(app, "correction")
    assert "指导和释明：可在本机关网站“政策文件”栏目检索文号" in text and "第三十条" in text
    assert "行政诉讼" not in text and "行政复议" not in text


def test_deemed_abandonment_generates_its_termination_notice(agency, staff):
    app = new_app(agency, staff)
    app = go(app, staff, "request_correction", "handler", effective_date=D(2026, 3, 3),
             data={"items": "请明确文号", "period_workdays": 5})  # fmt: skip
    app = go(app, staff, "deem_abandoned", "handler", effective_date=D(2026, 3, 11))
    doc = GeneratedDocument.objects.get(application=app, kind="reply")
    assert doc.title == "政府信息公开申请终止处理告知书"
    text = "".join(doc.rendered_text.split())
    assert "本机关已于2026年3月3日一次性告知您作出补正" in text
    assert "第三十条" in text and "视为您放弃申请" in text


# --- 24: reconsideration body and court from the tree ---------------------------------------------


def test_remedy_bodies_derived_from_the_agency_tree(db):
    from gongkai.letters.services import default_court, default_reconsideration_body

    city = Agency.objects.create(name="临江市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="临政")
    district = Agency.objects.create(
        name="临江市江北区人民政府", kind=AgencyKind.GOVERNMENT, parent=city, tracking_prefix="江政"
    )
    city_tax = Agency.objects.create(
        name="临江市税务局",
        kind=AgencyKind.DEPARTMENT,
        parent=city,
        tracking_prefix="临税",
        vertically_led=True,
    )
    tax = Agency.objects.create(
        name="临江市江北区税务局", kind=AgencyKind.DEPARTMENT, parent=district, tracking_prefix="江税",
        vertically_led=True,
    )  # fmt: skip
    edu = Agency.objects.create(
        name="临江市江北区教育局", kind=AgencyKind.DEPARTMENT, parent=district, tracking_prefix="江教"
    )
    town = Agency.objects.create(
        name="临江市江北区东山镇人民政府", kind=AgencyKind.TOWNSHIP, parent=district, tracking_prefix="东山"
    )
    city_dept = Agency.objects.create(
        name="临江市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="临教"
    )
    assert default_reconsideration_body(tax) == "临江市税务局"  # ARL-2023 Art. 27, not the district
    assert default_reconsideration_body(city_tax) == "上一级主管部门"  # not in the tree
    assert default_reconsideration_body(edu) == "临江市江北区人民政府"  # Art. 24 ¶1(1)
    assert default_reconsideration_body(town) == "临江市江北区人民政府"  # Art. 24 ¶1(2)
    assert default_reconsideration_body(district) == "临江市人民政府"
    assert default_reconsideration_body(city) == "上一级人民政府"  # no parent: not 「行政复议机关」
    assert default_court(district) == "临江市中级人民法院"  # ALL Art. 15(1)
    assert default_court(city) == "临江市中级人民法院"
    assert default_court(edu) == "临江市江北区人民法院"
    assert default_court(town) == "临江市江北区人民法院"
    assert default_court(city_dept) == "本机关所在地基层人民法院"
    edu.reconsideration_body, edu.court = "临江市人民政府", "临江铁路运输法院"  # editable per agency
    assert (default_reconsideration_body(edu), default_court(edu)) == ("临江市人民政府", "临江铁路运输法院")


# --- 30: no pause after expiry --------------------------------------------------------------------


def test_consultation_cannot_pause_an_expired_deadline(agency, staff):
    app = accepted(agency, staff)
    due = app.due_date
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "start_consultation", "handler", effective_date=due + dt.timedelta(days=1),
           data={"party": "某公司"})  # fmt: skip
    assert "届满" in ei.value.message
    app.refresh_from_db()
    assert app.state == "in_handling" and app.pauses == [] and app.due_date == due
    app = go(app, staff, "start_consultation", "handler", effective_date=due, data={"party": "某公司"})
    assert app.state == "consultation"
