"""Administrative reconsideration (行政复议) and litigation (行政诉讼) about disclosure work.

Each :class:`Appeal` is one case against an agency's disclosure decision; Section 4 of the annual
report (四、政府信息公开行政复议、行政诉讼情况) is derived from these rows (see ``appeals.stats``).
The Section 4 column of a case is ``f"{kind}_{outcome}"`` (e.g. ``review_upheld``), i.e. the
keys of ``report_schema``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency


class AppealKind(models.TextChoices):
    REVIEW = "review", _("行政复议")
    LIT_DIRECT = "lit_direct", _("行政诉讼－未经复议直接起诉")
    LIT_AFTER_REVIEW = "lit_after_review", _("行政诉讼－复议后起诉")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class Appeal(models.Model):
    kind = models.CharField(_("案件类型"), max_length=20, choices=AppealKind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("被申请人/被告机关"), on_delete=models.PROTECT, related_name="appeals"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("相关政府信息公开申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    body = models.CharField(_("复议机关或受理法院"), max_length=200, blank=True)
    filed_date = models.DateField(_("申请或立案日期"))
    decided_date = models.DateField(_("决定或裁判日期"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=20, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    summary = models.TextField(_("案情摘要"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("行政复议或诉讼案件")
        verbose_name_plural = _("行政复议或诉讼案件")
        ordering = ["-filed_date", "pk"]
        indexes = [
            models.Index(fields=["agency", "filed_date"]),
            models.Index(fields=["agency", "decided_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(decided_date__isnull=True, outcome="pending"))
                | (models.Q(decided_date__isnull=False) & ~models.Q(outcome="pending")),
                name="appeal_outcome_matches_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"

    def clean(self):
        if self.decided_date and self.outcome == AppealOutcome.PENDING:
            raise ValidationError({"outcome": "已有决定或裁判日期的案件须选择审结结果。"})
        if not self.decided_date and self.outcome != AppealOutcome.PENDING:
            raise ValidationError({"decided_date": "已审结的案件须填写决定或裁判日期。"})
        if self.decided_date and self.filed_date and self.decided_date < self.filed_date:
            raise ValidationError({"decided_date": "决定或裁判日期不能早于申请或立案日期。"})
