"""What the schema allows is accepted (Schemathesis' positive-data check is on for every
operation): the records filters are declared exactly, a records body names an agency by id and is
JSON, a multipart form holds only its declared fields and never a null, free text is NUL-free."""

import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "records"))
import records_fixtures  # noqa: E402

from gongkai.records.models import Record  # noqa: E402

pytestmark = pytest.mark.django_db
agencies, staff = records_fixtures.agencies, records_fixtures.staff


@pytest.fixture
def schema():
    return APIClient().get("/api/schema/?format=json").json()


def _params(schema, path):
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}


def test_records_filters_are_declared_as_accepted(schema):
    p = _params(schema, "/api/records/")
    assert set(p["category"]["enum"]) == {"rule", "normative", "policy", "other"}
    assert "in_force" in p["validity"]["enum"] and "-generated" in p["sort"]["enum"]
    assert p["item"]["enum"][0] and p["q"]["pattern"] == "^[^\\x00]*$"
    assert (p["year"]["minimum"], p["issuer"]["minimum"]) == (1980, 1)
    staff_p = _params(schema, "/api/staff/records/")
    assert "draft" in staff_p["state"]["enum"] and staff_p["agency"]["minimum"] == 1


def test_bodies_declare_what_the_request_guard_refuses(schema):
    comps = schema["components"]["schemas"]
    up = comps["ApplicationCreateUploadRequest"]
    assert up["additionalProperties"] is False
    assert not any(prop.get("nullable") for prop in up["properties"].values())
    assert up["properties"]["applicant_name"]["pattern"] == "^[^\\x00]*$"
    assert comps["StaffRecordRequest"]["properties"]["title"]["pattern"] == "^[^\\x00]*$"
    body = schema["paths"]["/api/staff/records/"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]


def test_records_filters_accept_every_declared_value(agencies):
    api = APIClient()
    assert api.get("/api/records/?year=2090").status_code == 200  # any year: nothing found
    assert api.get("/api/records/?category=bogus").status_code == 400  # outside the enum


def test_staff_list_filters_are_strict(agencies, staff):
    api = APIClient()
    api.force_authenticate(staff["handler"])
    assert api.get("/api/staff/records/?agency=").status_code == 400  # was silently ignored
    assert api.get("/api/staff/records/?state=nonsense").status_code == 400
    assert api.get("/api/staff/records/?state=draft").status_code == 200


def test_staff_create_for_an_unknown_agency_is_404(agencies, staff):
    api = APIClient()
    api.force_authenticate(staff["handler"])
    r = api.post("/api/staff/records/", {"agency": 999999, "title": "标题"}, format="json")
    assert r.status_code == 404  # was 400 「无效主键」
    r = api.post("/api/staff/records/", {"agency": agencies["dept"].pk, "title": "标题"}, format="multipart")
    # JSON only: the form is not read as the body (the request guard has consumed it: DRF then
    # sees an empty body), so nothing is created
    assert r.status_code == 400 and not Record.objects.exists()


def test_multipart_form_with_an_undeclared_field_is_refused(agencies, staff):
    api = APIClient()
    api.force_authenticate(staff["handler"])
    r = api.post(
        "/api/applications/",
        {"agency": agencies["dept"].pk, "extra": "x", "attachments": SimpleUploadedFile("a.txt", b"a")},
        format="multipart",
    )
    assert r.status_code == 400 and r.json() == {"extra": "未知字段"}
