"""Seeded data of the permission matrix: one agency with a case, a letter, an attachment, an annual
report, a proactive document, an appeal, an imported report and a published record; staff in every
role, supervisors in and out of the subtree, another agency's staff, and an applicant holding the
case's query code (a uniquely named module, see tests/workbench/wb_helpers.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

ROLES = (
    "anonymous",
    "applicant",
    "registrar",
    "handler",
    "reviewer",
    "head",
    "agency_admin",
    "supervisor_in",
    "supervisor_out",
    "other_staff",
)
STAFF_ROLES = {
    "registrar": Role.REGISTRAR,
    "handler": Role.HANDLER,
    "reviewer": Role.REVIEWER,
    "head": Role.HEAD,
    "agency_admin": Role.ADMIN,
}
ALL_RECORD_ROLES = {"handler", "reviewer", "head", "admin"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _agency(name, kind, prefix, parent=None):
    return Agency.objects.create(name=name, kind=kind, tracking_prefix=prefix, parent=parent)


def build(django_user_model) -> SimpleNamespace:
    from gongkai.annual_reports.services import get_or_create_draft, publish
    from gongkai.appeals.services import save_appeal
    from gongkai.applications.services import submit_application
    from gongkai.letters import generate_document
    from gongkai.records.models import RecordAttachment, Topic
    from gongkai.records.services import lifecycle
    from gongkai.report_import.models import ImportBatch, ImportedReport

    city = _agency("矩阵市人民政府", AgencyKind.GOVERNMENT, "矩市依申")
    dept = _agency("矩阵市教育局", AgencyKind.DEPARTMENT, "矩教依申", city)
    sibling = _agency("矩阵市财政局", AgencyKind.DEPARTMENT, "矩财依申", city)
    outside = _agency("别处县人民政府", AgencyKind.GOVERNMENT, "别县依申")

    users = {}
    memberships = [(name, dept, role) for name, role in STAFF_ROLES.items()] + [
        ("supervisor_in", city, Role.SUPERVISOR),
        ("supervisor_out", outside, Role.SUPERVISOR),
        ("other_staff", sibling, Role.HANDLER),
    ]
    for name, agency, role in memberships:
        u = django_user_model.objects.create_user(f"m-{name}", password="pw-123456", first_name=name)
        Membership.objects.create(user=u, agency=agency, role=role)
        users[name] = u

    received = dt.date(2026, 11, 23)
    app = submit_application(
        dept,
        {
            "applicant_type": "natural_person",
            "applicant_name": "张三",
            "id_document_number": "11010519491231002X",
            "phone": "13812345678",
            "email": "zhang@example.com",
            "postal_address": "矩阵市东城区和平路1号2单元301室",
            "description": "2025年度某校舍改造项目的招标文件",
            "delivery_method": "email",
        },
        channel="in_person",
        actor=users["registrar"],
        submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10))),
        attachments=[SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")],
    )
    letter = generate_document(app, "receipt", users["registrar"])

    report, draft = get_or_create_draft(dept, 2025, user=users["head"])
    version = publish(draft, users["head"])
    appeal = save_appeal(dict(agency=dept, kind="review", filed_date=dt.date(2025, 5, 1)))
    batch = ImportBatch.objects.create(
        source="upload", source_kind="zip", agency=dept, created_by=users["supervisor_in"]
    )
    imported = ImportedReport.objects.create(
        agency=dept,
        year=2025,
        template_id="2021",
        source_name="矩阵市教育局2025年报.txt",
        sha256="0" * 64,
        batch=batch,
    )

    topic = Topic.objects.get_or_create(code="t-matrix", defaults={"name": "矩阵", "sort": 999})[0]
    record = lifecycle.create_record(
        dept,
        {
            "category": "normative",
            "written_on": dt.date(2024, 2, 25),
            "title": "矩阵市教育局规范性文件",
            "doc_number": "矩教规〔2024〕1号",
            "body": "正文。",
            "topic": topic,
            "art_item": "20-11",
        },
        roles=ALL_RECORD_ROLES,
    )
    lifecycle.transition(
        record, "decide_attribute", roles=ALL_RECORD_ROLES, data={"disclosure_attribute": "proactive"}
    )
    lifecycle.transition(record, "submit_review", roles=ALL_RECORD_ROLES)
    lifecycle.transition(
        record,
        "approve",
        roles=ALL_RECORD_ROLES,
        data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
    )
    record = lifecycle.transition(
        record, "publish", roles=ALL_RECORD_ROLES, data={"date": dt.date(2024, 3, 1)}
    )
    record_attachment = RecordAttachment(
        record=record, original_name="附件.pdf", content_type="application/pdf", size=len(PDF)
    )
    record_attachment.file.save("附件.pdf", ContentFile(PDF), save=True)

    return SimpleNamespace(
        city=city,
        dept=dept,
        sibling=sibling,
        outside=outside,
        users=users,
        app=app,
        attachment=app.attachments.get(),
        letter=letter,
        report=report,
        version=version,
        appeal=appeal,
        batch=batch,
        imported=imported,
        topic=topic,
        record=record,
        record_attachment=record_attachment,
        applicant_code=app.issued_query_code,
    )
