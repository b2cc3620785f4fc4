"""Issue 8: the query code (查询码) stays the applicant's.

Stored hashed; no staff page, API answer, admin page or letter kept on file shows it; staff
re-issue a new one through a recorded action that delivers it to the applicant; the tracking
session keeps no code; portal actions are recorded with channel and client address.
"""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.applications.services import find_by_tracking, transition
from gongkai.core import query_codes

pytestmark = pytest.mark.django_db

STAFF = ("registrar", "handler", "reviewer", "head", "agency_admin", "supervisor")


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def track(client, case, code) -> int:
    r = client.post(
        reverse("portal:track"), {"tracking_number": case.app.tracking_number, "query_code": code}
    )
    return r.status_code


def test_code_is_stored_hashed_and_still_works(case):
    app = Application.objects.get(pk=case.app.pk)
    assert not hasattr(app, "query_code")
    assert app.query_code_hash.startswith("hmac-sha256$") and case.code not in app.query_code_hash
    assert find_by_tracking(app.tracking_number, case.code) == app
    assert find_by_tracking(app.tracking_number, case.code.lower()) == app
    assert find_by_tracking(app.tracking_number, "ABCDEFGH") is None


def test_no_staff_view_shows_the_code(case, settings):
    from gongkai.letters import generate_document

    app = case.app
    doc = generate_document(app, "receipt", case.users["registrar"])
    assert case.code not in doc.rendered_text and case.code not in json.dumps(doc.context, ensure_ascii=False)
    pages = [
        reverse("workbench:case", args=[app.pk]),
        reverse("workbench:queue"),
        f"/api/applications/{app.pk}/",
        "/api/applications/",
        f"/api/applications/{app.pk}/events/",
        reverse("workbench:document", args=[doc.pk, "pdf"]),
        reverse("workbench:document", args=[doc.pk, "docx"]),
    ]
    for role in STAFF:
        client = logged_in(case.users[role])
        for url in pages:
            r = client.get(url)
            assert r.status_code == 200, (role, url)
            body = b"".join(r.streaming_content) if r.streaming else r.content
            assert case.code.encode() not in body, (role, url)
            assert app.query_code_hash.encode() not in body, (role, url)
    root = logged_in(case.users["superuser"])
    r = root.get(f"/admin/applications/application/{app.pk}/change/")
    assert r.status_code == 200
    assert case.code not in r.content.decode() and app.query_code_hash not in r.content.decode()


def test_tracking_session_keeps_no_code(case):
    client = Client()
    assert track(client, case, case.code) == 302
    stored = json.dumps(dict(client.session.items()), ensure_ascii=False)
    assert case.code not in stored and case.code.lower() not in stored
    assert client.get(reverse("portal:status")).status_code == 200


def test_receipt_shows_the_code_once(case, apply_data=None):
    from gongkai.portal.views import SESSION_RECEIPT

    client = Client()
    session = client.session
    session[SESSION_RECEIPT] = {"id": case.app.pk, "code": case.code}
    session.save()
    assert track(client, case, case.code) == 302
    first = client.get(reverse("portal:receipt"))
    assert case.code in first.content.decode() and "no-store" in first["Cache-Control"]
    assert case.code not in json.dumps(dict(client.session.items()), ensure_ascii=False)
    again = client.get(reverse("portal:receipt"))
    assert again.status_code == 200 and case.code not in again.content.decode()


def test_reissue_by_email_is_recorded_and_ends_the_old_code(case):
    applicant = Client()
    assert track(applicant, case, case.code) == 302
    handler = logged_in(case.users["handler"])
    url = reverse("workbench:reissue_query_code", args=[case.app.pk])
    r = handler.post(url, {"reason": "申请人来电称遗失查询码，已核对身份证号", "delivery": ["email"]})
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhang@example.com"]
    new_code = re.search(r"查询码为：([A-Z0-9]{8})", mail.outbox[0].body).group(1)
    assert new_code != case.code
    assert find_by_tracking(case.app.tracking_number, new_code) is not None
    assert find_by_tracking(case.app.tracking_number, case.code) is None
    # the session opened with the old code is over
    assert applicant.get(reverse("portal:status")).status_code == 302
    ev = case.app.events.order_by("seq").last()
    assert ev.action == "reissue_query_code" and ev.actor == case.users["handler"]
    assert ev.reason == "申请人来电称遗失查询码，已核对身份证号" and ev.data["delivery"] == ["email"]
    assert ev.data["email"] == "z***@example.com"
    assert new_code not in json.dumps(ev.data) and new_code not in ev.reason
    page = handler.get(reverse("workbench:case", args=[case.app.pk])).content.decode()
    assert new_code not in page and "重新发放查询码" in page


