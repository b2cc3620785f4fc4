"""Forms of the records staff pages (工作台 · 政府信息). They validate input; services write."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc

from .models import Record, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AgenciesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RecordForm(forms.ModelForm):
    """All metadata of a record. ``agency`` only when drafting (the issuer does not change)."""

    agency = AgencyField(label="发文机关（主办）", queryset=Agency.objects.none(), empty_label=None)
    joint_agencies = AgenciesField(
        label="联合发文机关",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="联合发文时选择其他发文机关（可多选）",
    )

    source_url = forms.URLField(label="原文网址", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Record
        fields = [
            "agency",
            "joint_agencies",
            "category",
            "title",
            "doc_number",
            "doc_type",
            "written_on",
            "formed_on",
            "topic",
            "keywords",
            "art_item",
            "disclosure_mode",
            "summary",
            "body",
            "source_url",
        ]
        widgets = {
            "written_on": DATE,
            "formed_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        error_messages = {"title": {"required": "请填写标题"}}

    def __init__(self, *args, agencies=(), creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in agencies]
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=ids).order_by("path")
        self.fields["joint_agencies"].queryset = Agency.objects.filter(active=True).order_by("path")
        self.fields["topic"].queryset = Topic.objects.filter(active=True).select_related("parent")
        self.fields["topic"].empty_label = "（未分类）"
        self.fields[
            "formed_on"
        ].help_text = "条例第二十六条期限自此日起算（信息形成或变更之日）；不填则按成文日期"
        if not creating:
            del self.fields["agency"]
            if self.instance.pk and self.instance.state not in ("draft", "attribute_decided"):
                # content is locked after review: only catalogue fields stay editable
                for name in list(self.fields):
                    if name not in ("topic", "doc_type", "keywords", "summary", "art_item", "source_url"):
                        del self.fields[name]
        for name in ("written_on", "formed_on"):
            if name in self.fields:
                self.fields[name].input_formats = ["%Y-%m-%d"]
                self.fields[name].error_messages["invalid"] = "日期格式不正确，应为 YYYY-MM-DD"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentForm(forms.Form):
    """Shown on the record page; the view reads ``request.FILES.getlist("files")``."""

    files = forms.FileField(
        label="附件",
        widget=MultipleFileInput(),
        help_text="DOCX、PDF、图片等；文字在后台提取后可被检索",
        error_messages={"required": "请选择要上传的文件"},
    )


def _date_field(label="日期", help_text="不填则为今天"):
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE,
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={"invalid": "日期格式不正确，应为 YYYY-MM-DD"},
    )


def _reason(required: bool, label="理由或说明", message="请填写理由"):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": message or "请填写理由"},
    )


def _replacement(required: bool):
    return forms.CharField(
        label="替代文件",
        required=required,
        max_length=100,
        help_text="填写修改后（或替代）文件的索引号、发文字号或记录编号",
        error_messages={"required": "请填写替代文件"},
    )


def action_form_class(action: str) -> type[forms.Form]:
    """The input an action takes (the lifecycle table checks it again)."""
    t = lc.TRANSITIONS[action]
    fields: dict[str, forms.Field] = {}
    if action == "decide_attribute":
        fields["disclosure_attribute"] = forms.ChoiceField(
            label="公开属性", choices=lc.ATTRIBUTE_CHOICES, widget=forms.RadioSelect
        )
        fields["attribute_reason"] = _reason(False, "不公开或依申请公开的理由")
        fields["attribute_basis"] = forms.CharField(label="法律依据", required=False, max_length=300)
    elif action == "approve":
        fields["secrecy_reviewed"] = forms.BooleanField(
            label="已完成保密审查（条例第十七条）", required=False
        )
        fields["consultation_held"] = forms.BooleanField(label="已征求意见", required=False)
        fields["consultation_note"] = _reason(False, "未征求意见的理由")
        fields["interpretation_ready"] = forms.BooleanField(label="政策解读已同步准备", required=False)
        fields["interpretation_note"] = _reason(False, "未同步解读的理由")
    elif action == "publish":
        fields["date"] = _date_field("发布日期")
    elif action == "reassess":
        fields["decision"] = forms.ChoiceField(
            label="复核结论",
            choices=[("keep", "继续不予主动公开"), ("disclose", "转为主动公开")],
            widget=forms.RadioSelect,
        )
    elif action in ("amend", "repeal", "expire"):
        fields["replaced_by"] = _replacement(action == "amend")
        fields["date"] = _date_field(
            {"amend": "修改日期", "repeal": "废止日期", "expire": "失效日期"}[action]
        )
    fields["reason"] = _reason(bool(t.reason_required), message=t.reason_required)
    return type(f"{action.title()}Form", (forms.Form,), fields)


def find_record(value: str, agency_ids) -> Record | None:
    """A record named by 索引号, 发文字号 or id, among ``agency_ids``."""
    value = (value or "").strip()
    if not value:
        return None
    q = Q(index_number=value) | Q(doc_number=value)
    if value.isdigit():
        q |= Q(pk=int(value))
    return Record.objects.filter(q, agency_id__in=agency_ids).order_by("-pk").first()


class CampaignForm(forms.Form):
    name = forms.CharField(label="清理名称", max_length=200, error_messages={"required": "请填写清理名称"})
    agency = AgencyField(label="组织机关", queryset=Agency.objects.none(), empty_label=None)
    include_subtree = forms.BooleanField(label="包括下级机关的文件", required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by(
            "path"
        )


class RecordFilterForm(forms.Form):
    q = forms.CharField(
        label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "标题、文号或索引号"})
    )
    agency = forms.TypedChoiceField(label="机关", required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(
        label="信息类别", required=False, choices=[("", "全部"), *lc.CATEGORY_CHOICES]
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "全部机关"), *((a.pk, a.name) for a in agencies)]
