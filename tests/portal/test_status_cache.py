"""The tracking page is kept per tracking session by the page cache: a repeat visit reads only
the session; another visitor never gets it; a change of the case shows at once."""

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.GONGKAI_PAGE_CACHE = True


def _tracking_visitor(client, apply_data, **changes):
    client.post(reverse("portal:apply"), {**apply_data, **changes})
    app = Application.objects.latest("pk")
    code = client.session["gk_portal_receipt"]["code"]
    visitor = Client()
    visitor.get(reverse("portal:track"))  # the CSRF cookie, as a browser gets it with the form
    r = visitor.post(reverse("portal:track"), {"tracking_number": app.tracking_number, "query_code": code})
    assert r.status_code == 302
    return visitor, app


def test_status_page_cached_per_tracking_session(client, apply_data, django_assert_num_queries):
    one, app_one = _tracking_visitor(client, apply_data)
    two, app_two = _tracking_visitor(Client(), apply_data, description="另一件申请：2025年财政预算执行情况")
    first = one.get(reverse("portal:status"))
    assert first.status_code == 200 and app_one.tracking_number in first.content.decode()
    with django_assert_num_queries(0):  # not even the session: its end is kept with the page
        again = one.get(reverse("portal:status"))
    assert again.content == first.content
    assert again["Cache-Control"] == first["Cache-Control"] and "no-store" in again["Cache-Control"]
    other = two.get(reverse("portal:status")).content.decode()
    assert app_two.tracking_number in other and app_one.tracking_number not in other
    stranger = Client().get(reverse("portal:status"))
    assert stranger.status_code == 302  # no session: no page, cached or not


def test_status_page_shows_a_change_at_once(client, apply_data):
    visitor, app = _tracking_visitor(client, apply_data)
    before = visitor.get(reverse("portal:status")).content.decode()
    visitor.get(reverse("portal:status"))
    Application.objects.filter(pk=app.pk).update(state="withdrawn")
    after = visitor.get(reverse("portal:status")).content.decode()
    assert after != before
