"""The load benchmark's baseline: a bare Django view returning "ok" (``benchmarks.bare_settings``)."""

from django.http import HttpResponse
from django.urls import path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ok/", ok)]
