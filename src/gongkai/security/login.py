"""Login protection: lockout per account and per address (django-axes) and the optional TOTP
second factor (django-otp) for heads and agency administrators.

Every authenticate() that carries a request — the workbench login, and the admin login, which
redirects to it — goes through ``LockoutBackend``: after ``GONGKAI_LOGIN_FAILURE_LIMIT`` wrong
passwords for one account, or from one client address, further attempts are refused without
checking the password (no PBKDF2 work) until ``GONGKAI_LOGIN_LOCKOUT_MINUTES`` have passed, with a
Chinese page. The address is the one ``ClientAddressMiddleware`` derived from the trusted proxies.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render

from gongkai.agencies.models import Membership, Role

SECOND_FACTOR_ROLES = (Role.HEAD, Role.ADMIN)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "login_locked.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before any password is hashed. Calls without a request (the console, code
    that authenticates on behalf of no client) have no address to count and are left to the
    model backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def needs_second_factor(user) -> bool:
    """Heads and agency administrators (and superusers) when GONGKAI_TOTP_REQUIRED is on."""
    if not settings.GONGKAI_TOTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()
