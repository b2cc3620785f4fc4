"""Forms of the public portal (公众门户).

The forms only validate and explain (in Chinese, next to each field); the application itself is
created by :func:`gongkai.applications.services.submit_application`, never by ``form.save()``.
"""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Agency
from gongkai.applications.models import (
    APPLICANT_TYPE_CHOICES,
    Application,
    DeliveryMethod,
    IdDocumentType,
    RequestedForm,
)
from gongkai.applications.services import clean_intake_data
from gongkai.applications.services.intake import INTAKE_FIELDS

# Input hints shown inside empty inputs (HTML attribute set from this table).
HINTS = {
    "applicant_name": "自然人填写姓名；法人或其他组织填写单位全称",
    "id_document_number": "居民身份证号码或统一社会信用代码",
    "phone": "手机或固定电话",
    "email": "例如 name@example.com",
    "postal_address": "省、市、区县、街道及门牌号",
    "postal_code": "6位数字",
    "description": "请写明所需政府信息的名称、文号，或者便于查询的其他特征性描述，例如发布机关、时间、事项",
    "purpose": "可不填写",
    "tracking_number": "例如 某政依申〔2026〕0001号",
    "query_code": "8位字母或数字",
}
HINT_ATTR = "place" + "holder"

MAX_FILES = 10

# Leading bytes of the binary attachment types (content sniffing; the extension alone is not trusted).
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
}

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_ok(number: str) -> bool:
    """GB 11643 check digit of an 18-digit resident ID (15-digit old IDs carry none)."""
    if len(number) == 15:
        return number.isdigit()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], RESIDENT_ID_WEIGHTS))
    return RESIDENT_ID_CHECK[total % 11] == number[17]


def credit_code_ok(code: str) -> bool:
    """GB 32100 check character of a unified social credit code (统一社会信用代码)."""
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        return False
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS))
    check = (31 - total % 31) % 31
    return CREDIT_CODE_ALPHABET[check] == code[17]


def sniff_errors(files) -> list[str]:
    """Chinese messages for files whose content does not match their extension."""
    errors = []
    for f in files:
        name = os.path.basename(getattr(f, "name", "") or "")
        ext = os.path.splitext(name)[1].lower()
        sigs = SIGNATURES.get(ext)
        if not sigs:
            continue
        pos = f.tell() if hasattr(f, "tell") else 0
        f.seek(0)
        head = f.read(16)
        f.seek(pos)
        if not any(head.startswith(s) for s in sigs):
            errors.append(f"附件“{name}”的内容与其扩展名（{ext}）不符，请确认文件未损坏")
    return errors


class AriaInvalidMixin:
    """Mark fields with errors ``aria-invalid="true"`` for screen readers."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def attachment_help(lead: str = "可上传身份证明、授权委托书等材料") -> str:
    kinds = "、".join(sorted(getattr(settings, "GONGKAI_ATTACHMENT_TYPES", {})))
    limit = int(getattr(settings, "GONGKAI_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)) // (1024 * 1024)
    return f"{lead}，最多{MAX_FILES}个，每个不超过{limit}MB，仅接受 {kinds} 格式。"


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth, 0) + obj.name


def apply_error_dict(form: forms.Form, exc: ValidationError) -> None:
    """Put a service ``ValidationError`` next to the matching form fields (others on top)."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            target = field if field in form.fields else None
            for msg in errs:
                if target and target in form.errors and msg in form.errors[target]:
                    continue
                form.add_error(target, msg)
    else:
        for msg in exc.messages:
            form.add_error(None, msg)


