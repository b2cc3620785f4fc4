"""Issue 8 part A, item 2: login lockout per account and per address (django-axes) on the
workbench login and the admin login, with a Chinese message; the optional TOTP second factor."""

import datetime as dt

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/workbench/login/"
PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(staff):
    for user in staff.values():
        user.set_password(PASSWORD)
        user.save()
    return staff


def attempt(client, username, password, addr="198.51.100.10", forwarded=None, **fields):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    data = {"username": username, "password": password, **fields}
    return client.post(LOGIN, data, REMOTE_ADDR=addr, **headers)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_even_for_the_right_one(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = attempt(client, "head", "wrong")
        assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    r = attempt(client, "head", "wrong")
    assert r.status_code == 429
    body = r.content.decode()
    assert "登录已暂时锁定" in body and "15 分钟后再试" in body
    r = attempt(client, "head", PASSWORD)
    assert r.status_code == 429 and not logged_in(client)
    # the account is locked from any address; other accounts from other addresses still log in
    assert attempt(client, "head", PASSWORD, addr="203.0.113.5").status_code == 429
    r = attempt(client, "handler", PASSWORD, addr="203.0.113.5")
    assert r.status_code == 302 and logged_in(client)


def test_wrong_passwords_from_one_address_lock_that_address(client, users, settings):
    names = ["registrar", "handler", "reviewer", "admin", "supervisor"][: settings.AXES_FAILURE_LIMIT]
    for name in names:
        attempt(client, name, "wrong")
    r = attempt(client, "head", PASSWORD)
    assert r.status_code == 429 and not logged_in(client)
    assert attempt(client, "head", PASSWORD, addr="203.0.113.9").status_code == 302


def test_behind_the_proxy_the_lock_is_per_client_not_for_everyone(client, users, settings):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for name in ["registrar", "handler", "reviewer", "admin", "supervisor"]:
        attempt(client, name, "wrong", addr=proxy, forwarded="198.51.100.66")
    r = attempt(client, "head", PASSWORD, addr=proxy, forwarded="198.51.100.66")
    assert r.status_code == 429
    r = attempt(client, "head", PASSWORD, addr=proxy, forwarded="198.51.100.77")
    assert r.status_code == 302


def test_the_lock_is_temporary(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "head", "wrong")
    assert attempt(client, "head", PASSWORD).status_code == 429
    later = dt.datetime.now(dt.UTC) + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        r = attempt(client, "head", PASSWORD)
    assert r.status_code == 302 and logged_in(client)


def test_the_admin_login_is_the_protected_login(client, users, settings):
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302 and r["Location"] == "/workbench/login/?next=/admin/"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        r = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
        assert r.status_code == 302 and not logged_in(client)
    r = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert not logged_in(client)  # posts to the old admin form authenticate nobody


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_totp_enrolment_and_login_with_the_second_factor(client, users):
    head = users["head"]
    client.force_login(head)
    page = client.get("/workbench/security/totp/")
    body = page.content.decode()
    assert "<svg" in body and 'id="totp-secret"' in body
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    r = client.post(
        "/workbench/security/totp/", {"otp_token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "动态验证码不正确" in r.content.decode()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)):  # django-otp's throttle
        r = client.post("/workbench/security/totp/", {"otp_token": current_code(device)})
    assert r.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()

    r = attempt(client, "head", PASSWORD)
    assert r.status_code == 200 and not logged_in(client)
    assert "请输入验证器应用显示的正确的6位动态验证码" in r.content.decode()
    # a code is accepted once per 30-second step, and not straight after a wrong one
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=65)):
        device.refresh_from_db()
        r = attempt(client, "head", PASSWORD, otp_token=current_code(device))
    assert r.status_code == 302 and logged_in(client)
    assert client.session.get("otp_device_id")  # the session passed the second factor


def test_wrong_codes_count_towards_the_lockout(client, users, settings):
    device = TOTPDevice.objects.create(user=users["head"], name="app", confirmed=True)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "head", PASSWORD, otp_token=wrong)
    r = attempt(client, "head", PASSWORD, otp_token=current_code(device))
    assert r.status_code == 429 and not logged_in(client)


def test_required_second_factor_for_heads_and_admins(client, users, settings):
    settings.GONGKAI_TOTP_REQUIRED = True
    client.force_login(users["head"])
    r = client.get("/workbench/")
    assert r.status_code == 302 and r["Location"] == "/workbench/security/totp/"
    assert "须先启用两步验证" in client.get("/workbench/security/totp/").content.decode()
    client.force_login(users["handler"])
    assert client.get("/workbench/").status_code == 200
