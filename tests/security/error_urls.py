"""A URL configuration for the error-page tests: the project's handlers plus views that fail."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path

from gongkai.config.urls import handler400, handler403, handler404, handler500  # noqa: F401


def bad(request):
    raise SuspiciousOperation("test")


def denied(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("bad/", bad),
    path("denied/", denied),
    path("crash/", crash),
    path("", include("gongkai.config.urls")),
]
