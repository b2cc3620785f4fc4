"""Records API: public read (disclosed only; catalogue per agency or region), staff write through
the lifecycle with the per-agency role rules, 404 outside the visible agencies, OpenAPI schema."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "records"))
import records_fixtures  # noqa: E402
from records_fixtures import draft, publish  # noqa: E402

from gongkai.records.models import Record  # noqa: E402

pytestmark = pytest.mark.django_db
D = dt.date
agencies, staff = records_fixtures.agencies, records_fixtures.staff  # fixtures shared with tests/records


@pytest.fixture
def api():
    return APIClient()


def test_public_list_detail_and_catalogue_show_disclosed_records_only(api, agencies, staff):
    dept, city = agencies["dept"], agencies["city"]
    pub = publish(dept, staff)
    hidden = draft(dept, staff["handler"], title="尚未发布的草稿")
    r = api.get("/api/records/")
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["results"]] == [pub.pk]
    row = r.json()["results"][0]
    assert row["index_number"] == pub.index_number and row["validity_label"] == "现行有效"
    assert api.get(f"/api/records/{pub.pk}/").json()["body"] == pub.body
    assert api.get(f"/api/records/{hidden.pk}/").status_code == 404
    assert api.get("/api/records/?category=normative&year=2026").json()["count"] == 1
    assert api.get("/api/records/?category=rule").json()["count"] == 0
    assert api.get("/api/records/?year=abc").status_code == 400
    cat = api.get(f"/api/catalogue/{dept.pk}/").json()
    assert cat["count"] == 1 and cat["results"][0]["index_number"] == pub.index_number
    assert api.get(f"/api/catalogue/{city.pk}/").json()["count"] == 0
    assert api.get(f"/api/catalogue/{city.pk}/?region=1").json()["count"] == 1


def test_staff_write_path_with_roles_and_visibility(api, agencies, staff):
    dept = agencies["dept"]
    assert api.get("/api/staff/records/").status_code in (401, 403)
    api.force_authenticate(staff["handler"])
    r = api.post(
        "/api/staff/records/",
        {
            "agency": dept.pk,
            "category": "normative",
            "title": "某市教育局关于学生资助的通知",
            "written_on": "2026-11-20",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["state"] == "draft" and "decide_attribute" in r.json()["allowed_actions"]
    r = api.post(f"/api/staff/records/{pk}/transitions/", {"action": "approve"}, format="json")
    assert r.status_code == 409 and "不能" in r.json()["detail"]
    for action, data in (("decide_attribute", {"disclosure_attribute": "proactive"}), ("submit_review", {})):
        r = api.post(f"/api/staff/records/{pk}/transitions/", {"action": action, "data": data}, format="json")
        assert r.status_code == 200, r.content
    r = api.patch(f"/api/staff/records/{pk}/", {"title": "改标题"}, format="json")
    assert r.status_code == 409 and "不能修改正文" in r.json()["detail"]
    assert api.patch(f"/api/staff/records/{pk}/", {"keywords": "学生资助"}, format="json").status_code == 200
    # the handler may not approve (role): 403 with the Chinese reason
    r = api.post(
        f"/api/staff/records/{pk}/transitions/",
        {"action": "approve", "data": {"secrecy_reviewed": True}},
        format="json",
    )
    assert r.status_code == 403 and "权限" in r.json()["detail"]
    api.force_authenticate(staff["reviewer"])
    r = api.post(
        f"/api/staff/records/{pk}/transitions/",
        {
            "action": "approve",
            "data": {"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
        },
        format="json",
    )
    assert r.status_code == 200 and r.json()["state"] == "approved"
    events = api.get(f"/api/staff/records/{pk}/events/").json()
    assert [e["action"] for e in events] == ["create", "decide_attribute", "submit_review", "edit", "approve"]
    # supervisors read the subtree, write nothing; other agencies' staff get 404
    api.force_authenticate(staff["supervisor"])
    assert api.get(f"/api/staff/records/{pk}/").status_code == 200
    r = api.post(f"/api/staff/records/{pk}/transitions/", {"action": "publish"}, format="json")
    assert r.status_code == 403
    r = api.post("/api/staff/records/", {"agency": dept.pk, "title": "x", "category": "other"}, format="json")
    assert r.status_code == 403
    api.force_authenticate(staff["outsider"])
    assert api.get(f"/api/staff/records/{pk}/").status_code == 404
    assert (
        api.post(f"/api/staff/records/{pk}/transitions/", {"action": "publish"}, format="json").status_code
        == 404
    )
    r = api.post("/api/staff/records/", {"agency": dept.pk, "title": "x", "category": "other"}, format="json")
    assert r.status_code == 404
    assert Record.objects.get(pk=pk).state == "approved"


def test_openapi_schema_documents_the_records_endpoints(api, staff):
    api.force_authenticate(staff["handler"])
    schema = api.get("/api/schema/?format=json").json()
    for path in (
        "/api/records/",
        "/api/records/{id}/",
        "/api/catalogue/{agency_id}/",
        "/api/staff/records/",
        "/api/staff/records/{id}/transitions/",
    ):
        assert path in schema["paths"], path
