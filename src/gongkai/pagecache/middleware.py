"""Whole responses of public pages, kept per process and served before the rest of the stack.

``PageCacheMiddleware`` sits after the CSP middleware (each hit gets its own policy header, and a
page whose body embeds the CSP nonce gets a fresh nonce in body and header) and before sessions,
CSRF, authentication and messages, which a hit skips. A response is kept when it was a 200 answer
to a GET of a listed URL (``GONGKAI_PAGE_CACHE_EXACT`` / ``_PREFIXES``), set no cookie (but the
visitor's own CSRF cookie again), allowed caching, varied on nothing but language, cookies and
``Accept``, and no write happened while it was rendered. Its key: scheme, host, full path,
language, today's date and the content generation (``generation``), so a write shows on the next
request. A response that read the session or the CSRF token (``Vary: Cookie``) is kept per
visitor: under their session cookie, CSRF cookie and the credentials generation, until their
session ends; one for a logged-in session is never kept, nor is any page for a visitor with a
message waiting. A request with an ``Authorization`` header (the staff API list with a token) is
kept under that token and the credentials generation: a revoked token is refused at once, and a
hit still counts against the token user's API rate limits (past them, the API itself answers 429).
A view opts out with ``request.page_cache_off = True``.
"""

from __future__ import annotations

import time
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_request

from gongkai.core.page_cache import (
    Entry,
    LocalStore,
    Varies,
    cache_control_allows,
    content_etag,
    digest,
    path_cacheable,
    vary_fields,
)

from . import generation

