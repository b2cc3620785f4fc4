import datetime as dt

import pytest
from casework_fixtures import COMPANY, NATURAL, at
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications.models import Application, ApplicationEvent, Attachment, TrackingCounter
from gongkai.applications.services import find_by_tracking, submit_application
from gongkai.applications.services.numbering import format_tracking_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_online_submission_gets_number_query_code_event_and_due_date(agency):
    app = submit_application(agency, NATURAL, channel="internet", submitted_at=at(2026, 3, 2, 9, 30))
    assert app.tracking_number == "市教依申〔2026〕0001号"
    assert (app.year, app.serial) == (2026, 1)
    assert len(app.issued_query_code) == 8
    assert app.issued_query_code not in app.query_code_hash  # stored hashed only
    assert Application.objects.get(pk=app.pk).query_code_hash == app.query_code_hash
    assert app.received_date == dt.date(2026, 3, 2)
    assert app.receipt_basis == "online_confirmed"
    assert "网上申请平台" in app.receipt_evidence
    # 20 working days after 2026-03-02 (no holidays in March 2026): 2026-03-30
    assert app.due_date == dt.date(2026, 3, 30)
    assert app.due_date_error == ""
    ev = list(app.events.all())
    assert [(e.seq, e.action, e.from_state, e.to_state, e.actor_label) for e in ev] == [
        (1, "submit", "", "registered", "申请人")
    ]
    app2 = submit_application(agency, COMPANY, channel="internet", submitted_at=at(2026, 3, 3))
    assert app2.tracking_number == "市教依申〔2026〕0002号"
    assert app2.id_document_type == "credit_code"


def test_format_tracking_number():
    assert format_tracking_number("丰政依申", 2026, 123) == "丰政依申〔2026〕0123号"
    assert format_tracking_number("丰政依申", 2026, 12345) == "丰政依申〔2026〕12345号"


def test_numbers_are_per_agency_and_year(agencies, staff):
    dept, other = agencies["dept"], agencies["other"]
    a = submit_application(dept, NATURAL, channel="internet", submitted_at=at(2025, 12, 31, 23))
    b = submit_application(dept, NATURAL, channel="internet", submitted_at=at(2026, 1, 5))
    c = submit_application(other, NATURAL, channel="internet", submitted_at=at(2026, 1, 5))
    assert a.tracking_number == "市教依申〔2025〕0001号"
    assert b.tracking_number == "市教依申〔2026〕0001号"
    assert c.tracking_number == "市建依申〔2026〕0001号"
    assert TrackingCounter.objects.count() == 3


def test_in_person_received_on_submission_day(agency, staff):
    app = submit_application(
        agency, NATURAL, channel="in_person", actor=staff["registrar"], submitted_at=at(2026, 4, 3, 15)
    )
    assert app.received_date == dt.date(2026, 4, 3)
    assert app.receipt_basis == "in_person"
    assert app.registered_by == staff["registrar"]
    assert app.events.get().actor == staff["registrar"]
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency,
            NATURAL,
            channel="in_person",
            actor=staff["registrar"],
            submitted_at=at(2026, 4, 3),
            received_date=dt.date(2026, 4, 7),
        )
    assert "提交之日" in str(ei.value.message_dict["received_date"])


def test_post_signed_requires_signing_date(agency, staff):
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency, NATURAL, channel="letter", actor=staff["registrar"], submitted_at=at(2026, 4, 3)
        )
    assert "签收" in ei.value.message_dict["received_date"][0]
    app = submit_application(
        agency,
        NATURAL,
        channel="letter",
        actor=staff["registrar"],
        submitted_at=at(2026, 4, 3),
        received_date="2026-04-02",
        receipt_evidence="EMS 1234567890 签收单",
    )
    assert app.received_date == dt.date(2026, 4, 2)
    assert app.receipt_basis == "post_signed"
    assert app.receipt_evidence == "EMS 1234567890 签收单"


def test_ordinary_mail_uses_confirmation_date_and_needs_evidence(agency, staff):
    data = dict(NATURAL, receipt_basis="mail_confirmed")
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency,
            data,
            channel="letter",
            actor=staff["registrar"],
            submitted_at=at(2026, 4, 3),
            received_date=dt.date(2026, 4, 3),
        )
    assert "receipt_evidence" in ei.value.message_dict
    app = submit_application(
        agency,
        data,
        channel="letter",
        actor=staff["registrar"],
        submitted_at=at(2026, 4, 3),
        received_date=dt.date(2026, 4, 3),
        receipt_evidence="2026-04-03 电话与申请人确认（登记员：甲）",
    )
    assert app.receipt_basis == "mail_confirmed"


def test_fax_and_email_need_both_sides_confirmation_date(agency, staff):
    for channel in ("fax", "email"):
        with pytest.raises(ValidationError) as ei:
            submit_application(
                agency, NATURAL, channel=channel, actor=staff["registrar"], submitted_at=at(2026, 4, 3)
            )
        assert "双方确认" in ei.value.message_dict["received_date"][0]
    app = submit_application(
        agency,
        NATURAL,
        channel="fax",
        actor=staff["registrar"],
        submitted_at=at(2026, 4, 3),
        received_date=dt.date(2026, 4, 7),
        receipt_evidence="回传确认单",
    )
    assert app.received_date == dt.date(2026, 4, 7)
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency,
            NATURAL,
            channel="fax",
            actor=staff["registrar"],
            submitted_at=at(2026, 4, 3),
            received_date=dt.date(2026, 4, 1),
            receipt_evidence="x",
        )
    assert "不能早于" in ei.value.message_dict["received_date"][0]


