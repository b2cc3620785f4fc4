"""The log of reveals of an applicant's full personal data (显示完整信息) by staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class PersonalDataReveal(models.Model):
    """One reveal: who saw which full fields of which case, when, and through which channel.
    Append-only (the app database role may not change or delete rows; see gongkai.ops.dbroles)."""

    db_frozen_rows = True

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="reveals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    fields = models.JSONField(_("查看的字段"), default=list)
    channel = models.CharField(_("途径"), max_length=10)  # "web" (case page) | "api"
    client_address = models.CharField(_("来源地址"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("完整个人信息查看记录")
        verbose_name_plural = _("完整个人信息查看记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"
