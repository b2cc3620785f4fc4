"""Information processing fee (信息处理费, 国办函〔2020〕109号) notices of one application."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class FeeMethod(models.TextChoices):
    BY_COUNT = "by_count", _("按件计收")
    BY_VOLUME = "by_volume", _("按量计收")


class FeeNotice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="fee_notices")
    method = models.CharField(_("计收方式"), max_length=20, choices=FeeMethod.choices)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    count_in_month = models.PositiveIntegerField(_("当月同一申请人申请件数序位"), default=0)
    pieces = models.PositiveIntegerField(_("拆分件数"), default=1)  # 一事一申请 (FM Art. 4)
    amount = models.DecimalField(_("收费金额（元）"), max_digits=10, decimal_places=2)
    breakdown = models.JSONField(_("计费明细"), default=list, blank=True)
    waived = models.BooleanField(_("减免"), default=False)
    waiver_reason = models.TextField(_("减免理由"), blank=True)
    issued_on = models.DateField(_("通知日期"))
    received_on = models.DateField(_("申请人收到通知日期"), null=True, blank=True)
    receipt_presumed = models.BooleanField(_("收到日期为推定"), default=False)
    receipt_note = models.CharField(_("收到日期说明"), max_length=200, blank=True)
    pay_by = models.DateField(_("缴费期限"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("实收金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    lapsed_on = models.DateField(_("逾期未缴日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")
        ordering = ["application", "issued_on"]

    def __str__(self) -> str:
        return f"收费通知 {self.application_id}: {self.amount}元"
