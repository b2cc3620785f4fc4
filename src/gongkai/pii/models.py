"""Personal-information hits (个人信息检查) found in what is about to be published.

A :class:`PiiHit` is one occurrence of a personal datum (identity number, phone, e-mail, bank
card, a person-name candidate) in one source of one object (a record's 正文, an attachment, an
interpretation, a consultation's feedback). Staff decide each hit once — 确认（发布时隐去） or
排除（不是个人信息） — and the decision (who, when, why) is never edited. Confirmed hits are masked in
the published text; :class:`RedactedFile` holds a file regenerated from the redacted text of an
attachment, served instead of the original.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import pii as core

PENDING = "pending"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
STATUS_CHOICES = [(PENDING, "待确认"), (CONFIRMED, "已确认（发布时隐去）"), (DISMISSED, "已排除")]


class PiiHit(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    source = models.CharField(_("位置"), max_length=40)  # body · summary · title · attachment:<id>
    source_label = models.CharField(_("位置说明"), max_length=300)
    kind = models.CharField(_("类型"), max_length=20, choices=core.KIND_CHOICES)
    value = models.CharField(_("内容"), max_length=200)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    context = models.CharField(_("上下文"), max_length=300, blank=True)
    status = models.CharField(_("处理结果"), max_length=20, choices=STATUS_CHOICES, default=PENDING)
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("个人信息疑似项")
        verbose_name_plural = _("个人信息疑似项")
        ordering = ["content_type", "object_id", "source", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source", "kind", "value", "start"],
                name="unique_pii_hit",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}（{self.source_label}）"


def redacted_path(instance, filename):
    return f"redacted/{instance.content_type_id}/{instance.object_id}/{filename}"


class RedactedFile(models.Model):
    """An attachment regenerated from its redacted text (no black boxes over live text)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    source = models.CharField(max_length=40)  # attachment:<id>
    file = models.FileField(upload_to=redacted_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type_name = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.original_name
