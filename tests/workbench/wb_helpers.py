"""Shared helpers of the workbench tests (a uniquely named module: several test directories have a
``conftest.py``, so ``from conftest import ...`` may pick the wrong one)."""

import datetime as dt

from django.utils import timezone

from gongkai.applications.services import submit_application

RESIDENT_ID = "11010519491231002X"
# Pinned "today" of the queue and clock (tests never depend on the real date).
PINNED_TODAY = dt.date(2026, 3, 2)


def make_app(
    agency,
    received: dt.date,
    *,
    registrar,
    name="张三",
    channel="in_person",
    applicant_type="natural_person",
    description="某项政府信息",
    **extra,
):
    data = {
        "applicant_type": applicant_type,
        "applicant_name": name,
        "id_document_number": RESIDENT_ID if applicant_type == "natural_person" else "91350100M000100Y43",
        "phone": "13800000000",
        "email": "a@example.com",
        "postal_address": "某市某路1号",
        "description": description,
        "delivery_method": "email",
        **extra,
    }
    if applicant_type != "natural_person":
        data.update(legal_representative="李四", contact_person="王五")
    at = timezone.make_aware(dt.datetime.combine(received, dt.time(10, 0)))
    kwargs = {}
    if channel != "in_person":
        kwargs = {"received_date": received, "receipt_evidence": "电话确认"}
    return submit_application(agency, data, channel=channel, actor=registrar, submitted_at=at, **kwargs)
