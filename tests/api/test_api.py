import pytest
from casework_fixtures import NATURAL, at
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.applications.models import Application
from gongkai.applications.services import submit_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user):
    c = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return c


@pytest.fixture
def apps(agencies, staff):
    mine = submit_application(
        agencies["dept"], NATURAL, channel="in_person", actor=staff["registrar"], submitted_at=at(2026, 3, 2)
    )
    theirs = submit_application(agencies["other"], NATURAL, channel="internet", submitted_at=at(2026, 3, 2))
    return mine, theirs


def test_requires_token(apps):
    assert APIClient().get("/api/applications/").status_code in (401, 403)


def test_list_only_visible_agencies_and_filters(apps, staff, agencies):
    mine, theirs = apps
    r = client_for(staff["handler"]).get("/api/applications/")
    assert r.status_code == 200
    ids = [a["id"] for a in r.json()["results"]]
    assert ids == [mine.pk]
    row = r.json()["results"][0]
    assert row["tracking_number"] == "市教依申〔2026〕0001号"
    assert row["overdue"] is True  # due 2026-03-30, still open
    assert "accept" in row["allowed_actions"]
    sup = client_for(staff["supervisor"]).get("/api/applications/").json()
    assert {a["id"] for a in sup["results"]} == {mine.pk, theirs.pk}
    assert all(a["allowed_actions"] == [] for a in sup["results"])
    c = client_for(staff["supervisor"])
    assert [
        a["id"] for a in c.get(f"/api/applications/?agency={agencies['other'].pk}").json()["results"]
    ] == [theirs.pk]
    assert c.get("/api/applications/?state=answered").json()["results"] == []
    assert len(c.get("/api/applications/?overdue=true").json()["results"]) == 2
    assert c.get("/api/applications/?state=bogus").status_code == 400


def test_outside_visible_agencies_is_404(apps, staff):
    mine, theirs = apps
    c = client_for(staff["handler"])
    assert c.get(f"/api/applications/{theirs.pk}/").status_code == 404
    assert c.get(f"/api/applications/{theirs.pk}/events/").status_code == 404
    r = c.post(f"/api/applications/{theirs.pk}/transitions/", {"action": "accept"}, format="json")
    assert r.status_code == 404
    assert c.get(f"/api/applications/{mine.pk}/").status_code == 200


