"""Forms of the staff workbench (工作台). They validate input; services write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed

from gongkai.agencies.models import Agency
from gongkai.applications.models import APPLICANT_TYPE_CHOICES, Channel, ReceiptBasis
from gongkai.portal.forms import HINT_ATTR, AgencyChoiceField, ApplicationDataForm

HINTS = {
    "q": "受理编号、申请人或申请内容",
    "receipt_evidence": "例如：EMS 运单号、签收人；或与申请人电话确认的时间、号码和确认人",
}


class LoginForm(AuthenticationForm):
    """Password, then — for an account with a confirmed TOTP device — its 6-digit code. A wrong
    code counts as a failed login for the lockout (django-axes)."""

    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入。",
        "inactive": "该账号已停用。",
    }
    otp_token = forms.CharField(
        label="动态验证码",
        required=False,
        max_length=6,
        help_text="已启用两步验证的账号须填写验证器应用显示的6位数字，其他账号不填。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.otp_device = None
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名"
        self.fields["password"].error_messages["required"] = "请输入密码"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from gongkai.security.totp import check_token, confirmed_device

        if confirmed_device(user) is None:
            return
        token = (self.cleaned_data.get("otp_token") or "").strip()
        self.otp_device = check_token(user, token) if token else None
        if self.otp_device is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=self.request
            )
            raise forms.ValidationError(
                "该账号已启用两步验证，请输入验证器应用显示的正确的6位动态验证码。", code="otp"
            )


SORT_CHOICES = [
    ("due", "答复期限由近到远"),
    ("-due", "答复期限由远到近"),
    ("-received", "收到日期由新到旧"),
    ("received", "收到日期由旧到新"),
]


class QueueFilterForm(forms.Form):
    agency = forms.TypedChoiceField(label="机关", required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(
        label="申请渠道", required=False, choices=[("", "全部")] + list(Channel.choices)
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型", required=False, choices=[("", "全部")] + list(APPLICANT_TYPE_CHOICES)
    )
    handler = forms.ChoiceField(label="承办人", required=False)
    overdue = forms.BooleanField(label="仅显示已超期", required=False)
    q = forms.CharField(label="搜索", required=False, max_length=100)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, agencies=(), handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "全部机关")] + [(a.pk, a.name) for a in agencies]
        self.fields["handler"].choices = [("", "全部"), ("me", "我承办的"), ("none", "未分配")] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in handlers
        ]
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs[HINT_ATTR] = HINTS["q"]


class IntakeForm(ApplicationDataForm):
    """Registrar intake of an application received offline (当面/信函/电子邮件/传真)."""

    OFFLINE_CHANNELS = [
        (c.value, c.label)
        for c in (Channel.IN_PERSON, Channel.LETTER, Channel.EMAIL, Channel.FAX, Channel.OTHER)
    ]
    LETTER_BASIS = [
        ("", "—（非信函）"),
        (ReceiptBasis.POST_SIGNED.value, ReceiptBasis.POST_SIGNED.label),
        (ReceiptBasis.ORDINARY_MAIL_CONFIRMED.value, ReceiptBasis.ORDINARY_MAIL_CONFIRMED.label),
    ]

    agency = AgencyChoiceField(
        label="受理机关",
        queryset=Agency.objects.none(),
        empty_label="请选择受理机关",
        error_messages={"required": "请选择受理机关", "invalid_choice": "请选择您有权登记的机关"},
    )
    channel = forms.ChoiceField(
        label="申请渠道", choices=OFFLINE_CHANNELS, error_messages={"required": "请选择申请渠道"}
    )
    submitted_on = forms.DateField(
        label="申请到达日期",
        help_text="当面提交的为提交之日；信函为到达之日；电子邮件、传真为发送到达之日。",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写申请到达日期", "invalid": "日期格式不正确"},
    )
    receipt_basis = forms.ChoiceField(
        label="信函收到日期依据",
        choices=LETTER_BASIS,
        required=False,
        help_text="《政府信息公开条例》第三十一条：需签收的邮寄以签收之日为收到申请之日；平常信函以与申请人确认之日为准。",
    )
    received_date = forms.DateField(
        label="收到申请之日（签收或确认日期）",
        required=False,
        help_text="当面提交的无需填写（即提交之日）；信函填写签收日期或与申请人确认的日期；电子邮件、传真填写双方确认的日期。",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式不正确"},
    )
    receipt_evidence = forms.CharField(
        label="收到日期证明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="记录签收凭证，或与申请人确认的方式、时间和人员。",
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
            if len(agencies) == 1:
                self.fields["agency"].initial = agencies[0].pk
        self.fields["receipt_evidence"].widget.attrs[HINT_ATTR] = HINTS["receipt_evidence"]
        self.order_fields(
            ["agency", "channel", "submitted_on", "receipt_basis", "received_date", "receipt_evidence"]
            + self.Meta.fields
            + ["attachments"]
        )

    def clean_submitted_on(self):
        from django.utils import timezone

        d = self.cleaned_data["submitted_on"]
        if d and d > timezone.localdate():
            raise forms.ValidationError("申请到达日期不能晚于今天")
        return d


def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def handler_choices(agency_ids):
    from gongkai.agencies.models import Role

    User = get_user_model()
    return (
        User.objects.filter(memberships__agency_id__in=agency_ids, memberships__role=Role.HANDLER)
        .distinct()
        .order_by("username")
    )
