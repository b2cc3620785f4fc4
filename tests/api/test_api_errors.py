"""Issue 11 items 15–16: API errors are JSON, inputs the schema does not allow are refused, and a
read-only user is refused before anything else is looked at."""

import pytest
from api_seed import seed_api_data
from django.test import override_settings
from django.urls import include, path
from test_api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(agencies, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return seed_api_data(agencies, staff)


@pytest.mark.parametrize("suffix", ["", "events/", "transitions/"])
def test_non_numeric_id_is_a_json_404(seeded, staff, suffix):
    c = client_for(staff["handler"])
    url = f"/api/applications/null/{suffix}"
    r = c.post(url, {"action": "accept"}, format="json") if suffix == "transitions/" else c.get(url)
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json") and r.json()["detail"]


def test_unknown_api_url_is_a_json_404(staff):
    r = client_for(staff["handler"]).get("/api/no-such-thing/")
    assert r.status_code == 404 and r.json() == {"detail": "不存在"}


def test_nul_in_the_query_is_refused_not_a_server_error(seeded, staff, client):
    r = client_for(staff["handler"]).get("/api/applications/?q=%00")
    # refused by the request guard (gongkai.security) or the filter itself: a JSON 400 either way
    assert r.status_code == 400 and r.json()
    assert client.get("/reports/?q=%00").status_code in (200, 400)
    assert client.get("/reports/?year=%C2%B2").status_code == 200  # "²".isdigit()


@pytest.mark.parametrize(
    "query", ["overdue=-1", "open=-5664", "state=", "handler=x", "agency=0", "agency=abc"]
)
def test_filters_the_schema_does_not_allow_are_400(seeded, staff, query):
    r = client_for(staff["supervisor"]).get(f"/api/applications/?{query}")
    assert r.status_code == 400, query
    assert r.json()


def test_filters_in_the_schema_work(seeded, staff):
    c = client_for(staff["handler"])
    assert len(c.get("/api/applications/?open=true").json()["results"]) == 3
    assert len(c.get("/api/applications/?open=false").json()["results"]) == 3
    handling = seeded["handling"]
    assert [a["id"] for a in c.get("/api/applications/?handler=me&state=in_handling").json()["results"]] == [
        handling.pk
    ]


def test_read_only_supervisor_gets_403_before_state_or_input_errors(seeded, staff):
    c = client_for(staff["supervisor"])
    app = seeded["drafted"]
    for body in ({"action": "deliver"}, {"action": "fly"}, {}):
        r = c.post(f"/api/applications/{app.pk}/transitions/", body, format="json")
        assert r.status_code == 403, body
        assert "只能查看" in r.json()["detail"]


def test_blank_email_and_outcome_are_described_by_the_schema(seeded, staff):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    comp = schema["components"]["schemas"]
    app = comp["Application"]["properties"]
    assert "format" not in app["email"]
    outcome_refs = [s.get("$ref", "") for s in app["outcome"].get("oneOf", [])]
    assert any(ref.endswith("/BlankEnum") for ref in outcome_refs)
    post = schema["paths"]["/api/applications/"]["post"]
    assert {"400", "401", "403", "404"} <= set(post["responses"])
    assert {"400", "403", "404", "409"} <= set(
        schema["paths"]["/api/applications/{id}/transitions/"]["post"]["responses"]
    )
    content = post["requestBody"]["content"]
    json_body = comp[content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    upload = comp[content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert "attachments" not in json_body["properties"]
    assert upload["properties"]["attachments"]["items"]["format"] == "binary"
    assert {"applicant_name", "id_document_number", "description"} <= set(json_body["required"])
    handler = next(
        p for p in schema["paths"]["/api/applications/"]["get"]["parameters"] if p["name"] == "handler"
    )
    assert handler["schema"]["pattern"] == "^([0-9]{1,10}|me)$"


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/boom/", _boom), path("", include("gongkai.config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_an_uncaught_exception_under_api_is_a_json_500(client):
    client.raise_request_exception = False
    r = client.get("/api/boom/")
    assert r.status_code == 500 and r.json() == {"detail": "服务器内部错误，请稍后再试"}