@pytest.mark.parametrize(
    ("base", "missing", "field", "text"),
    [
        (NATURAL, "applicant_name", "applicant_name", "姓名"),
        (NATURAL, "id_document_number", "id_document_number", "身份证明"),
        (NATURAL, "description", "description", "描述"),
        (NATURAL, "applicant_type", "applicant_type", "申请人类型"),
        (COMPANY, "applicant_name", "applicant_name", "名称"),
        (COMPANY, "id_document_number", "id_document_number", "信用代码"),
        (COMPANY, "legal_representative", "legal_representative", "法定代表人"),
        (COMPANY, "contact_person", "contact_person", "联系人"),
    ],
)
def test_required_fields_per_applicant_type(agency, base, missing, field, text):
    data = {k: v for k, v in base.items() if k != missing}
    with pytest.raises(ValidationError) as ei:
        submit_application(agency, data, channel="internet", submitted_at=at(2026, 3, 2))
    assert text in " ".join(ei.value.message_dict[field])
    assert not Application.objects.exists()
    assert not TrackingCounter.objects.exists()


def test_at_least_one_contact_way(agency):
    data = dict(NATURAL, phone="", email="", postal_address="", delivery_method="pickup")
    with pytest.raises(ValidationError) as ei:
        submit_application(agency, data, channel="internet", submitted_at=at(2026, 3, 2))
    assert "联系方式" in ei.value.message_dict["phone"][0]
    ok = submit_application(
        agency, dict(data, postal_address="某路2号"), channel="internet", submitted_at=at(2026, 3, 2)
    )
    assert ok.pk


def test_id_format_checked(agency):
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency, dict(NATURAL, id_document_number="12345"), channel="internet", submitted_at=at(2026, 3, 2)
        )
    assert "格式" in ei.value.message_dict["id_document_number"][0]


def test_public_can_only_submit_online_and_staff_need_a_role(agency, staff):
    with pytest.raises(PermissionDenied):
        submit_application(agency, NATURAL, channel="in_person", submitted_at=at(2026, 3, 2))
    for who in ("supervisor", "outsider", "reviewer"):
        with pytest.raises(PermissionDenied):
            submit_application(
                agency, NATURAL, channel="in_person", actor=staff[who], submitted_at=at(2026, 3, 2)
            )
    assert not Application.objects.exists()


def test_attachments_checked_and_stored(agency):
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    app = submit_application(
        agency, NATURAL, channel="internet", submitted_at=at(2026, 3, 2), attachments=[pdf]
    )
    att = Attachment.objects.get(application=app)
    assert att.original_name == "证明.pdf" and att.size == 13 and att.event.action == "submit"
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency, NATURAL, channel="internet", submitted_at=at(2026, 3, 2), attachments=[bad]
        )
    assert "不允许" in ei.value.message_dict["attachments"][0]


def test_attachment_size_limit(agency, settings):
    settings.GONGKAI_MAX_ATTACHMENT_BYTES = 10
    big = SimpleUploadedFile("a.txt", b"x" * 11, content_type="text/plain")
    with pytest.raises(ValidationError) as ei:
        submit_application(
            agency, NATURAL, channel="internet", submitted_at=at(2026, 3, 2), attachments=[big]
        )
    assert "大小上限" in ei.value.message_dict["attachments"][0]
    assert not ApplicationEvent.objects.exists()


def test_find_by_tracking(agency):
    app = submit_application(agency, NATURAL, channel="internet", submitted_at=at(2026, 3, 2))
    code = app.issued_query_code
    assert find_by_tracking(app.tracking_number, code) == app
    assert find_by_tracking(" " + app.tracking_number + " ", code.lower()) == app
    assert find_by_tracking(app.tracking_number, "WRONG123") is None
    assert find_by_tracking("不存在〔2026〕0001号", code) is None
    assert find_by_tracking("", "") is None
    assert find_by_tracking(app.tracking_number, "查询码错误") is None
    assert find_by_tracking("不存在", "查询码") is None


def test_uncovered_calendar_year_stores_message_not_crash(agency):
    from gongkai.applications.services import deadlines
    from gongkai.core.workdays import WorkCalendar

    app = Application(agency=agency, state="registered", received_date=dt.date(2026, 12, 10))
    deadlines.rederive(app, save=False, calendar=WorkCalendar())
    # 20 working days after 2026-12-10 reach January 2027, which the package does not cover
    assert app.due_date is None
    assert "2027" in app.due_date_error and "尚未录入" in app.due_date_error
    deadlines.rederive(app, save=False, calendar=WorkCalendar(complete_years=[2027]))
    assert app.due_date == dt.date(2027, 1, 7) and app.due_date_error == ""
