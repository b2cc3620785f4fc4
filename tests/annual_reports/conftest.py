import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.applications.models import Application

_serial = itertools.count(1)


def make_app(agency, applicant_type, received, closed=None, outcome=""):
    n = next(_serial)
    return Application.objects.create(
        agency=agency,
        year=received.year,
        serial=n,
        tracking_number=f"{agency.tracking_prefix}〔{received.year}〕{n:05d}号",
        applicant_type=applicant_type,
        applicant_name="申请人",
        description="某某文件",
        channel="internet",
        submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
        received_date=received,
        receipt_basis="online_confirmed",
        state="answered" if closed else "in_handling",
        outcome=outcome,
        answered_on=closed,
        closed_on=closed,
    )


@pytest.fixture(name="make_app")
def make_app_fixture():
    return make_app


@pytest.fixture
def region(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政")
    edu = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教"
    )
    district = Agency.objects.create(
        name="某区人民政府", kind=AgencyKind.GOVERNMENT, parent=city, tracking_prefix="区政"
    )
    town = Agency.objects.create(
        name="某镇人民政府", kind=AgencyKind.TOWNSHIP, parent=district, tracking_prefix="镇政"
    )
    return {"city": city, "edu": edu, "district": district, "town": town}


@pytest.fixture
def users(region):
    U = get_user_model()
    out = {}
    for name, agency, role in [
        ("head", region["edu"], Role.HEAD),
        ("reviewer", region["edu"], Role.REVIEWER),
        ("handler", region["edu"], Role.HANDLER),
        ("cityhead", region["city"], Role.HEAD),
        ("sup", region["city"], Role.SUPERVISOR),
    ]:
        u = U.objects.create_user(name, password="pw-123456")
        Membership.objects.create(user=u, agency=agency, role=role)
        out[name] = u
    return out
