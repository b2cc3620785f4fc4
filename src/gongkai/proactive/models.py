"""Proactive disclosure (主动公开) facts that feed Section 2 of the annual report.

- :class:`NormativeDocument`: rules (规章) and administrative normative documents (行政规范性文件)
  with their issue / abolition / publication dates; Art. 20(1) counts are derived from the dates.
- :class:`Art20Count`: the per-year counts entered by staff for Art. 20(5), (6), (8), (9)
  (行政许可、其他对外管理服务事项、行政处罚、行政强制、行政事业性收费、政府集中采购).

Row labels come from ``gongkai.core.report_schema`` (never typed here).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core.report_schema import get_template


def _document_kind_choices() -> list[tuple[str, str]]:
    """规章 / 行政规范性文件: the row keys and labels of the 2021 Art. 20(1) table."""
    return [(r.key, r.label) for r in get_template("2021").table("art20_1").cell_rows]


def _art20_kind_choices() -> list[tuple[str, str]]:
    """Every Art. 20(5)/(6)/(8)/(9) row of the 2019 template (a superset of the 2021 rows)."""
    out: list[tuple[str, str]] = []
    for tb in get_template("2019").proactive_tables:
        if tb.key == "art20_1":
            continue
        out += [(r.key, r.label) for r in tb.cell_rows]
    return out


DOCUMENT_KIND_CHOICES = _document_kind_choices()
ART20_KIND_CHOICES = _art20_kind_choices()


class DocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    ABOLISHED = "abolished", _("已废止")
    EXPIRED = "expired", _("已失效")


class NormativeDocument(models.Model):
    """A rule (规章) or administrative normative document (行政规范性文件) of one agency.

    Year counts (see ``proactive.stats``) use the dates, not ``status``, so past years stay right:
    本年制发 = issue_date in Y; 本年废止 = abolition_date in Y; 现行有效 = issued by 31 Dec Y and not
    abolished/expired by then; 2019 format: 本年新制作 = issued in Y, 本年新公开 = published in Y,
    对外公开总数量 = published by 31 Dec Y.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("制发机关"), on_delete=models.PROTECT, related_name="normative_documents"
    )
    kind = models.CharField(_("文件类别"), max_length=30, choices=DOCUMENT_KIND_CHOICES)
    title = models.CharField(_("文件名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issue_date = models.DateField(_("制发日期"))
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    abolition_date = models.DateField(_("废止或失效日期"), null=True, blank=True)
    status = models.CharField(
        _("效力状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.IN_FORCE
    )
    published = models.BooleanField(_("已主动公开"), default=True)
    published_date = models.DateField(_("公开日期"), null=True, blank=True)
    url = models.URLField(_("公开网址"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("规章和规范性文件")
        verbose_name_plural = _("规章和规范性文件")
        ordering = ["-issue_date", "pk"]
        indexes = [models.Index(fields=["agency", "kind", "issue_date"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    def clean(self):
        errors = {}
        if self.status != DocumentStatus.IN_FORCE and not self.abolition_date:
            errors["abolition_date"] = "已废止或已失效的文件须填写废止或失效日期。"
        if self.status == DocumentStatus.IN_FORCE and self.abolition_date:
            errors["status"] = "填写了废止或失效日期的文件不能为“现行有效”。"
        if self.abolition_date and self.issue_date and self.abolition_date < self.issue_date:
            errors["abolition_date"] = "废止或失效日期不能早于制发日期。"
        if self.published and not self.published_date:
            errors["published_date"] = "已公开的文件须填写公开日期。"
        if errors:
            raise ValidationError(errors)


class Art20Count(models.Model):
    """Counts of one Art. 20 item for one agency and year (第二十条第（五）（六）（八）（九）项).

    Columns of both templates are kept; each template prints the ones it has:
    2019: 上一年项目数量 · 本年增/减 · 处理决定数量 (and 采购项目数量 · 采购总金额 for 政府集中采购);
    2021: 本年处理决定数量 and 本年收费金额（万元）.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="art20_counts"
    )
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("事项"), max_length=40, choices=ART20_KIND_CHOICES)
    decisions = models.PositiveIntegerField(_("本年处理决定数量"), default=0)
    prev_year_items = models.PositiveIntegerField(_("上一年项目数量"), default=0)
    change = models.IntegerField(_("本年增/减"), default=0)
    fee_amount = models.DecimalField(_("本年收费金额（万元）"), max_digits=16, decimal_places=4, default=0)
    procurement_items = models.PositiveIntegerField(_("采购项目数量"), default=0)
    # Unit of 采购总金额 is not printed in the 2019 template; R19_SH wrote 元, so 元 here.
    procurement_amount = models.DecimalField(
        _("采购总金额（元）"), max_digits=18, decimal_places=2, default=0
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("第二十条事项统计")
        verbose_name_plural = _("第二十条事项统计")
        ordering = ["agency", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="unique_art20_count")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.get_kind_display()}"


# Model field of Art20Count for each Section 2 column key of either template.
ART20_COLUMN_FIELDS = {
    "decisions": "decisions",
    "prev_year_items": "prev_year_items",
    "change": "change",
    "fee_amount": "fee_amount",
    "procurement_items": "procurement_items",
    "procurement_total_amount": "procurement_amount",
}
