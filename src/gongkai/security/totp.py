"""TOTP second factor (两步验证): the enrolment page (QR code and secret for an authenticator app)."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .login import needs_second_factor

DEVICE_NAME = "验证器应用"


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label="验证器应用显示的6位数字",
        max_length=6,
        min_length=6,
        error_messages={"required": "请输入6位动态验证码", "min_length": "动态验证码为6位数字"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def check_token(user, token: str):
    """The user's confirmed device that accepts ``token``, else None."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@login_required
def totp(request):
    if confirmed_device(request.user):
        return render(request, "security/totp.html", {"enrolled": True})
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            messages.success(request, "两步验证已启用：以后登录时须输入验证器应用显示的动态验证码。")
            return redirect("workbench:queue")
        form.add_error("otp_token", "动态验证码不正确，请核对手机时间后重新输入。")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "security/totp.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr.svg_inline(scale=5, title="两步验证二维码")),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": needs_second_factor(request.user),
        },
    )
