"""意见征集: a public consultation on a draft document (a record not yet published), the public's
comments and their moderation, and the feedback (采纳情况反馈) published after the period.
State changes go through ``services``; every one appends a :class:`ConsultationEvent`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core import consultation_rules as rules
from gongkai.trail import TrailEvent


class Consultation(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("征集机关"), on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(
        "records.Record", verbose_name=_("草案文件"), on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(_("标题"), max_length=300)
    draft_kind = models.CharField(_("文件类型"), max_length=20, choices=rules.KIND_CHOICES)
    concerns_market = models.BooleanField(_("与市场主体经济活动密切相关"), default=False)
    explanation = models.TextField(_("起草说明"), blank=True)
    draft_text = models.TextField(_("征求意见稿"))
    channels = models.TextField(_("意见反馈渠道"), blank=True, help_text=_("如网站留言、电子邮箱、信函地址"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=20, choices=rules.STATE_CHOICES, default=rules.DRAFT)
    feedback_summary = models.TextField(_("采纳情况说明"), blank=True)
    feedback_published_on = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance, filename):
    return f"consultations/{instance.consultation_id}/{filename}"


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A comment from the public. ``name`` and ``contact`` are never shown publicly."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    name = models.CharField(_("姓名"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    body = models.TextField(_("意见建议"))
    submitted_at = models.DateTimeField()
    state = models.CharField(
        _("处理结果"), max_length=20, choices=rules.COMMENT_STATES, default=rules.RECEIVED
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        verbose_name=_("合并到"),
    )
    reason = models.TextField(_("处理说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class ConsultationEvent(TrailEvent):
    # The app database role may not change or delete these rows (append-only event trail).
    db_frozen_rows = True

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="events")

    class Meta(TrailEvent.Meta):
        pass
