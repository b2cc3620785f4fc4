"""Issue 8 part A, item 4 (low findings): NUL in input, body size cap, no-store on personal data,
attachment names with many dots, the client address behind trusted proxies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from gongkai.core.client_address import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar(staff):
    return staff["registrar"]


@pytest.fixture
def apply_data(agencies):
    """A complete online application (the portal's form fields)."""
    return {
        "agency": str(agencies["dept"].pk),
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_document_type": "resident_id",
        "id_document_number": "11010519491231002X",
        "phone": "13800000000",
        "postal_address": "某市某区某路1号",
        "description": "2025年某市义务教育阶段学校招生计划文件",
        "requested_form": "electronic",
        "delivery_method": "email",
        "email": "zhangsan@example.com",
        "confirm": "on",
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("url", ["/reports/?q=%00", "/search/?q=a%00b", "/?x=%00", "/track/?q=%00"])
def test_nul_in_a_public_query_is_a_chinese_400(client, agencies, url):
    r = client.get(url)
    assert r.status_code == 400
    assert "空字符" in r.content.decode()


def test_nul_in_the_api_search_is_a_400_not_a_500(client, registrar):
    token, _ = Token.objects.get_or_create(user=registrar)
    r = client.get("/api/applications/?q=%00", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 400


def test_nul_in_the_workbench_search_and_in_a_form_post(client, registrar, apply_data):
    client.force_login(registrar)
    assert client.get("/workbench/?q=%00").status_code == 400
    r = client.post("/apply/", {**apply_data, "description": "材料\x00清单"})
    assert r.status_code == 400
    assert "空字符" in r.content.decode()


def test_a_body_over_the_cap_gets_the_chinese_413_page(client, settings, agencies):
    settings.GONGKAI_MAX_REQUEST_BYTES = 1024
    r = client.post("/track/", {"tracking_number": "x" * 2000, "query_code": "y"})
    assert r.status_code == 413
    assert "提交的内容过大" in r.content.decode()


def test_form_fields_over_django_s_cap_get_the_chinese_413_page(client, settings, agencies):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    r = client.post("/track/", {"tracking_number": "x" * 2000, "query_code": "y"})
    assert r.status_code == 413
    assert "提交的内容过大" in r.content.decode()


def test_pages_with_personal_data_are_not_stored(client, registrar):
    assert "no-store" in client.get("/track/")["Cache-Control"]
    assert "no-store" in client.get("/apply/")["Cache-Control"]
    assert "no-store" not in client.get("/reports/").get("Cache-Control", "")
    client.force_login(registrar)
    assert "no-store" in client.get("/workbench/")["Cache-Control"]


def test_an_attachment_name_with_many_dots_gets_a_clear_chinese_error(client, apply_data):
    name = "身份证" + ".扫描件" * 40 + ".pdf"
    pdf = SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")
    r = client.post("/apply/", {**apply_data, "attachments": [pdf]})
    assert r.status_code == 200
    assert "文件名过长或含有过多的“.”" in r.content.decode()


def test_the_client_address_comes_from_the_configured_proxies(client, settings, agencies, caplog):
    from gongkai.security.middleware import ClientAddressMiddleware

    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        return None

    mw = ClientAddressMiddleware(view)
    from django.test import RequestFactory

    rf = RequestFactory()
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    settings.GONGKAI_TRUSTED_PROXIES = 0
    mw(request)
    assert seen["addr"] == "10.0.0.2"  # default: forwarded headers are not trusted
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    settings.GONGKAI_TRUSTED_PROXIES = 1
    mw(request)
    assert seen["addr"] == "203.0.113.7"  # one proxy: its entry, not the one the client wrote


ips = st.ip_addresses().map(str)


@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a loaded 2-core machine
@given(client_ip=ips, spoofed=st.lists(ips, max_size=3), proxies=st.lists(ips, min_size=1, max_size=3))
def test_client_address_is_never_what_the_client_wrote(client_ip, spoofed, proxies):
    """The client writes ``spoofed`` into X-Forwarded-For; each of the ``len(proxies)`` trusted
    proxies appends the address it received from; the app server sees the last proxy."""
    chain = [*spoofed, client_ip, *proxies[:-1]]
    forwarded = ", ".join(chain)
    assert client_address(proxies[-1], forwarded, len(proxies)) == client_ip
    assert client_address(proxies[-1], forwarded, 0) == proxies[-1]


def test_malformed_or_short_forwarded_chains():
    assert client_address("10.0.0.2", "not-an-ip", 1) == "10.0.0.2"
    assert client_address("10.0.0.2", None, 2) == "10.0.0.2"
    assert client_address("10.0.0.2", "198.51.100.1", 3) == "198.51.100.1"
