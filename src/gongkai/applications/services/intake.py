"""Intake (登记) of disclosure applications: validation, receipt date (Art. 31), tracking number.

``submit_application`` is used by the public portal (online submission, ``actor=None``), the staff
workbench and the REST API (registration by a registrar of an application received in person,
by post, by fax …). Everything — counter, application, first event, attachments — happens in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Role
from gongkai.core import tracking_numbers

from ..models import (
    APPLICANT_TYPE_CHOICES,
    Application,
    ApplicationState,
    Channel,
    DeliveryMethod,
    IdDocumentType,
    ReceiptBasis,
    RequestedForm,
)
from ..models.choices import NATURAL_PERSON
from . import deadlines, numbering
from .events import APPLICANT_LABEL, append_event, store_attachments, validate_attachments
from .query_codes import code_matches, set_new_code

# A well-formed hash no code matches (compared against when the number is unknown).
UNKNOWN_HASH = "hmac-sha256$0$" + "0" * 64

# Fields an intake form may supply (model field names).
APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_document_type",
    "id_document_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "postal_address",
    "postal_code",
)
REQUEST_FIELDS = (
    "description",
    "purpose",
    "requested_form",
    "delivery_method",
    "fee_waiver_requested",
    "fee_waiver_reason",
)
INTAKE_FIELDS = APPLICANT_FIELDS + REQUEST_FIELDS

# Staff roles that may register an application received through any channel.
INTAKE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.ADMIN)

RESIDENT_ID_RE = re.compile(r"^(\d{17}[\dX]|\d{15})$")
CREDIT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Receipt basis per channel (Art. 31). A letter is "post requiring signature" unless the registrar
# says it came as ordinary mail (``data["receipt_basis"] = "mail_confirmed"``).
CHANNEL_BASIS = {
    Channel.IN_PERSON: ReceiptBasis.IN_PERSON_SUBMITTED,
    Channel.LETTER: ReceiptBasis.POST_SIGNED,
    Channel.INTERNET: ReceiptBasis.ONLINE_CONFIRMED,
    Channel.EMAIL: ReceiptBasis.ONLINE_CONFIRMED,
    Channel.FAX: ReceiptBasis.ONLINE_CONFIRMED,
    Channel.OTHER: ReceiptBasis.OTHER,
}

RECEIVED_DATE_REQUIRED = {
    ReceiptBasis.POST_SIGNED: "以邮寄方式提交的，以签收之日为收到申请之日，请填写签收日期",
    ReceiptBasis.ORDINARY_MAIL_CONFIRMED: "以平常信函等无需签收方式提交的，以与申请人确认之日为收到申请之日，请填写确认日期",
    ReceiptBasis.ONLINE_CONFIRMED: "通过互联网渠道或传真提交的，以双方确认之日为收到申请之日，请填写确认日期",
    ReceiptBasis.OTHER: "请填写与申请人确认收到申请的日期",
}


def _clean_str(value) -> str:
    return "" if value is None else str(value).strip()


def to_date(value) -> dt.date | None:
    """A date from a date, an (aware) datetime or an ISO string; ``None`` for blank.
    Raises ``ValueError`` for anything else (callers turn it into their Chinese message)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _as_date(value) -> dt.date | None:
    try:
        return to_date(value)
    except ValueError:
        raise ValidationError({"received_date": "日期格式不正确，应为 YYYY-MM-DD"}) from None