STORE = LocalStore(
    max_entries=settings.GONGKAI_PAGE_CACHE_ENTRIES,
    max_bytes=settings.GONGKAI_PAGE_CACHE_MB * 1024 * 1024,
    max_age=settings.GONGKAI_PAGE_CACHE_SECONDS,
)
CSP_ATTRS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
CSP_ATTRS += tuple(a + "_ro" for a in CSP_ATTRS)
# Sent by the middleware itself on a hit (not at all on a 304).
_BODY_HEADERS = {"content-length", "content-type", "content-disposition"}
_ALLOWED_VARY = {"cookie", "accept"}  # besides Accept-Language, which the key always holds
MESSAGES_COOKIE = "messages"  # django.contrib.messages CookieStorage.cookie_name
_DB_SESSIONS = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.exact = tuple(settings.GONGKAI_PAGE_CACHE_EXACT)
        self.prefixes = tuple(settings.GONGKAI_PAGE_CACHE_PREFIXES)

    def __call__(self, request):
        if not (
            settings.GONGKAI_PAGE_CACHE
            and request.method == "GET"
            and path_cacheable(request.path, self.exact, self.prefixes)
            and MESSAGES_COOKIE not in request.COOKIES
        ):
            return self.get_response(request)
        gens = generation.current()
        if gens is None:
            return self.get_response(request)
        STORE.use_generation(gens[0])
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        base = (
            request.scheme,
            request.META.get("HTTP_HOST", ""),
            request.get_full_path(),
            get_language_from_request(request),
            timezone.localdate().isoformat(),
            digest(auth),
            gens[1] if auth else "",
        )
        found = STORE.get(base)
        if isinstance(found, Varies):
            found = STORE.get(base + self._varied(request, found.fields, gens[1]))
        if (
            isinstance(found, Entry)
            and (found.expires_at is None or time.time() < found.expires_at)
            and (found.throttle_user is None or self._within_rate(request, found.throttle_user))
        ):
            return self._hit(request, found)
        response = self.get_response(request)
        self._store(request, response, base, gens)
        return response

    @staticmethod
    def _varied(request, fields: tuple[str, ...], credentials: str) -> tuple:
        values = []
        for name in fields:
            if name == "cookie":
                cookies = request.COOKIES
                values += [
                    digest(cookies.get(settings.SESSION_COOKIE_NAME, "")),
                    digest(cookies.get(settings.CSRF_COOKIE_NAME, "")),
                    credentials,
                ]
            else:
                values.append(request.META.get("HTTP_" + name.upper().replace("-", "_"), ""))
        return tuple(values)

    def _store(self, request, response, base: tuple, gens: tuple[str, str]) -> None:
        if (
            response.status_code != 200
            or response.streaming
            or not self._cookies_unchanged(request, response)
            or getattr(request, "page_cache_off", False)
            or not cache_control_allows(response.get("Cache-Control", ""))
        ):
            return
        vary = vary_fields(response.get("Vary", "")) - {"accept-language"}
        if not vary <= _ALLOWED_VARY:
            return
        expires_at = None
        if "cookie" in vary and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            expires_at = self._anonymous_session_end(request)
            if expires_at is None:
                return
        if generation.current() != gens:
            return  # something was written while the page was rendered
        if "ETag" not in response:
            response["ETag"] = content_etag(response.content)
        nonce = getattr(request, "_csp_nonce", None)
        entry = Entry(
            status=response.status_code,
            headers=list(response.items()),
            content=response.content,
            csp={a: getattr(response, a) for a in CSP_ATTRS if hasattr(response, a)},
            nonce=nonce if isinstance(nonce, str) and nonce.encode() in response.content else None,
            expires_at=expires_at,
            throttle_user=self._api_user(request) if base[5] else None,
        )
        STORE.use_generation(gens[0])
        fields = tuple(sorted(vary))
        if fields:
            STORE.put(base, Varies(fields))
            STORE.put(base + self._varied(request, fields, gens[1]), entry)
        else:
            STORE.put(base, entry)

    @staticmethod
    def _api_user(request) -> int | None:
        """The user the API authenticated with the request's token (DRF sets it on the request)."""
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None

    @staticmethod
    def _within_rate(request, user_pk: int) -> bool:
        """Count a hit against the API's rate limits as the API would (its default throttles, for
        the user the token belongs to); False past a limit (the request then goes to the API)."""
        from rest_framework.settings import api_settings

        probe = SimpleNamespace(user=SimpleNamespace(pk=user_pk, is_authenticated=True), META=request.META)
        return all(cls().allow_request(probe, None) for cls in api_settings.DEFAULT_THROTTLE_CLASSES)

    @staticmethod
    def _anonymous_session_end(request) -> float | None:
        """When the visitor's session ends (a page kept for it is served until then); None for a
        logged-in session or a session store whose end cannot be read."""
        session = getattr(request, "session", None)
        if session is None or settings.SESSION_ENGINE not in _DB_SESSIONS or session.get("_auth_user_id"):
            return None
        model = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
        key = request.COOKIES[settings.SESSION_COOKIE_NAME]
        end = model.objects.filter(session_key=key).values_list("expire_date", flat=True).first()
        return end.timestamp() if end else time.time() + settings.GONGKAI_PAGE_CACHE_SECONDS

    @staticmethod
    def _cookies_unchanged(request, response) -> bool:
        """No cookie set, or only the CSRF cookie the visitor already has (Django sends it again
        with every page that embeds the token, to extend its life; a hit does not)."""
        for name, morsel in response.cookies.items():
            if name != settings.CSRF_COOKIE_NAME or morsel.value != request.COOKIES.get(name):
                return False
        return True

    def _hit(self, request, entry: Entry):
        headers = dict(entry.headers)
        modified = headers.get("Last-Modified")
        response = get_conditional_response(
            request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(modified) if modified else None,
        )
        if response is None:
            body = entry.with_nonce(str(request.csp_nonce)) if entry.nonce else entry.content
            response = HttpResponse(body, status=entry.status)
            keep = headers.items()
        else:
            keep = ((k, v) for k, v in headers.items() if k.lower() not in _BODY_HEADERS)
        for name, value in keep:
            response[name] = value
        if response.status_code == 200:
            response["Content-Length"] = str(len(response.content))
        for attr, value in entry.csp.items():
            setattr(response, attr, value)
        return response
