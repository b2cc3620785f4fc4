"""Issue 8 in a real browser (Content-Security-Policy on, violations fail the test): a member of
staff mistypes the password until the login locks, a head enrols the TOTP second factor by
reading the secret and logs in with the code, and a citizen past the rate limit sees the captcha
image drawn by the server."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-123456"


@pytest.fixture
def head(db):
    agency = Agency.objects.create(name="某市教育局", kind=AgencyKind.DEPARTMENT, tracking_prefix="市教依申")
    user = get_user_model().objects.create_user("head", password=PASSWORD)
    Membership.objects.create(user=user, agency=agency, role=Role.HEAD)
    return user


def submit_login(page, base, username, password, code=""):
    page.goto(base + "/workbench/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    if code:
        page.fill("#id_otp_token", code)
    page.click("main button[type=submit]")


def test_wrong_passwords_lock_the_login(live_server, context, head, settings, shots):
    page = context.new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        submit_login(page, live_server.url, "head", "wrong")
        assert "用户名或密码不正确" in page.inner_text("main")
    submit_login(page, live_server.url, "head", "wrong")
    assert "登录已暂时锁定" in page.inner_text("h1")
    submit_login(page, live_server.url, "head", PASSWORD)
    assert "登录已暂时锁定" in page.inner_text("h1")
    shots(page, "login-locked")


def test_head_enrols_totp_and_logs_in_with_the_code(live_server, context, head, settings, shots):
    settings.GONGKAI_TOTP_REQUIRED = True
    page = context.new_page()
    submit_login(page, live_server.url, "head", PASSWORD)
    page.wait_for_selector("#totp-secret")  # sent to enrol before any workbench page
    assert page.locator(".totp-qr svg").count() == 1
    shots(page, "totp-enrol")
    key = base64.b32decode(page.inner_text("#totp-secret"))
    page.fill("#id_otp_token", f"{totp(key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_selector("#queue")
    assert "两步验证已启用" in page.inner_text("main")
    page.click(".site-user button")
    page.wait_for_selector("#id_username")
    # a code is accepted once: log in with the next 30-second step's (one step of drift is allowed)
    code = f"{totp(key, t0=-30):06d}"
    submit_login(page, live_server.url, "head", PASSWORD, code)
    page.wait_for_selector("#queue")


def test_past_the_limit_the_captcha_image_is_drawn(live_server, context, head, settings, shots):
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    cache.clear()
    page = context.new_page()
    for _ in range(21):
        page.goto(live_server.url + "/track/")
        page.fill("#id_tracking_number", "市教依申〔2026〕9999号")
        page.fill("#id_query_code", "ABCDEFGH")
        page.click("main button[type=submit]")
    img = page.locator("img.captcha")
    img.wait_for()
    assert page.evaluate("() => document.querySelector('img.captcha').naturalWidth") > 0
    assert "验证码" in page.inner_text("main")
    shots(page, "track-captcha")
    cache.clear()


def test_api_docs_run_under_the_content_security_policy(live_server, context, head):
    """Swagger UI's start-up script comes as a file (SpectacularSwaggerSplitView), so the API docs
    work without 'unsafe-inline'."""
    page = context.new_page()
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "gongkai API" in page.inner_text(".swagger-ui .info .title")


def test_the_admin_works_under_the_content_security_policy(live_server, context, db):
    """The admin's login is the workbench's (lockout, second factor); its pages and date widgets
    run with the policy on."""
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    page = context.new_page()
    page.goto(live_server.url + "/admin/")
    page.wait_for_selector("#id_username")
    assert page.url.startswith(live_server.url + "/workbench/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#site-name")
    page.goto(live_server.url + "/admin/workdays/calendaroverride/add/")
    page.wait_for_selector(".datetimeshortcuts")  # the calendar widget's script ran
    page.click(".datetimeshortcuts a:has-text('今天')")
    assert page.input_value("#id_date")
