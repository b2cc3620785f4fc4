"""Typed choices of a disclosure application (依申请公开)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.report_schema import applicant_type_choices, outcome_choices

# 申请人类型: the six applicant columns of the annual report's Table 3 (keys from the schema).
APPLICANT_TYPE_CHOICES = applicant_type_choices()
NATURAL_PERSON = "natural_person"

# 办理结果: exactly one leaf row of the 2021 template's Table 3 (keys from the schema).
OUTCOME_CHOICES = outcome_choices("2021")


class ApplicationState(models.TextChoices):
    """Workflow states. Transitions live in ``applications.services.workflow``."""

    REGISTERED = "registered", _("已登记")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    IN_HANDLING = "in_handling", _("办理中")
    CONSULTATION = "consultation", _("征求意见中")
    EXTENSION_PENDING = "extension_pending", _("延期待批")
    FEE_PENDING = "fee_pending", _("待缴费")
    ANSWER_DRAFTED = "answer_drafted", _("答复待审核")
    REVIEWED = "reviewed", _("审核通过待答复")
    ANSWERED = "answered", _("已答复")
    DELIVERED = "delivered", _("已送达")
    ARCHIVED = "archived", _("已归档")
    CLOSED = "closed", _("已终止")  # 视为放弃 / 逾期未缴费: closed with an 其他处理 outcome
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = (
    ApplicationState.REGISTERED,
    ApplicationState.CORRECTION_REQUESTED,
    ApplicationState.IN_HANDLING,
    ApplicationState.CONSULTATION,
    ApplicationState.EXTENSION_PENDING,
    ApplicationState.FEE_PENDING,
    ApplicationState.ANSWER_DRAFTED,
    ApplicationState.REVIEWED,
)
# States in which the answer deadline clock is stopped (working days do not count).
PAUSED_STATES = (ApplicationState.CONSULTATION, ApplicationState.FEE_PENDING)


class Channel(models.TextChoices):
    """申请渠道 (Art. 29)."""

    IN_PERSON = "in_person", _("当面提交")
    LETTER = "letter", _("信函")
    INTERNET = "internet", _("网络")
    EMAIL = "email", _("电子邮件")
    FAX = "fax", _("传真")
    OTHER = "other", _("其他")


class ReceiptBasis(models.TextChoices):
    """How the received date (收到申请之日) was fixed, per Art. 31."""

    IN_PERSON_SUBMITTED = "in_person", _("当面提交：提交之日")
    POST_SIGNED = "post_signed", _("需签收的邮寄：签收之日")
    ORDINARY_MAIL_CONFIRMED = "mail_confirmed", _("平常信函等无需签收的邮寄：与申请人确认之日")
    ONLINE_CONFIRMED = "online_confirmed", _("互联网渠道或传真：双方确认之日")
    OTHER = "other", _("其他方式：与申请人确认之日")


class RequestedForm(models.TextChoices):
    """获取信息的方式 / 形式."""

    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子数据")
    OTHER = "other", _("其他形式")


class DeliveryMethod(models.TextChoices):
    """获取信息的途径."""

    PICKUP = "pickup", _("自行领取")
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上获取")
    FAX = "fax", _("传真")


class IdDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MO_PASS = "hk_mo_pass", _("港澳居民来往内地通行证")
    TW_PASS = "tw_pass", _("台湾居民来往大陆通行证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")
