"""Issue 8: personal data by role. Full identity number, phone, e-mail and address only for the
case's own registrar/handler/reviewer/head, and only through a logged reveal; masked for
everyone else, in lists, the API list and the admin; the reveal log for the agency admin."""

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications.models import PersonalDataReveal

pytestmark = pytest.mark.django_db

FULL_ID = "11010519491231002X"
MASKED_ID = "110105********002X"
FULL_PHONE = "13812345678"
MASKED_PHONE = "138****5678"
HOUSE = "和平路1号2单元301室"
MASKED_ADDRESS = "北京市东城区****"
ALLOWED = ("registrar", "handler", "reviewer", "head")
REFUSED = ("agency_admin", "supervisor")


def logged_in(user) -> Client:
    c = Client(REMOTE_ADDR="198.51.100.7")
    c.force_login(user)
    return c


def assert_masked(text: str):
    assert FULL_ID not in text and FULL_PHONE not in text and HOUSE not in text and "zhang@" not in text
    assert MASKED_ID in text and MASKED_PHONE in text and MASKED_ADDRESS in text


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_case_page_is_masked_by_default(case, role):
    page = logged_in(case.users[role]).get(reverse("workbench:case", args=[case.app.pk])).content.decode()
    assert_masked(page)
    assert ("显示完整信息" in page) == (role in ALLOWED)


@pytest.mark.parametrize("role", ALLOWED)
def test_reveal_shows_full_data_once_and_is_logged(case, role):
    client = logged_in(case.users[role])
    r = client.post(reverse("workbench:reveal", args=[case.app.pk]))
    page = r.content.decode()
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert FULL_ID in page and FULL_PHONE in page and HOUSE in page and "zhang@example.com" in page
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.application, log.channel) == (case.users[role], case.app, "web")
    assert log.client_address == "198.51.100.7"
    assert set(log.fields) == {"id_document_number", "phone", "email", "postal_address"}
    # the next ordinary view is masked again
    assert_masked(client.get(reverse("workbench:case", args=[case.app.pk])).content.decode())


@pytest.mark.parametrize("role", (*REFUSED, "other_staff"))
def test_reveal_refused_and_not_logged(case, role):
    r = logged_in(case.users[role]).post(reverse("workbench:reveal", args=[case.app.pk]))
    assert r.status_code == 404 and FULL_ID not in r.content.decode()
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_api_list_is_masked_for_everyone(case, role):
    rows = logged_in(case.users[role]).get("/api/applications/").json()["results"]
    (row,) = [r for r in rows if r["id"] == case.app.pk]
    assert row["id_document_number"] == MASKED_ID and row["phone"] == MASKED_PHONE
    assert row["postal_address"] == MASKED_ADDRESS and row["email"] == "z***@example.com"
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_api_detail_full_for_handlers_only_and_logged(case, role):
    data = logged_in(case.users[role]).get(f"/api/applications/{case.app.pk}/").json()
    if role in ALLOWED:
        assert data["id_document_number"] == FULL_ID and data["phone"] == FULL_PHONE
        log = PersonalDataReveal.objects.get()
        assert (log.user, log.channel) == (case.users[role], "api")
    else:
        assert data["id_document_number"] == MASKED_ID and data["postal_address"] == MASKED_ADDRESS
        assert not PersonalDataReveal.objects.exists()


def test_reveal_log_page_for_the_agency_admin(case):
    logged_in(case.users["handler"]).post(reverse("workbench:reveal", args=[case.app.pk]))
    url = reverse("workbench:reveal_log", args=[case.dept.pk])
    page = logged_in(case.users["agency_admin"]).get(url).content.decode()
    assert case.app.tracking_number in page and "handler" in page and "身份证明号码" in page
    assert "198.51.100.7" in page and "案件页面" in page
    for role in ("handler", "head", "supervisor", "other_staff"):
        assert logged_in(case.users[role]).get(url).status_code == 404, role
    settings_page = logged_in(case.users["agency_admin"]).get(
        reverse("workbench:agency_settings", args=[case.dept.pk])
    )
    assert url in settings_page.content.decode()


def test_admin_shows_personal_data_masked(case):
    page = logged_in(case.users["superuser"]).get(f"/admin/applications/application/{case.app.pk}/change/")
    assert page.status_code == 200
    assert_masked(page.content.decode())
