"""Rate limits for the public forms that fit a reverse proxy.

The key is the client address that ``ClientAddressMiddleware`` derived through the configured
number of trusted proxies, so citizens behind the README's nginx each have their own quota.
Only what the limit protects is counted (a valid application, a tracking look-up), never a form
sent back with errors. Past the limit the form asks for an offline captcha
(django-simple-captcha: an image made on the server, no third-party service) instead of refusing.
"""

from __future__ import annotations

from captcha.fields import CaptchaField
from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

CAPTCHA_FIELD = "captcha"


class CaptchaGate:
    """``limited`` once ``rate`` valid posts came from this client in the window; ``protect(form)``
    then adds the captcha field; ``count()`` after a post that counts."""

    def __init__(self, request, group: str, rate: str):
        self.request, self.group, self.rate = request, group, rate
        usage = self._usage(increment=False) if settings.RATELIMIT_ENABLE else None
        self.limited = bool(usage) and usage["count"] >= usage["limit"]

    def _usage(self, increment: bool):
        return get_usage(
            self.request, group=self.group, key="ip", rate=self.rate, method=ALL, increment=increment
        )

    def protect(self, form):
        if self.limited:
            form.fields[CAPTCHA_FIELD] = CaptchaField(
                label="验证码",
                help_text="您在短时间内提交较多，请输入图中的字符后继续。",
                error_messages={
                    "invalid": "验证码不正确，请重新输入图中的字符。",
                    "required": "请输入验证码",
                },
            )
        return form

    def count(self) -> None:
        if settings.RATELIMIT_ENABLE:
            self._usage(increment=True)
