import pytest
from wb_helpers import PINNED_TODAY, RESIDENT_ID, make_app  # noqa: F401  (re-exported for older imports)

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role


@pytest.fixture(autouse=True)
def _no_rate_limit(settings, tmp_path):
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users


@pytest.fixture
def tree(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局",
        kind=AgencyKind.DEPARTMENT,
        parent=city,
        tracking_prefix="市教依申",
        short_name="市教育局",
    )
    other = Agency.objects.create(
        name="某市财政局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市财依申"
    )
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
