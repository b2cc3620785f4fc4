"""政策解读: interpretations of policy documents, in four forms (文字解读, 图解 with alt text,
音视频 with a transcript, 简明问答), linked to one or more records. State changes go through
``services.transition`` only and append an :class:`InterpretationEvent` (never edited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core import interpretation_rules as rules
from gongkai.trail import TrailEvent


class Interpretation(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("解读机关"), on_delete=models.PROTECT, related_name="+")
    records = models.ManyToManyField(
        "records.Record", verbose_name=_("被解读文件"), related_name="interpretations", blank=True
    )
    title = models.CharField(_("标题"), max_length=300)
    form = models.CharField(_("解读形式"), max_length=20, choices=rules.FORM_CHOICES, default=rules.TEXT)
    body = models.TextField(_("解读正文"), blank=True)
    media_file = models.FileField(
        _("音视频文件"), upload_to="interpretations/media/", blank=True, max_length=300
    )
    media_url = models.URLField(_("音视频链接"), blank=True, max_length=500)
    transcript = models.TextField(_("文字稿"), blank=True)
    author = models.CharField(_("解读人"), max_length=100, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("状态"), max_length=20, choices=rules.STATE_CHOICES, default=rules.DRAFT)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["agency", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def form_label(self) -> str:
        return rules.FORM_LABELS.get(self.form, self.form)

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS.get(self.state, self.state)


class InterpretationImage(models.Model):
    interpretation = models.ForeignKey(Interpretation, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("图片"), upload_to="interpretations/images/", max_length=300)
    alt_text = models.CharField(_("替代文字"), max_length=500)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.alt_text[:50]


class QAPair(models.Model):
    interpretation = models.ForeignKey(Interpretation, on_delete=models.CASCADE, related_name="qa_pairs")
    question = models.TextField(_("问"))
    answer = models.TextField(_("答"))
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.question[:50]


class InterpretationEvent(TrailEvent):
    # The app database role may not change or delete these rows (append-only event trail).
    db_frozen_rows = True

    interpretation = models.ForeignKey(Interpretation, on_delete=models.PROTECT, related_name="events")

    class Meta(TrailEvent.Meta):
        pass
