"""Issue 11 item 14: read endpoints for published annual reports (cells per agency, year and
version; the region aggregate), proactive counts, appeals and imported reports with findings —
under the same per-agency access rules as the applications."""

import pytest
from api_seed import seed_api_data, seed_reports
from test_api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(agencies, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {**seed_api_data(agencies, staff), **seed_reports(agencies, staff)}


def test_published_reports_with_cells_per_version_and_the_region_aggregate(seeded, staff, agencies):
    c = client_for(staff["handler"])
    rows = c.get("/api/annual-reports/").json()["results"]
    assert [(r["agency"], r["year"], r["scope"]) for r in rows] == [(agencies["dept"].pk, 2025, "single")]
    report = seeded["report"]
    detail = c.get(f"/api/annual-reports/{report.pk}/").json()
    assert detail["current_version"] == 1 and [v["number"] for v in detail["versions"]] == [1]
    tables = detail["current"]["data"]["tables"]
    assert tables and all(isinstance(t, dict) for t in tables.values())
    v1 = c.get(f"/api/annual-reports/{report.pk}/versions/1/").json()
    assert v1["data"] == detail["current"]["data"]
    assert c.get(f"/api/annual-reports/{report.pk}/versions/2/").status_code == 404
    # the region aggregate (本行政区域) is visible to the city's supervisor, not to the department
    region = seeded["region"]
    assert c.get(f"/api/annual-reports/{region.pk}/").status_code == 404
    sup = client_for(staff["supervisor"])
    rows = sup.get("/api/annual-reports/?scope=subtree&year=2025").json()["results"]
    assert [r["id"] for r in rows] == [region.pk] and rows[0]["scope"] == "subtree"
    assert sup.get("/api/annual-reports/?year=1999").status_code == 400


def test_proactive_counts(seeded, staff, agencies):
    c = client_for(staff["handler"])
    r = c.get(f"/api/proactive-counts/?agency={agencies['dept'].pk}&year=2025")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["template_id"] == "2021" and body["subtree"] is False
    assert "art20_1" in body["tables"]
    assert c.get(f"/api/proactive-counts/?agency={agencies['other'].pk}&year=2025").status_code == 404
    assert c.get(f"/api/proactive-counts/?agency={agencies['dept'].pk}").status_code == 400
    sup = client_for(staff["supervisor"])
    r = sup.get(f"/api/proactive-counts/?agency={agencies['city'].pk}&year=2025&subtree=true")
    assert r.status_code == 200 and r.json()["subtree"] is True


def test_appeals_per_agency(seeded, staff):
    c = client_for(staff["handler"])
    rows = c.get("/api/appeals/").json()["results"]
    assert [r["id"] for r in rows] == [seeded["appeal"].pk]
    assert rows[0]["kind_label"] == "行政复议" and rows[0]["outcome"] == "pending"
    assert c.get(f"/api/appeals/{seeded['foreign_appeal'].pk}/").status_code == 404
    sup = client_for(staff["supervisor"])
    assert len(sup.get("/api/appeals/").json()["results"]) == 2
    assert [r["kind"] for r in sup.get("/api/appeals/?kind=lit_direct").json()["results"]] == ["lit_direct"]
    assert sup.get("/api/appeals/?kind=bogus").status_code == 400


def test_imported_reports_with_findings(seeded, staff):
    c = client_for(staff["handler"])
    rows = c.get("/api/report-imports/").json()["results"]
    imported = seeded["imported"]
    assert [r["id"] for r in rows] == [imported.pk] and "findings" not in rows[0]
    detail = c.get(f"/api/report-imports/{imported.pk}/").json()
    assert detail["findings"] == imported.findings and detail["tables"] == imported.tables
    assert client_for(staff["outsider"]).get(f"/api/report-imports/{imported.pk}/").status_code == 404


def test_staff_get_an_api_token_from_the_workbench(staff, client):
    from rest_framework.test import APIClient

    client.force_login(staff["handler"])
    page = client.get("/workbench/")
    assert "/workbench/api-token/" in page.content.decode()
    assert "还没有 API 令牌" in client.get("/workbench/api-token/").content.decode()
    r = client.post("/workbench/api-token/", {"op": "create"}, follow=True)
    key = r.context["token"].key
    assert key in r.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/applications/").status_code == 200
    client.post("/workbench/api-token/", {"op": "revoke"})
    assert api.get("/api/applications/").status_code == 401
    client.force_login(staff["outsider"])  # any staff member may have one
    assert client.get("/workbench/api-token/").status_code == 200
