"""Issue 8 in the browser: a handler reveals an applicant's full data (logged, seen by the agency
admin) and re-issues a lost query code on a printed notice the applicant then uses."""

import datetime as dt

import pytest
from browser_helpers import login, logout
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.applications.services import submit_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reveal_and_reissue(live_server, context, django_user_model, shots):
    from gongkai.letters.defaults import install_default_templates

    install_default_templates()
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    for name, role in (("handler", Role.HANDLER), ("admin1", Role.ADMIN)):
        u = django_user_model.objects.create_user(name, password="pw-123456", first_name=name)
        Membership.objects.create(user=u, agency=dept, role=role)
    app = submit_application(
        dept,
        {
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "id_document_number": "11010519491231002X",
            "phone": "13812345678",
            "postal_address": "北京市东城区和平路1号",
            "description": "某校招生简章",
        },
        channel="internet",
        submitted_at=timezone.make_aware(dt.datetime(2026, 11, 23, 9, 30)),
    )
    old_code = app.issued_query_code
    page = context.new_page()
    base = live_server.url
    login(page, base, "handler")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    assert page.inner_text("#person-id") == "110105********002X"
    assert page.inner_text("#person-phone") == "138****5678"
    page.click("#reveal-button")
    page.wait_for_selector("#revealed-note")
    assert page.inner_text("#person-id") == "11010519491231002X"
    assert page.inner_text("#person-address").startswith("北京市东城区和平路1号")
    shots(page, "case-revealed")

    page.goto(f"{base}/workbench/cases/{app.pk}/")
    page.click("summary:has-text('重新发放查询码')")
    page.fill("#id_reissue_reason", "申请人到窗口称遗失查询码，已核对身份证件")
    page.click("#reissue-form button[type=submit]")
    page.wait_for_selector("#notice-code")
    new_code = page.inner_text("#notice-code").strip()
    assert len(new_code) == 8 and new_code != old_code
    shots(page, "code-notice")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    assert new_code not in page.content() and "重新发放查询码" in page.inner_text("#timeline, body")
    logout(page)

    login(page, base, "admin1")
    page.goto(f"{base}/workbench/agency/{dept.pk}/")
    page.click("#reveal-log-link")
    page.wait_for_selector("#reveal-log")
    assert app.tracking_number in page.inner_text("#reveal-log") and "handler" in page.inner_text(
        "#reveal-log"
    )
    logout(page)

    applicant = context.new_page()
    applicant.goto(base + "/track/")
    applicant.fill("#id_tracking_number", app.tracking_number)
    applicant.fill("#id_query_code", old_code)
    applicant.click("button:has-text('查询')")
    assert "未找到与该受理编号和查询码相符的申请" in applicant.content()
    applicant.fill("#id_query_code", new_code)
    applicant.click("button:has-text('查询')")
    applicant.wait_for_selector("#state")
