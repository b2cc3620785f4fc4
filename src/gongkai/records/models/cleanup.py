"""Periodic clean-up of policy documents (政策性文件清理): a campaign over an agency or its
subtree lists every document in force; each is reviewed (继续有效 / 修改 / 废止 / 失效, with
reason) and the results are applied in one step (``records.services.cleanup``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc

from .record import Record


class CleanupCampaign(models.Model):
    OPEN, APPLIED = "open", "applied"
    STATE_CHOICES = [(OPEN, "清理中"), (APPLIED, "已完成")]

    name = models.CharField(_("清理名称"), max_length=200)
    agency = models.ForeignKey(Agency, verbose_name=_("组织机关"), on_delete=models.PROTECT, related_name="+")
    include_subtree = models.BooleanField(_("包括下级机关"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=STATE_CHOICES, default=OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策性文件清理")
        verbose_name_plural = _("政策性文件清理")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class CleanupItem(models.Model):
    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="cleanup_items")
    decision = models.CharField(_("清理结论"), max_length=10, choices=lc.CLEANUP_DECISIONS, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("结论时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("清理条目")
        verbose_name_plural = _("清理条目")
        ordering = ["campaign", "record__agency__path", "record__written_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "record"], name="unique_cleanup_item")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.record_id} {self.decision}"