def test_reissue_as_printed_notice_is_shown_once_and_not_stored(case):
    handler = logged_in(case.users["registrar"])
    url = reverse("workbench:reissue_query_code", args=[case.app.pk])
    r = handler.post(url, {"reason": "申请人到窗口申请补发", "delivery": ["print"]})
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    new_code = re.search(r'id="notice-code">([A-Z0-9]{8})<', r.content.decode()).group(1)
    assert find_by_tracking(case.app.tracking_number, new_code) is not None
    assert not mail.outbox
    assert new_code not in handler.get(reverse("workbench:case", args=[case.app.pk])).content.decode()
    assert new_code not in json.dumps(list(case.app.events.values("reason", "data")), ensure_ascii=False)


@pytest.mark.parametrize("role", ["reviewer", "head", "supervisor", "other_staff"])
def test_reissue_refused_to_other_roles(case, role):
    r = logged_in(case.users[role]).post(
        reverse("workbench:reissue_query_code", args=[case.app.pk]), {"reason": "x", "delivery": ["print"]}
    )
    assert r.status_code == 404
    assert find_by_tracking(case.app.tracking_number, case.code) is not None


def test_reissue_requires_a_reason(case):
    handler = logged_in(case.users["handler"])
    r = handler.post(
        reverse("workbench:reissue_query_code", args=[case.app.pk]), {"reason": " ", "delivery": ["print"]}
    )
    assert r.status_code == 302
    assert find_by_tracking(case.app.tracking_number, case.code) is not None
    assert not case.app.events.filter(action="reissue_query_code").exists()


def test_supervisor_can_no_longer_withdraw_as_the_applicant(case):
    """Before: the supervisor read the code on the case page and withdrew through the portal,
    recorded as 「申请人」. Now no page they can open has the code."""
    sup = logged_in(case.users["supervisor"])
    seen = sup.get(reverse("workbench:case", args=[case.app.pk])).content.decode()
    seen += sup.get(f"/api/applications/{case.app.pk}/").content.decode()
    candidates = set(re.findall(r"\b[A-Z2-9]{8}\b", seen))
    portal = Client()
    for candidate in candidates:
        assert track(portal, case, candidate) == 200  # 未找到
    r = portal.post(reverse("portal:withdraw"), {"confirm": "on"})
    assert r.status_code == 302 and r["Location"] == reverse("portal:track")
    assert Application.objects.get(pk=case.app.pk).state != "withdrawn"


def test_portal_actions_record_channel_and_client_address(case):
    from gongkai.letters import generate_document

    doc = generate_document(case.app, "receipt", case.users["registrar"])
    transition(
        case.app,
        "request_correction",
        case.users["handler"],
        data={"items": "请写明学校名称", "period_workdays": 15},
    )
    applicant = Client(REMOTE_ADDR="203.0.113.9")
    assert track(applicant, case, case.code) == 302
    r = applicant.get(reverse("portal:document", args=[doc.pk, "pdf"]))
    assert r.status_code == 200
    r = applicant.post(reverse("portal:correct"), {"text": "学校名称：某市第一中学"})
    assert r.status_code == 302
    r = applicant.post(reverse("portal:withdraw"), {"reason": "", "confirm": "on"})
    assert r.status_code == 302
    events = {e.action: e for e in case.app.events.all()}
    for action in ("applicant_download", "receive_correction", "withdraw"):
        ev = events[action]
        assert ev.actor is None and ev.actor_label == "申请人", action
        assert ev.data["channel"] == "internet" and ev.data["client_address"] == "203.0.113.9", action
    assert events["applicant_download"].data["document"] == doc.pk
    page = (
        logged_in(case.users["handler"]).get(reverse("workbench:case", args=[case.app.pk])).content.decode()
    )
    assert "申请人下载文书" in page and "203.0.113.9" in page


def test_core_hash_round_trip_and_key_fallback():
    code = query_codes.new_code()
    stored = query_codes.hash_code(code, "old-key")
    assert query_codes.check_code(code, stored, ["old-key"])
    assert query_codes.check_code(code.lower(), stored, ["new-key", "old-key"])  # rotated key
    assert not query_codes.check_code(code, stored, ["new-key"])
    assert not query_codes.check_code("", stored, ["old-key"])
    assert not query_codes.check_code(code, "garbage", ["old-key"])
    assert query_codes.fingerprint(stored) != query_codes.fingerprint(query_codes.hash_code(code, "old-key"))
