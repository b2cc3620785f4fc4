"""The permission matrix: every URL pattern of the URL configuration (admin and API included) ×
every role, with the expected status from the rule table in ``permission_rules.py``.

A pattern without a rule fails :func:`test_every_url_pattern_has_a_rule`, so a new view must
declare who may reach it. The seeded data is built once per module; each request runs in the
test's own transaction (rolled back), so POSTs of key actions change nothing for the next role.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from matrix_seed import ROLES, build
from permission_rules import ADMIN_PREFIX, RULES

DISCOVER = os.environ.get("GONGKAI_MATRIX_DISCOVER")  # path: write the observed matrix there


def url_patterns(patterns=None, prefix=""):
    """``[(route, pattern)]`` of every URL pattern, routes joined as written in the URLconfs."""
    out = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out.extend(url_patterns(p.url_patterns, route))
        elif isinstance(p, URLPattern):
            out.append((route, p))
    return out


def rule_for(route: str):
    """The route's own rule; admin patterns without one share the ``admin/`` rule (the admin site
    lets in only ``is_staff`` users, and no role here is one)."""
    if route in RULES:
        return RULES[route]
    if route.startswith(ADMIN_PREFIX):
        return RULES[ADMIN_PREFIX]
    return None


_GROUP = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def concrete_path(route: str, kwargs: dict) -> str:
    """The route with its parameters filled in (path converters and regex groups alike)."""

    def fill(m):
        return str(kwargs[m.group("name") or m.group("rname")])

    path = _GROUP.sub(fill, route)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.contrib.auth import get_user_model

    old_media, old_hashers = settings.MEDIA_ROOT, settings.PASSWORD_HASHERS
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build(get_user_model())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT, settings.PASSWORD_HASHERS = old_media, old_hashers


def client_for(role: str, seed) -> Client:
    client = Client()
    if role == "applicant":
        r = client.post(
            "/track/", {"tracking_number": seed.app.tracking_number, "query_code": seed.applicant_code}
        )
        assert r.status_code == 302, "the applicant could not track the case"
    elif role != "anonymous":
        client.force_login(seed.users[role])
    return client


@pytest.fixture(scope="module")
def clients(seed, django_db_blocker):
    """One logged-in client per role (sessions created in the module's transaction)."""
    with django_db_blocker.unblock():
        return {role: client_for(role, seed) for role in ROLES}


def observe(route: str, seed, clients) -> dict[str, dict[str, str]]:
    """``{method: {role: "status"}}``; a POST whose rule checks its effect reads ``"302+"``
    when the effect happened. Every request is rolled back, the client's cookies restored."""
    rule = rule_for(route)
    path = concrete_path(route, rule.kwargs(seed))
    # Each route from its own client address, so per-address throttles (public API, portal) count
    # only this route's requests.
    n = ROUTES.index(route)
    addr = {"REMOTE_ADDR": f"10.{n // 250}.{n % 250}.1"}
    seen: dict[str, dict[str, str]] = {"GET": {}}
    if rule.post is not None:
        seen["POST"] = {}
    for role in ROLES:
        client = clients[role]
        for method in seen:
            cookies = client.cookies
            client.cookies = cookies.__class__(cookies)
            with transaction.atomic():
                if method == "GET":
                    r = client.get(path, **addr)
                    seen[method][role] = str(r.status_code)
                else:
                    r = client.post(path, rule.post(seed), **addr)
                    done = rule.post_done is not None and rule.post_done(seed)
                    seen[method][role] = f"{r.status_code}+" if done else str(r.status_code)
                transaction.set_rollback(True)
            client.cookies = cookies
    return seen


ROUTES = [route for route, _ in url_patterns()]


def test_every_url_pattern_has_a_rule():
    missing = [route for route in ROUTES if rule_for(route) is None]
    assert not missing, "URL patterns without a rule in tests/security/permission_rules.py: " + ", ".join(
        missing
    )
    stale = [key for key in RULES if key != ADMIN_PREFIX and key not in ROUTES]
    assert not stale, "rules for URL patterns that no longer exist: " + ", ".join(stale)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_permission_matrix(route, seed, clients):
    rule = rule_for(route)
    if rule is None:
        pytest.fail(f"no rule for {route}")
    seen = observe(route, seed, clients)
    if DISCOVER:
        with open(DISCOVER, "a", encoding="utf-8") as f:
            f.write(json.dumps({"route": route, "seen": seen}, ensure_ascii=False) + "\n")
        return
    expected = rule.expected()
    wrong = {
        f"{method} {role}": (seen[method][role], expected[method][role])
        for method in seen
        for role in ROLES
        if seen[method][role] != expected[method][role]
    }
    assert not wrong, f"{route}: (seen, expected) {wrong}"