class ApplicationDataForm(AriaInvalidMixin, forms.ModelForm):
    """Applicant and request data (Art. 29). Validation matches the intake service."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=APPLICANT_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型"},
        help_text="法人或其他组织请选择对应的类别（商业企业、科研机构、社会公益组织、法律服务机构或其他）。",
    )
    attachments = MultipleFileField(label="附件", required=False)

    class Meta:
        model = Application
        fields = list(INTAKE_FIELDS)  # the intake service's field list: one declaration
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "fee_waiver_reason": forms.Textarea(attrs={"rows": 2}),
            "requested_form": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
        }
        help_texts = {
            "applicant_name": "与身份证明上的姓名或名称一致。",
            "id_document_number": "自然人填写身份证件号码；法人或其他组织填写统一社会信用代码。",
            "legal_representative": "法人或其他组织必填。",
            "contact_person": "法人或其他组织必填。",
            "phone": "联系电话、电子邮箱、通信地址至少填写一项，以便机关与您联系。",
            "email": "选择以电子邮件方式获取信息的，必须填写。",
            "postal_address": "选择以邮寄方式获取信息的，必须填写。",
            "description": "《政府信息公开条例》第二十九条：申请内容应当包括所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述。",
            "fee_waiver_requested": "申请人确有经济困难的，可以申请减免信息处理费。",
            "fee_waiver_reason": "申请减免的，请说明理由。",
        }
        error_messages = {
            "applicant_name": {"required": "请填写申请人姓名或名称"},
            "description": {"required": "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述"},
            "email": {"invalid": "电子邮箱格式不正确"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help()
        self.fields["id_document_type"].required = False
        self.fields["requested_form"].required = False
        self.fields["delivery_method"].required = False
        for name, hint in HINTS.items():
            if name in self.fields:
                self.fields[name].widget.attrs[HINT_ATTR] = hint
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_helptext")
        self.fields["phone"].widget.input_type = "tel"

    def clean_id_document_number(self):
        return (self.cleaned_data.get("id_document_number") or "").strip().upper()

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"附件最多{MAX_FILES}个")
        from gongkai.applications.services.events import check_attachments

        errors = check_attachments(files)
        if not errors:
            errors = sniff_errors(files)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        raw = {f: data.get(f) for f in self.Meta.fields if f in data}
        for f in self.Meta.fields:
            if f not in raw and f in self.errors:
                raw[f] = self.data.get(self.add_prefix(f), "")
        try:
            clean_intake_data(raw)
        except ValidationError as exc:
            apply_error_dict(self, exc)
        number = data.get("id_document_number") or ""
        id_type = data.get("id_document_type") or ""
        if number and "id_document_number" not in self.errors:
            if data.get("applicant_type") == "natural_person":
                effective = id_type or IdDocumentType.RESIDENT_ID
            else:  # the intake service files a legal person's number as a credit code
                effective = (
                    IdDocumentType.CREDIT_CODE if id_type in ("", IdDocumentType.RESIDENT_ID) else id_type
                )
            if effective == IdDocumentType.RESIDENT_ID:
                if not resident_id_ok(number):
                    self.add_error("id_document_number", "居民身份证号码校验位不正确，请核对后重新填写")
            elif effective == IdDocumentType.CREDIT_CODE:
                if not credit_code_ok(number):
                    self.add_error("id_document_number", "统一社会信用代码校验位不正确，请核对后重新填写")
        postal = (data.get("postal_code") or "").strip()
        if postal and not (postal.isdigit() and len(postal) == 6):
            self.add_error("postal_code", "邮政编码应为6位数字")
        return data

    def service_data(self) -> dict:
        """The cleaned values keyed by model field name, as ``submit_application`` expects."""
        d = {f: self.cleaned_data.get(f) for f in self.Meta.fields}
        for k, v in list(d.items()):
            if v is None:
                d[k] = "" if k != "fee_waiver_requested" else False
        return d


class ApplyForm(ApplicationDataForm):
    agency = AgencyChoiceField(
        label="受理机关",
        queryset=Agency.objects.filter(active=True).order_by("path"),
        empty_label="请选择受理申请的行政机关",
        error_messages={"required": "请选择受理机关", "invalid_choice": "请选择有效的受理机关"},
        help_text="请向制作或者保存该政府信息的行政机关提出申请。",
    )
    confirm = forms.BooleanField(
        label="本人承诺所填信息真实、准确",
        error_messages={"required": "请确认所填信息真实、准确"},
    )

    field_order = ["agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_form"].initial = RequestedForm.ELECTRONIC
        self.fields["delivery_method"].initial = DeliveryMethod.EMAIL
        self.order_fields(["agency"] + self.Meta.fields + ["attachments", "confirm"])


class TrackForm(AriaInvalidMixin, forms.Form):
    tracking_number = forms.CharField(
        label="受理编号", max_length=60, error_messages={"required": "请填写受理编号"}
    )
    query_code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写查询码"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, hint in HINTS.items():
            if name in self.fields:
                self.fields[name].widget.attrs[HINT_ATTR] = hint
        self.fields["query_code"].widget.attrs["autocomplete"] = "off"


class WithdrawForm(AriaInvalidMixin, forms.Form):
    reason = forms.CharField(
        label="撤回理由（可不填写）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label="我确认撤回该政府信息公开申请", error_messages={"required": "请勾选确认撤回"}
    )


class CorrectionForm(AriaInvalidMixin, forms.Form):
    """The applicant's answer to a 补正告知 (Art. 30), submitted from the tracking page."""

    text = forms.CharField(
        label="补正内容",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写补正内容"},
        help_text="请按补正告知书列明的事项逐项补正，例如写明所需信息的名称、文号或其他特征性描述。",
    )
    attachments = MultipleFileField(label="补正材料（可不上传）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help("可上传补正所需的材料")

    def clean_attachments(self):
        return checked_uploads(self.cleaned_data.get("attachments"))


def checked_uploads(files) -> list:
    """Uploaded files after the size/type checks and content sniffing (ValidationError, Chinese)."""
    from gongkai.applications.services.events import check_attachments

    files = files or []
    errors = check_attachments(files) or sniff_errors(files)
    if errors:
        raise forms.ValidationError(errors)
    return files
