"""The staff API list reads what every row's allowed actions need once per page, not per row."""

import pytest
from casework_fixtures import NATURAL, at
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.applications.models import Application
from gongkai.applications.services import submit_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _views_behind_the_page_cache(settings):
    """These tests count what the views themselves read: the page cache (which would answer the
    repeated requests without any query) is off."""
    settings.GONGKAI_PAGE_CACHE = False


def _list_queries(user) -> tuple[int, list]:
    c = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    c.get("/api/applications/")  # token and memberships cached alike in both measured requests
    with CaptureQueriesContext(connection) as ctx:
        rows = c.get("/api/applications/").json()["results"]
    return len(ctx.captured_queries), rows


def _cases(agency, registrar, n: int) -> None:
    for i in range(n):
        app = submit_application(
            agency, NATURAL, channel="in_person", actor=registrar, submitted_at=at(2026, 3, 2 + i % 20)
        )
        # in handling (may receive the applicant's explanation) or awaiting a fee (payment actions)
        Application.objects.filter(pk=app.pk).update(state="in_handling" if i % 2 else "fee_pending")


def test_api_list_query_count_does_not_grow_with_rows(agencies, staff):
    _cases(agencies["dept"], staff["registrar"], 2)
    few, rows = _list_queries(staff["handler"])
    assert len(rows) == 2
    _cases(agencies["dept"], staff["registrar"], 8)
    many, rows = _list_queries(staff["handler"])
    assert len(rows) == 10 and many == few
    assert any("receive_explanation" not in r["allowed_actions"] for r in rows)
