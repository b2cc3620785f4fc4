"""Glue to ``gongkai.core.fees``: the applicant's position in the month, assessment, pay-by date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Max

from gongkai.core import fees as core_fees

from ..models import Application
from . import deadlines


def same_applicant(app: Application):
    """Applications of the same applicant to the same agency (by ID number, else by name)."""
    qs = Application.objects.filter(agency_id=app.agency_id)
    if app.id_document_number:
        return qs.filter(id_document_number=app.id_document_number)
    return qs.filter(applicant_name=app.applicant_name, id_document_number="")


def count_position(app: Application) -> int:
    """1-based position of the first 件 of ``app`` among the same applicant's 件 received in the
    same calendar month (一个自然月内累计, FM Art. 4), ordered by received date then serial.

    FM Art. 4 splits an application into 件 (一事一申请) and then accumulates: an earlier
    application counts with the number of 件 recorded on its fee notice (the largest, if several),
    else as one 件 — the same count the fee of a single split application uses.
    """
    d = app.received_date
    month = same_applicant(app).filter(received_date__year=d.year, received_date__month=d.month)
    earlier = (
        month.filter(received_date__lt=d) | month.filter(received_date=d, serial__lt=app.serial)
    ).exclude(pk=app.pk)
    counted = earlier.annotate(split=Max("fee_notices__pieces")).values_list("split", flat=True)
    return sum(max(int(n or 1), 1) for n in counted) + 1


@dataclass(frozen=True)
class NoticeReceipt:
    """The day the applicant received the fee notice: recorded, or presumed (stated in the notice)."""

    received_on: dt.date
    presumed: bool
    note: str


DELIVERY_LABELS = {
    "email": "电子邮件",
    "online": "网上平台",
    "fax": "传真",
    "post": "邮寄",
    "pickup": "自行领取",
}


def notice_receipt(app: Application, issued_on: dt.date, received_on: dt.date | None) -> NoticeReceipt:
    """Receipt of a fee notice: the recorded date, else presumed from the delivery method
    (setting ``GONGKAI_FEE_NOTICE_PRESUMED_RECEIPT_DAYS``, calendar days after issue). The
    payment window runs from the day after it, so a posted notice cannot lapse early."""
    if received_on is not None:
        return NoticeReceipt(received_on, False, "")
    table = getattr(settings, "GONGKAI_FEE_NOTICE_PRESUMED_RECEIPT_DAYS", {}) or {}
    method = app.delivery_method or "post"
    days = int(table.get(method, table.get("post", 7)))
    presumed = issued_on + dt.timedelta(days=days)
    how = DELIVERY_LABELS.get(method, "邮寄")
    if days:
        note = f"本通知以{how}方式送达，按发出后{days}日推定您于{presumed:%Y年%m月%d日}收到"
    else:
        note = f"本通知以{how}方式送达，推定您于发出当日（{presumed:%Y年%m月%d日}）收到"
    return NoticeReceipt(presumed, True, note)


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise core_fees.FeeError(f"{field}格式不正确") from None


def assess_for(app: Application, data: dict) -> core_fees.FeeAssessment:
    """Assess the fee of ``app`` from workflow data.

    ``data``: ``method`` (``by_count``/``by_volume``), ``pages`` (按量), ``pieces`` (按件, default 1),
    ``waiver_reason`` and optional ``waiver_amount`` (whole fee when omitted).
    Raises ``core.fees.FeeError`` (Chinese message).
    """
    method = (data or {}).get("method") or core_fees.FeeMethod.BY_COUNT
    waiver = None
    reason = str((data or {}).get("waiver_reason") or "").strip()
    if reason or (data or {}).get("waiver_amount") not in (None, ""):
        waiver = core_fees.Waiver(reason=reason, amount=_decimal(data.get("waiver_amount"), "减免金额"))
    if method == core_fees.FeeMethod.BY_VOLUME:
        try:
            pages = int(data.get("pages"))
        except (TypeError, ValueError):
            raise core_fees.FeeError("按量计收须填写页数") from None
        return core_fees.assess(method, pages=pages, waiver=waiver)
    try:
        pieces = int(data.get("pieces") or 1)
    except (TypeError, ValueError):
        raise core_fees.FeeError("拆分后的件数须为正整数") from None
    return core_fees.assess(method, position=count_position(app), pieces=pieces, waiver=waiver)


def pay_by(notice_received_on: dt.date, calendar=None) -> dt.date:
    return deadlines.fee_pay_by(notice_received_on, calendar)
