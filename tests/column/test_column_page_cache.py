"""The public page cache (gongkai.pagecache): a hit runs no SQL, sets no cookie and keeps CSP;
any write that changes what a page shows is visible on the next request."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from gongkai.records.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.GONGKAI_PAGE_CACHE = True


def _hit(client, django_assert_num_queries, url, **extra):
    with django_assert_num_queries(0):
        return client.get(url, **extra)


@pytest.mark.parametrize("url", ["/", "/reports/", "catalogue", "document", "policies"])
def test_second_request_is_served_without_sql(client, docs, region, url, django_assert_num_queries):
    url = {
        "catalogue": f"/gk/{region['labor'].pk}/catalogue/",
        "document": f"/docs/{docs['new'].pk}/",
        "policies": f"/region/{region['city'].pk}/policies/",
    }.get(url, url)
    first = client.get(url)
    assert first.status_code == 200
    second = _hit(client, django_assert_num_queries, url)
    assert second.status_code == 200
    assert second.content == first.content
    # per-view policy changes (the report pages allow their style sheet by hash) are kept
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert not second.cookies and "sessionid" not in client.cookies
    assert second["ETag"] == first["ETag"]
    assert Session.objects.count() == 0


def test_publish_and_update_show_at_once(client, docs, region, django_assert_num_queries):
    from column_fixtures import publish

    url = f"/gk/{region['labor'].pk}/catalogue/"
    assert "新发布的就业文件" not in client.get(url).content.decode()
    _hit(client, django_assert_num_queries, url)
    publish(region["labor"], title="新发布的就业文件", body="正文。")
    assert "新发布的就业文件" in client.get(url).content.decode()
    # a bulk UPDATE (no save(), no signal) is a write too
    Record.objects.filter(title="新发布的就业文件").update(title="改过标题的就业文件")
    page = client.get(url).content.decode()
    assert "改过标题的就业文件" in page and "新发布的就业文件" not in page


def test_conditional_get_on_a_hit(client, docs):
    url = f"/docs/{docs['new'].pk}/"
    tag = client.get(url)["ETag"]
    client.get(url)
    r = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert r.status_code == 304 and r["ETag"] == tag and not r.content


def test_language_and_host_are_part_of_the_key(client, docs):
    client.get("/")
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert r["Content-Language"] == "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")["Content-Language"] == "zh-hans"


def test_searches_are_never_served_from_the_cache(client, docs, region):
    from gongkai.qa.models import QueryLog

    url = f"/region/{region['city'].pk}/policies/?q=补贴"
    client.get(url)
    client.get(url)
    assert QueryLog.objects.get(text="补贴").count == 2  # each search reaches the listeners


def test_logged_in_staff_never_get_a_cached_page(client, docs, region, django_user_model):
    url = f"/gk/{region['labor'].pk}/guide/"
    anonymous = client.get(url).content.decode()
    Client().get(url)
    user = django_user_model.objects.create_user("staff-x", password="pw-Long-enough-1")
    staff = Client()
    staff.force_login(user)
    page = staff.get(url)
    assert page.status_code == 200
    assert "Cookie" in page["Vary"]
    assert anonymous  # rendered for the staff user, not the anonymous copy


def test_a_nonce_in_a_cached_page_is_reissued_per_response(rf):
    """A page whose body embeds the CSP nonce gets a fresh one, in body and header, on each hit."""
    import re

    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from gongkai.pagecache.middleware import PageCacheMiddleware

    rendered = []

    def view(request):
        rendered.append(1)
        return HttpResponse(f'<p>x</p><script nonce="{request.csp_nonce}">go()</script>')

    chain = CSPMiddleware(PageCacheMiddleware(view))
    nonces = []
    for _ in range(3):
        r = chain(rf.get("/gk/1/nonce-test/"))
        body_nonce = re.search(r'nonce="([^"]+)"', r.content.decode()).group(1)
        assert f"'nonce-{body_nonce}'" in r["Content-Security-Policy"]
        nonces.append(body_nonce)
    assert len(rendered) == 1 and len(set(nonces)) == 3
