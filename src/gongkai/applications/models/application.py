"""The disclosure application (政府信息公开申请) and its tracking-number counter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core.query_codes import ALPHABET as QUERY_CODE_ALPHABET  # noqa: F401  (re-exported)
from gongkai.core.query_codes import new_code as new_query_code  # noqa: F401  (re-exported)

from .choices import (
    APPLICANT_TYPE_CHOICES,
    OUTCOME_CHOICES,
    ApplicationState,
    Channel,
    DeliveryMethod,
    IdDocumentType,
    ReceiptBasis,
    RequestedForm,
)


class TrackingCounter(models.Model):
    """Last serial issued per agency and year; rows are locked to issue gap-free numbers."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("受理编号计数器")
        verbose_name_plural = _("受理编号计数器")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_tracking_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_serial}"


class Application(models.Model):
    """A request for government information (依申请公开) made to one agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="applications"
    )
    # 受理编号, e.g. 丰政依申〔2026〕0123号: unique per agency and year, gap-free.
    year = models.PositiveIntegerField(_("编号年度"))
    serial = models.PositiveIntegerField(_("编号序号"))
    tracking_number = models.CharField(_("受理编号"), max_length=60, unique=True)
    # 查询码: only its keyed hash (gongkai.core.query_codes); the code itself goes to the applicant
    # once and is never stored or shown to staff (re-issue: services.query_codes).
    query_code_hash = models.CharField(_("查询码（散列值）"), max_length=128, blank=True, editable=False)

    # 申请人 (Art. 29): 自然人 or 法人或其他组织 (five kinds as the annual report counts them).
    applicant_type = models.CharField(_("申请人类型"), max_length=30, choices=APPLICANT_TYPE_CHOICES)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=200)
    id_document_type = models.CharField(
        _("身份证明类型"), max_length=20, choices=IdDocumentType.choices, default=IdDocumentType.RESIDENT_ID
    )
    id_document_number = models.CharField(_("身份证明号码"), max_length=64, blank=True)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=100, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    postal_address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postal_code = models.CharField(_("邮政编码"), max_length=10, blank=True)

    # 申请内容 (Art. 29(2)): 所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述.
    description = models.TextField(_("所需政府信息的描述"))
    purpose = models.TextField(_("用途说明"), blank=True)
    requested_form = models.CharField(
        _("信息的指定提供形式"),
        max_length=20,
        choices=RequestedForm.choices,
        default=RequestedForm.ELECTRONIC,
    )
    delivery_method = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.EMAIL
    )
    fee_waiver_requested = models.BooleanField(_("申请减免信息处理费"), default=False)
    fee_waiver_reason = models.TextField(_("减免理由"), blank=True)

    # 申请渠道 and 收到申请之日 (Art. 31), with the evidence that fixes the date.
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("提交时间"))
    received_date = models.DateField(_("收到申请之日"))
    receipt_basis = models.CharField(_("收到日期依据"), max_length=20, choices=ReceiptBasis.choices)
    receipt_evidence = models.TextField(_("收到日期证明"), blank=True)

    state = models.CharField(
        _("办理状态"),
        max_length=30,
        choices=ApplicationState.choices,
        default=ApplicationState.REGISTERED,
        db_index=True,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_applications",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_applications",
    )

    # Clock inputs (计时事件), kept in step with the event log by the workflow services; the due
    # dates are DERIVED from them by gongkai.core.workdays (never set by hand or by a nightly job).
    correction_requested_on = models.DateField(_("补正告知日"), null=True, blank=True)
    correction_received_on = models.DateField(_("收到补正之日"), null=True, blank=True)
    correction_deadline = models.DateField(_("补正期限"), null=True, blank=True)  # 合理的补正期限 (Art. 30)
    extension_days = models.PositiveSmallIntegerField(_("延期工作日数"), default=0)
    # Art. 35: for clearly excessive requests with acceptable reasons, the agency may set a
    # reasonable delayed answer deadline (延迟答复的合理期限) that replaces the Art. 33 deadline.
    delayed_due_date = models.DateField(_("延迟答复期限"), null=True, blank=True)
    pauses = models.JSONField(
        _("暂停计时区间"), default=list, blank=True
    )  # [["YYYY-MM-DD", "YYYY-MM-DD"|null]]
    # Cached derivation of the clock inputs above (re-derived on every event and on calendar change).
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_date_error = models.CharField(_("期限计算提示"), max_length=200, blank=True)
    # The due date reaches a year without an official holiday notice: computed from the statutory
    # holidays (暂定) and re-derived when the notice is entered (gongkai.core.workdays).
    due_date_provisional = models.BooleanField(_("期限暂定"), default=False)

    # 答复 (the answer): one Table 3 category, with its date and delivery.
    outcome = models.CharField(
        _("办理结果"), max_length=40, choices=OUTCOME_CHOICES, blank=True, db_index=True
    )
    answer_text = models.TextField(_("答复内容"), blank=True)
    # Facts of the answer as drafted ({"variant": ..., "fields": {...}}), used for the reply letter.
    answer_data = models.JSONField(_("答复要素"), default=dict, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    # The date the case left the open states (answered, closed or withdrawn): the annual report
    # counts the outcome in this date's year; open at 31 Dec = 结转下年度继续办理.
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_date", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="unique_serial_per_agency_year"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "received_date"]),
            models.Index(fields=["agency", "closed_on"]),
            models.Index(fields=["agency", "state"]),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_STATES

        return self.state in OPEN_STATES

    @property
    def is_legal_person(self) -> bool:
        return self.applicant_type != "natural_person"
