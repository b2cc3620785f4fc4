import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.records.services import lifecycle

D = dt.date


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


def make_user(username, agency=None, *roles):
    user = get_user_model().objects.create_user(username)
    for r in roles:
        Membership.objects.create(user=user, agency=agency, role=r)
    return user


@pytest.fixture
def staff(agencies):
    dept, city, other = agencies["dept"], agencies["city"], agencies["other"]
    return {
        "handler": make_user("handler", dept, Role.HANDLER),
        "reviewer": make_user("reviewer", dept, Role.REVIEWER),
        "head": make_user("head", dept, Role.HEAD),
        "supervisor": make_user("supervisor", city, Role.SUPERVISOR),
        "outsider": make_user("outsider", other, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN),
    }


POLICY = {
    "category": "normative",
    "title": "某市教育局关于规范校外培训机构管理的通知",
    "doc_number": "市教发〔2026〕3号",
    "written_on": D(2026, 11, 2),
    "body": "为规范校外培训机构管理，现就有关事项通知如下。",
}


def draft(agency, user, **overrides):
    return lifecycle.create_record(agency, dict(POLICY, **overrides), actor=user)


PUBLISHED_ON = D(2026, 11, 20)


def publish(agency, staff, on=PUBLISHED_ON, **overrides):
    """Draft → attribute → review → approve → publish."""
    rec = draft(agency, staff["handler"], **overrides)
    lifecycle.transition(
        rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "proactive"}
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    lifecycle.transition(
        rec,
        "approve",
        actor=staff["reviewer"],
        data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
    )
    return lifecycle.transition(rec, "publish", actor=staff["handler"], data={"date": on})


def withhold(agency, staff, on, **overrides):
    """Draft → 不予公开 (with reason and basis) → review → approve → withhold on ``on``."""
    rec = draft(agency, staff["handler"], **overrides)
    lifecycle.transition(
        rec,
        "decide_attribute",
        actor=staff["handler"],
        data={
            "disclosure_attribute": "not_disclosed",
            "attribute_reason": "涉及商业秘密",
            "attribute_basis": "条例第十五条",
        },
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    lifecycle.transition(
        rec,
        "approve",
        actor=staff["reviewer"],
        data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
    )
    return lifecycle.transition(rec, "withhold", actor=staff["handler"], data={"date": on})
