"""Anonymous visitors get no session unless they track a case; tracking sessions expire."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.portal.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_anonymous_pages_create_no_session(client, agencies):
    for url in ("/", "/ysq/", "/apply/", "/track/", "/reports/", "/search/?q=教育", "/track/status/"):
        r = client.get(url)
        assert r.status_code in (200, 302), url
        assert "sessionid" not in r.cookies, url
    assert Session.objects.count() == 0


def test_tracking_session_expires(client, apply_data, settings):
    settings.GONGKAI_TRACKING_SESSION_SECONDS = 1800
    client.post(reverse("portal:apply"), apply_data)
    app = Application.objects.latest("pk")
    code = client.session["gk_portal_receipt"]["code"]  # as shown once on the receipt
    visitor = client.__class__()
    r = visitor.post(reverse("portal:track"), {"tracking_number": app.tracking_number, "query_code": code})
    assert r.status_code == 302
    assert int(r.cookies["sessionid"]["max-age"]) == 1800
    assert visitor.session.get_expiry_age() == 1800
    assert visitor.get(reverse("portal:status")).status_code == 200
    rows = Session.objects.count()
    assert rows == 2  # the applicant's receipt session and the visitor's tracking session
    with time_machine.travel(dt.timedelta(minutes=31)):
        # Expired: the status page asks for the code again, and the hourly clean-up removes the rows.
        assert visitor.get(reverse("portal:status"))["Location"] == reverse("portal:track")
        clear_expired_sessions()
    assert Session.objects.count() == 0
