"""Issue 8 part A, item 3: rate limits that fit a proxy — API throttling per authenticated client."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_api_rates(monkeypatch):
    """Rates low enough to reach in a test; counts in a cache of this test's own."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "2/min"})
    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache("throttle-test", {}))


def token_client(user, addr="198.51.100.20"):
    c = APIClient(REMOTE_ADDR=addr)
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def test_api_clients_are_throttled_per_token(staff, low_api_rates):
    one, other = token_client(staff["handler"]), token_client(staff["registrar"])
    assert [one.get("/api/applications/").status_code for _ in range(3)] == [200, 200, 200]
    r = one.get("/api/applications/")
    assert r.status_code == 429 and "Retry-After" in r
    assert other.get("/api/applications/").status_code == 200  # another client keeps its quota


def test_anonymous_api_calls_are_throttled_per_client_address_not_per_proxy(settings, low_api_rates):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    c = APIClient(REMOTE_ADDR="10.0.0.2")
    codes = [c.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(3)]
    assert codes[-1] == 429
    assert c.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code != 429


def test_behind_the_proxy_each_citizen_has_an_own_quota_and_then_a_captcha(client, settings, agencies):
    """Every citizen reaches the app through the same nginx: the quota follows the forwarded
    client address, and past it the look-up asks for a captcha instead of refusing."""
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    settings.GONGKAI_TRUSTED_PROXIES = 1
    cache.clear()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    lookup = {"tracking_number": "市教依申〔2026〕9999号", "query_code": "ABCDEFGH"}
    for _ in range(20):
        r = client.post("/track/", lookup, HTTP_X_FORWARDED_FOR="198.51.100.31", **proxy)
        assert r.status_code == 200 and "captcha_1" not in r.content.decode()
    r = client.post("/track/", lookup, HTTP_X_FORWARDED_FOR="198.51.100.31", **proxy)
    assert r.status_code == 200 and "请输入验证码" in r.content.decode()
    r = client.get("/track/", HTTP_X_FORWARDED_FOR="198.51.100.32", **proxy)
    assert "captcha_1" not in r.content.decode()  # another citizen behind the same proxy
    cache.clear()
