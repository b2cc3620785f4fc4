"""Request-level guards that every view gets.

- ``ClientAddressMiddleware``: ``REMOTE_ADDR`` becomes the client's address as seen through the
  configured number of trusted proxies (``GONGKAI_TRUSTED_PROXIES``); the connecting address is
  kept in ``GONGKAI_PEER_ADDR``. Rate limits, login lockout and recorded addresses use it.
- ``RequestGuardMiddleware``: a cap on the body size (Chinese 413 page before anything is read),
  a Chinese 400 page for NUL characters in query or form input (PostgreSQL rejects them in text),
  and ``Cache-Control: no-store`` on pages that can show personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from gongkai.core.client_address import client_address

from .views import error_page


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        meta["GONGKAI_PEER_ADDR"] = peer
        meta["REMOTE_ADDR"] = client_address(
            peer, meta.get("HTTP_X_FORWARDED_FOR"), settings.GONGKAI_TRUSTED_PROXIES
        )
        return self.get_response(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists())


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._refuse(request) or self.get_response(request)
        if request.path.startswith(settings.GONGKAI_NO_STORE_PREFIXES) or (
            getattr(request, "user", None) is not None and request.user.is_authenticated
        ):
            add_never_cache_headers(response)
        return response

    def _refuse(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.GONGKAI_MAX_REQUEST_BYTES:
            return error_page(request, 413)
        if _has_nul(request.GET):
            return error_page(request, 400, "nul")
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            return error_page(request, 400, "nul")
        return None


class SecondFactorMiddleware:
    """With GONGKAI_TOTP_REQUIRED on, a head, agency admin or superuser whose session was not
    verified with a TOTP code is sent to enrol one before any staff page or the admin."""

    EXEMPT = ("/workbench/login/", "/workbench/logout/", "/workbench/security/", "/static/")
    GUARDED = ("/workbench/", "/admin/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .login import needs_second_factor

        path = request.path
        if (
            settings.GONGKAI_TOTP_REQUIRED
            and path.startswith(self.GUARDED)
            and not path.startswith(self.EXEMPT)
            and not request.user.is_verified()
            and needs_second_factor(request.user)
        ):
            return redirect("security:totp")
        return self.get_response(request)
