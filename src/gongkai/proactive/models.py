"""Proactive disclosure (主动公开) facts that feed Section 2 of the annual report.

- Art. 20(1) (规章, 行政规范性文件) is counted from the government information records
  (``gongkai.records``); the old registry (NormativeDocument) was migrated into them
  (``records`` migration 0004) and removed.
- :class:`Art20Count`: the per-year counts entered by staff for Art. 20(5), (6), (8), (9)
  (行政许可、其他对外管理服务事项、行政处罚、行政强制、行政事业性收费、政府集中采购).

Row labels come from ``gongkai.core.report_schema`` (never typed here).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core.report_schema import get_template


def _art20_kind_choices() -> list[tuple[str, str]]:
    """Every Art. 20(5)/(6)/(8)/(9) row of the 2019 template (a superset of the 2021 rows)."""
    out: list[tuple[str, str]] = []
    for tb in get_template("2019").proactive_tables:
        if tb.key == "art20_1":
            continue
        out += [(r.key, r.label) for r in tb.cell_rows]
    return out


ART20_KIND_CHOICES = _art20_kind_choices()


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