def clean_intake_data(data: dict) -> dict:
    """Validate applicant and request fields (Art. 29); return cleaned values or raise a
    ``ValidationError`` whose dict maps field names to Chinese messages."""
    errors: dict[str, list[str]] = {}

    def err(field, msg):
        errors.setdefault(field, []).append(msg)

    raw = dict(data or {})
    out: dict = {}
    for f in INTAKE_FIELDS:
        if f == "fee_waiver_requested":
            v = raw.get(f, False)
            out[f] = v if isinstance(v, bool) else str(v).strip().lower() in {"1", "true", "on", "yes", "是"}
        else:
            out[f] = _clean_str(raw.get(f))

    types = dict(APPLICANT_TYPE_CHOICES)
    if not out["applicant_type"]:
        err("applicant_type", "请选择申请人类型")
    elif out["applicant_type"] not in types:
        err("applicant_type", "申请人类型不正确")
    natural = out["applicant_type"] == NATURAL_PERSON

    if natural:
        if not out["applicant_name"]:
            err("applicant_name", "请填写申请人姓名")
        if not out["id_document_type"]:
            out["id_document_type"] = IdDocumentType.RESIDENT_ID
        if not out["id_document_number"]:
            err("id_document_number", "请填写身份证明号码")
    elif out["applicant_type"]:
        if not out["applicant_name"]:
            err("applicant_name", "请填写法人或其他组织名称")
        if not out["id_document_type"] or out["id_document_type"] == IdDocumentType.RESIDENT_ID:
            out["id_document_type"] = IdDocumentType.CREDIT_CODE
        if not out["id_document_number"]:
            err("id_document_number", "请填写统一社会信用代码")
        if not out["legal_representative"]:
            err("legal_representative", "请填写法定代表人或负责人")
        if not out["contact_person"]:
            err("contact_person", "请填写联系人")

    if out["id_document_type"] and out["id_document_type"] not in IdDocumentType.values:
        err("id_document_type", "身份证明类型不正确")
    number = out["id_document_number"].upper()
    out["id_document_number"] = number
    if number and out["id_document_type"] == IdDocumentType.RESIDENT_ID and not RESIDENT_ID_RE.match(number):
        err("id_document_number", "居民身份证号码格式不正确")
    if number and out["id_document_type"] == IdDocumentType.CREDIT_CODE and not CREDIT_CODE_RE.match(number):
        err("id_document_number", "统一社会信用代码应为18位数字或大写字母")

    if not (out["phone"] or out["email"] or out["postal_address"]):
        err("phone", "请至少填写一种联系方式（联系电话、电子邮箱或通信地址）")
    if out["email"] and not EMAIL_RE.match(out["email"]):
        err("email", "电子邮箱格式不正确")

    if not out["description"]:
        err("description", "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述")
    if not out["requested_form"]:
        out["requested_form"] = RequestedForm.ELECTRONIC
    elif out["requested_form"] not in RequestedForm.values:
        err("requested_form", "信息的指定提供形式不正确")
    if not out["delivery_method"]:
        out["delivery_method"] = DeliveryMethod.EMAIL if out["email"] else DeliveryMethod.POST
    elif out["delivery_method"] not in DeliveryMethod.values:
        err("delivery_method", "获取信息的方式不正确")
    if out["delivery_method"] == DeliveryMethod.EMAIL and not out["email"]:
        err("email", "选择电子邮件方式获取信息的，请填写电子邮箱")
    if out["delivery_method"] == DeliveryMethod.POST and not out["postal_address"]:
        err("postal_address", "选择邮寄方式获取信息的，请填写通信地址")
    if out["fee_waiver_requested"] and not out["fee_waiver_reason"]:
        err("fee_waiver_reason", "申请减免信息处理费的，请说明理由")

    if errors:
        raise ValidationError(errors)
    return out


