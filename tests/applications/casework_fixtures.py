import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


NATURAL = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_document_number": "110101199003071234",
    "phone": "13800000000",
    "email": "zhangsan@example.cn",
    "description": "2025年度本区老旧小区改造项目清单",
    "requested_form": "electronic",
    "delivery_method": "email",
}

COMPANY = {
    "applicant_type": "legal_commercial",
    "applicant_name": "某某科技有限公司",
    "id_document_number": "91110108MA01ABCD1X",
    "legal_representative": "李四",
    "contact_person": "王五",
    "postal_address": "北京市海淀区某路1号",
    "description": "某项目环评批复文件",
    "requested_form": "paper",
    "delivery_method": "post",
}


@pytest.fixture
def agencies(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    other = Agency.objects.create(
        name="某市住建局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市建依申"
    )
    return {"city": city, "dept": dept, "other": other}


@pytest.fixture
def agency(agencies):
    return agencies["dept"]


def make_user(username, agency=None, *roles):
    user = get_user_model().objects.create_user(username)  # no password: no slow hashing
    for r in roles:
        Membership.objects.create(user=user, agency=agency, role=r)
    return user


@pytest.fixture
def staff(agencies):
    dept, city, other = agencies["dept"], agencies["city"], agencies["other"]
    return {
        "registrar": make_user("registrar", dept, Role.REGISTRAR),
        "handler": make_user("handler", dept, Role.HANDLER),
        "reviewer": make_user("reviewer", dept, Role.REVIEWER),
        "head": make_user("head", dept, Role.HEAD),
        "admin": make_user("admin", dept, Role.ADMIN),
        "supervisor": make_user("supervisor", city, Role.SUPERVISOR),
        "outsider": make_user(
            "outsider", other, Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN
        ),
    }