def test_intake_by_staff(agencies, staff):
    c = client_for(staff["registrar"])
    body = dict(
        NATURAL,
        agency=agencies["dept"].pk,
        channel="letter",
        received_date="2026-03-04",
        submitted_at="2026-03-04T09:00:00+08:00",
        receipt_evidence="挂号信签收单",
    )
    r = c.post("/api/applications/", body, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["received_date"] == "2026-03-04" and data["receipt_basis"] == "post_signed"
    assert data["tracking_number"] == "市教依申〔2026〕0001号" and len(data["issued_query_code"]) == 8
    # validation errors come back in Chinese per field
    r = c.post("/api/applications/", dict(body, description=""), format="json")
    assert r.status_code == 400 and "描述" in r.json()["description"][0]
    # another agency: 404; a supervisor may see but not register: 403
    r = c.post("/api/applications/", dict(body, agency=agencies["other"].pk), format="json")
    assert r.status_code == 404
    r = client_for(staff["supervisor"]).post("/api/applications/", body, format="json")
    assert r.status_code == 403


def test_intake_multipart_with_attachment(agencies, staff):
    c = client_for(staff["registrar"])
    body = dict(
        NATURAL,
        agency=agencies["dept"].pk,
        channel="in_person",
        submitted_at="2026-03-04T09:00:00+08:00",
        attachments=[SimpleUploadedFile("身份证.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    r = c.post("/api/applications/", body, format="multipart")
    assert r.status_code == 201, r.content
    assert Application.objects.get(pk=r.json()["id"]).attachments.count() == 1


def test_transitions_happy_path_and_errors(apps, staff):
    mine, _ = apps
    url = f"/api/applications/{mine.pk}/transitions/"
    reg, handler, reviewer = (client_for(staff[k]) for k in ("registrar", "handler", "reviewer"))
    r = reg.post(
        url,
        {"action": "accept", "effective_date": "2026-03-03", "data": {"handler": staff["handler"].pk}},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "in_handling" and r.json()["handler"] == staff["handler"].pk
    r = handler.post(
        url,
        {"action": "start_consultation", "effective_date": "2026-03-04", "data": {"party": "某公司"}},
        format="json",
    )
    assert r.json()["state"] == "consultation" and r.json()["due_date"] is None
    r = handler.post(url, {"action": "end_consultation", "effective_date": "2026-03-10"}, format="json")
    assert r.json()["due_date"] == "2026-04-07"
    # wrong role -> 403, wrong state -> 409, bad input -> 400
    r = reviewer.post(url, {"action": "draft_answer", "data": {"outcome": "granted"}}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "role"
    r = handler.post(url, {"action": "deliver", "reason": "x"}, format="json")
    assert r.status_code == 409 and "不能执行" in r.json()["detail"]
    r = handler.post(url, {"action": "draft_answer", "data": {"outcome": "partial"}}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "precondition"
    r = handler.post(url, {"action": "fly"}, format="json")
    assert r.status_code == 400
    r = client_for(staff["supervisor"]).post(url, {"action": "withdraw", "reason": "x"}, format="json")
    assert r.status_code == 403
    r = handler.post(
        url,
        {
            "action": "draft_answer",
            "effective_date": "2026-03-11",
            "data": {
                "outcome": "granted",
                "variant": "provided",
                "fields": {"access_method": "随告知书提供"},
            },
        },
        format="json",
    )
    assert r.status_code == 200 and r.json()["state"] == "answer_drafted"
    assert [a["id"] for a in handler.get("/api/applications/?handler=me").json()["results"]] == [mine.pk]
    assert reg.get("/api/applications/?handler=me").json()["results"] == []
    events = handler.get(f"/api/applications/{mine.pk}/events/").json()
    assert [e["action"] for e in events] == [
        "submit",
        "accept",
        "start_consultation",
        "end_consultation",
        "draft_answer",
    ]
    assert events[1]["actor_name"] == "registrar" and events[2]["action_label"] == "征求意见"
    assert events[0]["actor_label"] == ""


def test_transition_table_endpoint(staff):
    r = client_for(staff["handler"]).get("/api/transitions/")
    assert r.status_code == 200
    rows = {row["action"]: row for row in r.json()}
    assert rows["approve_extension"]["roles"] == ["head"]
    assert rows["withdraw"]["to"] == "withdrawn"


def test_openapi_schema_generation(staff):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    paths = schema["paths"]
    assert "/api/applications/" in paths and "post" in paths["/api/applications/"]
    assert "/api/applications/{id}/transitions/" in paths
    assert "/api/applications/{id}/events/" in paths
    c = client_for(staff["handler"])
    r = c.get("/api/schema/")
    assert r.status_code == 200 and b"/api/applications/" in r.content
    r = c.get("/api/docs/")
    assert r.status_code == 200 and b"swagger" in r.content.lower()


def test_transition_multipart_with_json_data_and_attachment(apps, staff):
    import json

    mine, _ = apps
    c = client_for(staff["registrar"])
    url = f"/api/applications/{mine.pk}/transitions/"
    r = c.post(
        url,
        {
            "action": "accept",
            "effective_date": "2026-03-03",
            "data": json.dumps({"handler": staff["handler"].pk}),
            "attachments": [SimpleUploadedFile("分办单.pdf", b"%PDF-1.4", content_type="application/pdf")],
        },
        format="multipart",
    )
    assert r.status_code == 200, r.content
    assert r.json()["handler"] == staff["handler"].pk
    events = c.get(f"/api/applications/{mine.pk}/events/").json()
    assert events[-1]["attachments"][0]["name"] == "分办单.pdf"
    r = c.post(url, {"action": "withdraw", "reason": "x", "data": "not json"}, format="multipart")
    assert r.status_code == 400
