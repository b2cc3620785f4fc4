import datetime as dt

import pytest
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.applications.services import submit_application

RESIDENT_ID = "11010519491231002X"
# Pinned "today" of the queue and clock (tests never depend on the real date).
PINNED_TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings, tmp_path):
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users


@pytest.fixture
def tree(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申", short_name="市教育局")
    other = Agency.objects.create(name="某市财政局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市财依申")
    return city, dept, other


@pytest.fixture
def staff(tree, django_user_model):
    city, dept, other = tree
    users = {}
    for name, agency, role, full in [
        ("registrar", dept, Role.REGISTRAR, "登记员甲"),
        ("handler", dept, Role.HANDLER, "承办人乙"),
        ("reviewer", dept, Role.REVIEWER, "审核人丙"),
        ("head", dept, Role.HEAD, "负责人丁"),
        ("other_handler", other, Role.HANDLER, "财政承办人"),
        ("supervisor", city, Role.SUPERVISOR, "监督员"),
    ]:
        u = django_user_model.objects.create_user(name, password="pw-123456", first_name=full)
        Membership.objects.create(user=u, agency=agency, role=role)
        users[name] = u
    return users


def make_app(agency, received: dt.date, *, registrar, name="张三", channel="in_person", applicant_type="natural_person", description="某项政府信息", **extra):
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
