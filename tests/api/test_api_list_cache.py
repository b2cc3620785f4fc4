"""The staff API list is kept per token by the page cache: a repeat read runs no SQL; a revoked
token is refused at once; a change shows at once; another user never gets the page."""

import pytest
from api_seed import seed_api_data
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.GONGKAI_PAGE_CACHE = True


def _client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def test_list_kept_per_token(agencies, staff, django_assert_num_queries):
    seed = seed_api_data(agencies, staff)
    handler = _client(staff["handler"])
    # A response is kept only if nothing was written while it was rendered; the first one in a
    # process may coincide with something stored lazily (it is then simply not kept): read twice.
    handler.get("/api/applications/", HTTP_ACCEPT="application/json")
    first = handler.get("/api/applications/", HTTP_ACCEPT="application/json")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = handler.get("/api/applications/", HTTP_ACCEPT="application/json")
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert "no-store" in again["Cache-Control"]
    ids = {r["id"] for r in first.json()["results"]}
    assert seed["foreign"].pk not in ids
    # a user of the other agency gets their own list, not the handler's
    outsider = _client(staff["outsider"]).get("/api/applications/", HTTP_ACCEPT="application/json")
    assert {r["id"] for r in outsider.json()["results"]} == {seed["foreign"].pk}
    # a change shows at once (a bulk UPDATE: no signal, still a write)
    Application.objects.filter(pk=seed["received"].pk).update(state="withdrawn")
    rows = handler.get("/api/applications/", HTTP_ACCEPT="application/json").json()["results"]
    assert {r["id"]: r["state"] for r in rows}[seed["received"].pk] == "withdrawn"


def test_revoked_token_is_refused_at_once(agencies, staff):
    seed_api_data(agencies, staff)
    handler = _client(staff["handler"])
    assert handler.get("/api/applications/").status_code == 200
    assert handler.get("/api/applications/").status_code == 200
    Token.objects.filter(user=staff["handler"]).delete()
    assert handler.get("/api/applications/").status_code == 401
    assert APIClient().get("/api/applications/").status_code == 401
