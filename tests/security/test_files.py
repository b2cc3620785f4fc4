"""Issue 8: files only through permission checks, under unguessable names."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from gongkai.applications.models import Attachment
from gongkai.applications.services.events import store_attachments
from gongkai.core.filenames import is_random_name
from gongkai.files import move_to_random_names

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def attach(case, name="身份证.pdf"):
    (att,) = store_attachments(case.app, [ContentFile(PDF, name=name)], actor=case.users["registrar"])
    return att


def test_uploaded_and_generated_files_get_random_names(case):
    from gongkai.letters import generate_document

    att = attach(case)
    assert is_random_name(att.file.name) and "身份证" not in att.file.name
    assert att.original_name == "身份证.pdf"
    doc = generate_document(case.app, "receipt", case.users["registrar"])
    assert is_random_name(doc.pdf.name) and is_random_name(doc.docx.name)
    assert str(case.app.pk) not in doc.pdf.name.split("/")[1:-1]


def test_nothing_is_routed_under_media(case):
    att = attach(case)
    with pytest.raises(Resolver404):
        resolve("/media/" + att.file.name)
    assert Client().get("/media/" + att.file.name).status_code == 404
    assert logged_in(case.users["handler"]).get("/media/" + att.file.name).status_code == 404


def test_attachment_served_by_the_view_with_the_sanitised_name(case):
    att = attach(case, name="身份证 ..  复印件.pdf")
    url = reverse("workbench:attachment", args=[att.pk])
    r = logged_in(case.users["handler"]).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert (
        "private" in r["Cache-Control"]
        and "no-store" in r["Cache-Control"]
        and r["X-Content-Type-Options"] == "nosniff"
    )
    assert "%E8%BA%AB%E4%BB%BD%E8%AF%81%20.%20%E5%A4%8D%E5%8D%B0%E4%BB%B6.pdf" in r["Content-Disposition"]
    for role in ("other_staff",):
        assert logged_in(case.users[role]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_x_accel_redirect_lets_nginx_send_the_file(case, settings):
    settings.GONGKAI_X_ACCEL_REDIRECT = "/_protected/"
    att = attach(case)
    r = logged_in(case.users["handler"]).get(reverse("workbench:attachment", args=[att.pk]))
    assert r.status_code == 200 and r.content == b""
    assert r["X-Accel-Redirect"] == "/_protected/" + att.file.name
    assert r["Content-Type"] == "application/pdf" and "attachment" in r["Content-Disposition"]
    assert (
        logged_in(case.users["other_staff"]).get(reverse("workbench:attachment", args=[att.pk])).status_code
        == 404
    )


def test_existing_files_move_to_random_names(case):
    old = default_storage.save(f"applications/{case.dept.pk}/{case.app.pk}/身份证.pdf", ContentFile(PDF))
    att = Attachment.objects.create(
        application=case.app,
        file=old,
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    assert move_to_random_names(Attachment, ["file"], "applications") == 1
    att.refresh_from_db()
    assert is_random_name(att.file.name) and att.file.read() == PDF
    assert not default_storage.exists(old)
    assert move_to_random_names(Attachment, ["file"], "applications") == 0  # idempotent
