import importlib.util
import pathlib
import sys

if "casework_fixtures" not in sys.modules:
    _path = pathlib.Path(__file__).resolve().parent.parent / "applications" / "casework_fixtures.py"
    _spec = importlib.util.spec_from_file_location("casework_fixtures", _path)
    _mod = importlib.util.module_from_spec(_spec)
    sys.modules["casework_fixtures"] = _mod
    _spec.loader.exec_module(_mod)

import datetime as dt  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import pytest  # noqa: E402
from casework_fixtures import *  # noqa: E402,F401,F403
from django.utils import timezone  # noqa: E402

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role  # noqa: E402

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_document_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "zhang@example.com",
    "postal_address": "北京市东城区和平里街道和平路1号2单元301室",
    "description": "2025年度某校舍改造项目的招标文件",
    "delivery_method": "email",
}


@pytest.fixture
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def case(db, django_user_model, _fast):
    """An online application to a department, staff in every role, supervisors, an outsider."""
    from gongkai.applications.services import submit_application

    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    other = Agency.objects.create(
        name="某市财政局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市财依申"
    )
    users = {}
    for name, agency, role in [
        ("registrar", dept, Role.REGISTRAR),
        ("handler", dept, Role.HANDLER),
        ("reviewer", dept, Role.REVIEWER),
        ("head", dept, Role.HEAD),
        ("agency_admin", dept, Role.ADMIN),
        ("supervisor", city, Role.SUPERVISOR),
        ("other_staff", other, Role.HANDLER),
    ]:
        u = django_user_model.objects.create_user(name, password="pw-123456", first_name=name)
        Membership.objects.create(user=u, agency=agency, role=role)
        users[name] = u
    users["superuser"] = django_user_model.objects.create_superuser("root", password="pw-123456")
    app = submit_application(
        dept,
        dict(APPLICANT),
        channel="internet",
        submitted_at=timezone.make_aware(dt.datetime(2026, 11, 23, 9, 30)),
    )
    return SimpleNamespace(
        city=city, dept=dept, other=other, users=users, app=app, code=app.issued_query_code
    )
