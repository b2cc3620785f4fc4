import datetime as dt
import io
from decimal import Decimal

import docx
import pdfplumber
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.applications.models import Application, FeeNotice
from gongkai.core import answers as core_answers
from gongkai.core import fees as core_fees
from gongkai.letters import generate_document
from gongkai.letters.defaults import DEFAULT_TEMPLATES, install_default_templates
from gongkai.letters.models import GeneratedDocument, ImmutableDocumentError, LetterKind, LetterTemplate
from gongkai.letters.services import LetterError, build_context, preview_letter, snapshot

pytestmark = pytest.mark.django_db

ISSUE = dt.date(2026, 11, 23)


def _compact(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def gov():
    return Agency.objects.create(name="某某区人民政府", kind="government", tracking_prefix="某政依申")


@pytest.fixture
def dept(gov):
    return Agency.objects.create(
        name="某某区住房和城乡建设委员会",
        kind="department",
        parent=gov,
        tracking_prefix="某住建依申",
        phone="010-12345678",
        address="某某路1号",
        postal_code="100000",
        court="某某区人民法院",
    )


@pytest.fixture
def officer(dept):
    user = get_user_model().objects.create_user("handler1", password="x", first_name="李四")
    Membership.objects.create(user=user, agency=dept, role=Role.HANDLER)
    return user


def make_app(agency, **kw):
    n = Application.objects.filter(agency=agency).count() + 1
    fields = dict(
        agency=agency,
        year=2026,
        serial=n,
        tracking_number=f"{agency.tracking_prefix}〔2026〕{n:04d}号",
        applicant_type="natural_person",
        applicant_name="张三",
        description="2025年度某某街道老旧小区改造项目的招标文件及中标结果",
        channel="internet",
        submitted_at=timezone.now(),
        received_date=dt.date(2026, 11, 3),
        receipt_basis="online_confirmed",
        email="zhangsan@example.com",
        delivery_method="email",
    )
    fields.update(kw)
    return Application.objects.create(**fields)


def test_default_templates_exist_for_every_kind_and_compile():
    kinds = set(LetterTemplate.objects.defaults().values_list("kind", flat=True))
    assert kinds == set(LetterKind.values) == set(DEFAULT_TEMPLATES)
    for t in LetterTemplate.objects.defaults():
        t.full_clean()
    assert install_default_templates() == 0  # idempotent
    LetterTemplate.objects.filter(kind="reply", agency=None).update(title="x")
    assert install_default_templates(overwrite=True) == len(DEFAULT_TEMPLATES)
    assert LetterTemplate.objects.get(kind="reply", agency=None).title != "x"


def test_template_resolution_falls_back_up_the_tree(gov, dept):
    default = LetterTemplate.objects.get(kind="reply", agency=None)
    assert LetterTemplate.objects.resolve(dept, "reply") == default
    gov_t = LetterTemplate.objects.create(agency=gov, kind="reply", title="区政府答复", body="x")
    assert LetterTemplate.objects.resolve(dept, "reply") == gov_t
    own = LetterTemplate.objects.create(agency=dept, kind="reply", title="委员会答复", body="y")
    assert LetterTemplate.objects.resolve(dept, "reply") == own
    own.active = False
    own.save()
    assert LetterTemplate.objects.resolve(dept, "reply") == gov_t
    assert LetterTemplate.objects.resolve(gov, "correction").agency is None


def test_template_syntax_is_validated(dept):
    t = LetterTemplate(agency=dept, kind="reply", title="答复", body="{% if %}")
    with pytest.raises(ValidationError) as exc:
        t.full_clean()
    assert "body" in exc.value.message_dict


def test_generate_reply_stores_docx_pdf_text_and_snapshot(dept, officer):
    app = make_app(dept, outcome="granted")
    doc = generate_document(app, "reply", officer, extra={"issue_date": ISSUE})
    assert doc.pk and doc.kind == "reply" and doc.outcome == "granted"
    assert doc.title == "政府信息公开申请答复告知书"
    assert doc.doc_number == app.tracking_number
    assert doc.created_by == officer and doc.issue_date == ISSUE
    decision = core_answers.decision_text(
        "granted", {"access_method": "现将相关政府信息以电子邮件方式发送至您提供的电子邮箱。"}
    )
    assert decision in doc.rendered_text
    # department of a district government: reconsideration with the 本级人民政府 (ARL-2023 Art. 24)
    assert "向某某区人民政府申请行政复议" in doc.rendered_text
    assert "向某某区人民法院提起行政诉讼" in doc.rendered_text
    assert "联系电话：010-12345678" in doc.rendered_text
    assert doc.context["answer"]["key"] == "granted"
    assert doc.context["received_date"] == "2026-11-03"

    d = docx.Document(io.BytesIO(doc.docx.read()))
    texts = [p.text for p in d.paragraphs]
    assert "张三：" in texts and decision in texts and "2026年11月23日" in texts
    with pdfplumber.open(io.BytesIO(doc.pdf.read())) as pdf:
        text = _compact("".join(p.extract_text() for p in pdf.pages))
    assert _compact(decision) in text and "某某区住房和城乡建设委员会" in text
    assert doc.docx.name.endswith(".docx") and doc.pdf.name.endswith(".pdf")
    assert list(app.documents.all()) == [doc]


def test_generated_documents_are_immutable(dept, officer):
    app = make_app(dept, outcome="np_publication")
    doc = generate_document(app, "reply", officer, extra={"issue_date": ISSUE})
    doc.title = "改"
    with pytest.raises(ImmutableDocumentError):
        doc.save()
    with pytest.raises(ImmutableDocumentError):
        doc.delete()
    with pytest.raises(ImmutableDocumentError):
        GeneratedDocument.objects.filter(pk=doc.pk).update(title="改")
    with pytest.raises(ImmutableDocumentError):
        GeneratedDocument.objects.filter(pk=doc.pk).delete()
    assert GeneratedDocument.objects.get(pk=doc.pk).title == "政府信息公开申请答复告知书"


def test_outsider_cannot_generate(dept, gov):
    outsider = get_user_model().objects.create_user("other", password="x")
    Membership.objects.create(user=outsider, agency=gov, role=Role.HANDLER)  # another agency
    app = make_app(dept, outcome="granted")
    with pytest.raises(PermissionDenied):
        generate_document(app, "reply", outsider)
    assert not GeneratedDocument.objects.exists()


def test_refusal_reply_uses_approved_text_and_reconsideration_first(dept):
    text = core_answers.decision_text("withheld_process_info", {"reason": "所申请的会议纪要属于内部讨论记录"})
    app = make_app(dept, outcome="withheld_process_info", answer_text=text)
    letter = preview_letter(app, "reply", {"issue_date": ISSUE})
    assert text in letter.paragraphs
    remedy = next(p for p in letter.paragraphs if p.startswith("如对本答复不服"))
    assert "应当先" in remedy and "向某某区人民政府申请行政复议" in remedy and "十五日" in remedy
    assert letter.agency_name == "某某区住房和城乡建设委员会" and letter.date == ISSUE


def test_reply_with_answer_data_and_explicit_fields(dept):
    app = make_app(
        dept,
        outcome="unable_not_held",
        answer_data={
            "variant": "not_responsible_known",
            "fields": {
                "reason": "该信息由市统计局制作。",
                "responsible_agency": "某某市统计局",
                "responsible_contact": "010-9",
            },
        },
    )
    letter = preview_letter(app, "reply", {"issue_date": ISSUE})
    body = "".join(letter.paragraphs)
    assert "第三十六条第（五）项" in body and "某某市统计局" in body
    # preview of another outcome with explicit facts
    letter = preview_letter(
        app,
        "reply",
        {"issue_date": ISSUE, "outcome": "np_repeat", "answer_fields": {"previous_reply": "2026年3月1日"}},
    )
    assert "不予重复处理" in "".join(letter.paragraphs)


def test_reply_missing_facts_raise_chinese_errors(dept):
    app = make_app(dept, outcome="np_repeat")
    with pytest.raises(LetterError) as exc:
        preview_letter(app, "reply", {"issue_date": ISSUE})
    assert exc.value.errors == ["请填写此前答复的日期和文号"]
    with pytest.raises(LetterError) as exc:
        preview_letter(make_app(dept), "reply", {"issue_date": ISSUE})
    assert exc.value.errors == ["请先选择办理结果"]


def test_termination_notice_title(dept):
    app = make_app(dept, outcome="other_no_correction", correction_requested_on=dt.date(2026, 11, 5))
    letter = preview_letter(app, "reply", {"issue_date": ISSUE})
    assert letter.title == "政府信息公开申请终止处理告知书"
    assert any("2026年11月5日一次性告知您作出补正" in p for p in letter.paragraphs)


def test_correction_notice_with_workflow_keys(dept):
    app = make_app(dept)
    letter = preview_letter(
        app,
        "correction",
        {
            "issue_date": ISSUE,
            "items": "1. 请明确所需信息的年度\n2、请说明项目名称",
            "deadline": "2026-12-07",
        },
    )
    paras = letter.paragraphs
    assert "（一）请明确所需信息的年度；" in paras and "（二）请说明项目名称。" in paras
    assert any("第三十条" in p for p in paras)
    assert any(p.startswith("请您于2026年12月7日前") and "视为放弃申请" in p for p in paras)
    assert not any("行政复议" in p for p in paras)  # not justiciable (SPC-2011 Art. 2)
    with pytest.raises(LetterError) as exc:
        preview_letter(app, "correction", {"issue_date": ISSUE})
    assert "请逐项列明需要补正的事项" in exc.value.errors and "请确定合理的补正期限" in exc.value.errors


def test_correction_deadline_from_application_and_period(dept):
    app = make_app(dept, correction_deadline=dt.date(2026, 12, 4))
    letter = preview_letter(app, "correction", {"issue_date": ISSUE, "correction_matters": ["请明确年度"]})
    assert any("2026年12月4日前" in p for p in letter.paragraphs)
    ctx = build_context(
        make_app(dept),
        "correction",
        extra={"issue_date": ISSUE, "correction_matters": ["x"], "correction_period_workdays": 10},
    )
    assert ctx["correction"]["deadline"] == dt.date(2026, 12, 7)  # 10 working days after Mon 23 Nov 2026
    assert ctx["correction"]["notice_due"] == dt.date(2026, 11, 12)  # 7 WD after 3 Nov (Art. 30)


def test_extension_notice(dept):
    app = make_app(dept, extension_days=20, due_date=dt.date(2026, 12, 29))
    letter = preview_letter(
        app, "extension", {"issue_date": ISSUE, "reason": "所申请信息数量较多，需要调档核查。"}
    )
    body = "".join(letter.paragraphs)
    assert "因所申请信息数量较多，需要调档核查，本机关无法在法定期限内作出答复" in body
    assert "第三十三条第二款" in body and "政府信息公开工作机构负责人同意" in body
    assert "延长20个工作日" in body and "2026年12月29日前作出答复" in body
    with pytest.raises(LetterError):
        preview_letter(app, "extension", {"issue_date": ISSUE, "reason": "x", "days": 21})


def test_consultation_letters(dept):
    app = make_app(dept)
    third = preview_letter(
        app, "consultation", {"issue_date": ISSUE, "party": "某某建筑有限公司", "kind": "third_party"}
    )
    assert third.addressee == "某某建筑有限公司"
    body = "".join(third.paragraphs)
    assert "第三十二条" in body and "15个工作日" in body and "张三" not in body  # applicant not disclosed
    agency = preview_letter(
        app, "consultation", {"issue_date": ISSUE, "party": "某某区财政局", "kind": "agency"}
    )
    body = "".join(agency.paragraphs)
    assert "第三十四条" in body and "视为同意公开" in body
    assert agency.title == "关于政府信息公开的征求意见函"
    with pytest.raises(LetterError):
        preview_letter(app, "consultation", {"issue_date": ISSUE})


def test_fee_notice_from_fee_notice_row(dept, officer):
    app = make_app(dept)
    a = core_fees.assess("by_volume", pages=250, waiver=core_fees.Waiver("申请人为低保对象", Decimal("700")))
    FeeNotice.objects.create(
        application=app,
        method=a.method.value,
        pages=250,
        amount=a.amount,
        breakdown=a.breakdown,
        waived=True,
        waiver_reason=a.waiver_reason,
        issued_on=ISSUE,
        pay_by=dt.date(2026, 12, 21),
    )
    doc = generate_document(
        app, "fee_notice", officer, extra={"issue_date": ISSUE, "payment_method": "银行转账"}
    )
    text = doc.rendered_text
    assert "合计4700元，减免700元（减免理由：申请人为低保对象），应缴金额为人民币4000元" in text
    assert "31—100页部分：10元/页 × 70页 = 700元" in text and "减免（申请人为低保对象）：-700元" in text
    assert "2026年12月21日前" in text and "通过银行转账缴纳" in text
    assert "国办函〔2020〕109号" in text and "视为放弃申请" in text
    assert ("不计算在答复期限内" in text) == core_fees.FEE_NOTICE_PAUSES_CLOCK
    assert doc.context["fee"]["amount"] == "4000.00"
    # the answer letter after non-payment cites the notice date
    app.outcome = "other_fee_unpaid"
    app.save()
    letter = preview_letter(app, "reply", {"issue_date": dt.date(2026, 12, 22)})
    assert any("2026年11月23日向您发出收费通知" in p for p in letter.paragraphs)


def test_fee_notice_requires_a_fee(dept):
    with pytest.raises(LetterError) as exc:
        preview_letter(make_app(dept), "fee_notice", {"issue_date": ISSUE})
    assert exc.value.errors == ["请先计算信息处理费并登记收费通知"]


def test_receipt_by_system(dept):
    app = make_app(dept, due_date=dt.date(2026, 12, 1))
    doc = generate_document(app, "receipt", None, extra={"issue_date": dt.date(2026, 11, 3)})
    assert doc.created_by is None
    assert app.tracking_number in doc.rendered_text and "2026年12月1日" in doc.rendered_text
    assert "查询码已另行告知" in doc.rendered_text  # the code itself is never in a letter kept on file
    assert "第三十三条" in doc.rendered_text


def test_agency_override_is_used(dept, officer):
    LetterTemplate.objects.create(
        agency=dept,
        kind="receipt",
        title="受理通知",
        doc_number="住建回〔{{ issue_date.year }}〕{{ tracking_number }}",
        body="{{ applicant_name }}同志提交的申请已收到。\n\n受理编号{{ tracking_number }}。",
        cc="某某区人民政府办公室、某某区司法局",
    )
    letter = preview_letter(make_app(dept), "receipt", {"issue_date": ISSUE})
    assert letter.title == "受理通知" and letter.doc_number.startswith("住建回〔2026〕")
    assert letter.paragraphs[0] == "张三同志提交的申请已收到。"
    assert letter.cc == ["某某区人民政府办公室", "某某区司法局"]


def test_snapshot_is_json_safe(dept):
    app = make_app(dept, outcome="granted")
    ctx = build_context(
        app, "reply", extra={"issue_date": ISSUE, "fee_assessment": core_fees.assess("by_count", position=12)}
    )
    snap = snapshot(ctx)
    assert snap["issue_date"] == "2026-11-23" and snap["fee"]["amount"] == "100.00"


def test_art35_explanation_request_and_delayed_answer(dept):
    app = make_app(dept)
    letter = preview_letter(
        app,
        "explanation_request",
        {"issue_date": ISSUE, "deadline": "2026-12-04", "detail": "本月已提出42件申请"},
    )
    body = "".join(letter.paragraphs)
    assert "（本月已提出42件申请）" in body and "第三十五条" in body and "2026年12月4日前" in body
    assert "不予处理" in body
    letter = preview_letter(
        app,
        "delayed_answer",
        {"issue_date": ISSUE, "new_due": dt.date(2027, 1, 29), "reason": "所涉档案需逐卷调取"},
    )
    body = "".join(letter.paragraphs)
    assert "第三十五条" in body and "2027年1月29日前向您作出答复" in body and "（所涉档案需逐卷调取）" in body
    with pytest.raises(LetterError) as exc:
        preview_letter(app, "delayed_answer", {"issue_date": ISSUE})
    assert exc.value.errors == ["请确定延迟答复的合理期限"]
    with pytest.raises(LetterError):
        preview_letter(app, "explanation_request", {"issue_date": ISSUE, "deadline": ISSUE})