def receipt_for(
    channel: str,
    submitted_at: dt.datetime,
    *,
    received_date=None,
    basis: str | None = None,
    online_portal: bool = False,
    receipt_evidence: str = "",
) -> tuple[dt.date, str, str]:
    """``(received_date, receipt_basis, receipt_evidence)`` per Art. 31.

    - in person: the day submitted (提交之日);
    - post needing signature: the day the agency signed for it, supplied by the registrar;
    - ordinary mail: the day confirmed with the applicant, supplied by the registrar;
    - internet / fax / e-mail: the day both sides confirmed. For an online portal submission the
      system's immediate acknowledgement (tracking number + query code shown and kept by the
      applicant) is the agency's confirmation, so it is the submission day.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": "申请渠道不正确"})
    submitted_day = timezone.localdate(submitted_at)
    rd = _as_date(received_date)
    if (
        basis
        and channel == Channel.LETTER
        and basis in (ReceiptBasis.POST_SIGNED, ReceiptBasis.ORDINARY_MAIL_CONFIRMED)
    ):
        b = ReceiptBasis(basis)
    elif basis and channel == Channel.LETTER:
        raise ValidationError({"receipt_basis": "信函的收到日期依据只能是签收之日或与申请人确认之日"})
    else:
        b = CHANNEL_BASIS[Channel(channel)]
    evidence = _clean_str(receipt_evidence)

    if b == ReceiptBasis.IN_PERSON_SUBMITTED:
        if rd is not None and rd != submitted_day:
            raise ValidationError({"received_date": "当面提交的，以提交之日为收到申请之日"})
        rd = submitted_day
        evidence = evidence or f"申请人于{submitted_day:%Y年%m月%d日}当面提交"
    elif b == ReceiptBasis.ONLINE_CONFIRMED and online_portal:
        rd = rd or submitted_day
        evidence = evidence or (
            f"申请人于{timezone.localtime(submitted_at):%Y年%m月%d日 %H:%M}通过网上申请平台提交，"
            "系统即时回执受理编号和查询码，视为双方确认"
        )
    elif rd is None:
        raise ValidationError({"received_date": RECEIVED_DATE_REQUIRED[b]})

    today = timezone.localdate()
    if rd > today:
        raise ValidationError({"received_date": "收到申请之日不能晚于今天"})
    if b in (ReceiptBasis.ORDINARY_MAIL_CONFIRMED, ReceiptBasis.ONLINE_CONFIRMED, ReceiptBasis.OTHER):
        if rd < submitted_day:
            raise ValidationError({"received_date": "确认之日不能早于申请提交之日"})
        if not evidence:
            raise ValidationError({"receipt_evidence": "请记录与申请人确认的方式、时间和人员"})
    return rd, str(b), evidence


def check_intake_actor(agency, actor, channel: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        if channel != Channel.INTERNET:
            raise PermissionDenied("公众只能通过网上申请渠道提交申请")
        return
    if not access.has_role(actor, agency.pk, *INTAKE_ROLES):
        raise PermissionDenied("您无权在该机关登记政府信息公开申请")


def submit_application(
    agency,
    data: dict,
    *,
    channel: str,
    actor=None,
    submitted_at: dt.datetime | None = None,
    receipt_evidence: str = "",
    received_date=None,
    attachments=(),
) -> Application:
    """Register a new application (登记) and return it (with tracking number and query code).

    ``actor=None`` means the applicant submitting online through the portal (channel must be
    ``internet``); otherwise the actor must be a registrar, handler or agency admin of ``agency``.
    ``data`` holds model field names (see ``INTAKE_FIELDS``); for a letter, ``data["receipt_basis"]``
    may be ``"mail_confirmed"`` (ordinary mail) instead of the default ``"post_signed"``.
    Raises ``ValidationError`` (dict of Chinese messages) or ``PermissionDenied``.
    """
    if not getattr(agency, "active", True):
        raise ValidationError({"agency": "该机关已停用，不能受理申请"})
    check_intake_actor(agency, actor, channel)
    cleaned = clean_intake_data(data)
    files = list(attachments or ())
    validate_attachments(files)
    submitted_at = submitted_at or timezone.now()
    if timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at)
    if submitted_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"submitted_at": "提交时间不能晚于当前时间"})
    online_portal = actor is None and channel == Channel.INTERNET
    rd, basis, evidence = receipt_for(
        channel,
        submitted_at,
        received_date=received_date,
        basis=(data or {}).get("receipt_basis") or None,
        online_portal=online_portal,
        receipt_evidence=receipt_evidence,
    )
    staff = actor if getattr(actor, "is_authenticated", False) else None
    app = Application(
        agency=agency,
        year=rd.year,
        channel=channel,
        submitted_at=submitted_at,
        received_date=rd,
        receipt_basis=basis,
        receipt_evidence=evidence,
        state=ApplicationState.REGISTERED,
        registered_by=staff,
        **cleaned,
    )
    code = set_new_code(app)
    deadlines.rederive(app, save=False)  # depends only on the receipt date: outside the lock
    with transaction.atomic():
        app.serial, app.tracking_number = numbering.allocate(agency, rd.year)
        app.save(force_insert=True)
        event = append_event(
            app,
            "submit",
            from_state="",
            to_state=ApplicationState.REGISTERED,
            actor=staff,
            actor_label="" if staff else APPLICANT_LABEL,
            effective_date=rd,
            at=submitted_at if online_portal else None,
            reason="网上提交申请" if online_portal else "登记申请",
            data={"channel": channel, "receipt_basis": basis, "tracking_number": app.tracking_number},
            seq=1,
        )
        if files:
            store_attachments(app, files, event=event, actor=staff)
    app.issued_query_code = code  # in memory only: for the applicant's receipt or notice, never stored
    return app


def find_by_tracking(tracking_number: str, query_code: str) -> Application | None:
    """The application with this tracking number if the query code matches, else ``None``."""
    number = tracking_numbers.normalise(_clean_str(tracking_number))
    code = _clean_str(query_code)
    if not number or not code:
        return None
    app = Application.objects.select_related("agency").filter(tracking_number=number).first()
    if app is None:
        code_matches(Application(query_code_hash=UNKNOWN_HASH), code)  # similar timing either way
        return None
    return app if code_matches(app, code) else None
