from django.urls import path

from . import totp

app_name = "security"
urlpatterns = [
    path("totp/", totp.totp, name="totp"),
]
