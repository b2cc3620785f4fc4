"""Glue to ``gongkai.core.fees``: the applicant's position in the month, assessment, pay-by date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

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
    """1-based position of ``app`` among the same applicant's applications received in the same
    calendar month (一个自然月内累计, FM Art. 4), ordered by received date then serial."""
    d = app.received_date
    month = same_applicant(app).filter(received_date__year=d.year, received_date__month=d.month)
    earlier = month.filter(received_date__lt=d).count()
    same_day = month.filter(received_date=d, serial__lte=app.serial).count()
    return earlier + same_day


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
