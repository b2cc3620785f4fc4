"""Forms of the annual report workbench (年度报告工作台)."""

from __future__ import annotations

import datetime as dt

from django import forms

from gongkai.appeals.models import Appeal
from gongkai.core.report_schema import get_template

from .services import NARRATIVE_SECTIONS

_SECTIONS = {s.key: s for s in get_template("2021").sections}
HINTS = {
    "overview": "综述主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况。",
    "problems": "存在的主要问题及改进情况；各级人民政府还应包括工作考核、社会评议和责任追究结果情况。",
    "other_matters": "其他需要报告的事项。",
}


class NarrativeForm(forms.Form):
    def __init__(self, *args, template_id: str = "2021", **kwargs):
        super().__init__(*args, **kwargs)
        t = get_template(template_id)
        for key in NARRATIVE_SECTIONS:
            self.fields[key] = forms.CharField(
                label=t.section(key).title,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8, "aria-describedby": f"hint-{key}"}),
                help_text=HINTS.get(key, ""),
            )


class PublishForm(forms.Form):
    override_reason = forms.CharField(
        label="带错发布理由（仅负责人，存在校验错误时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    change_note = forms.CharField(
        label="更正说明（发布更正版本时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CreateReportForm(forms.Form):
    agency = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label="报告年度", min_value=2019, max_value=2100)
    subtree = forms.BooleanField(label="本行政区域（含下级机关）", required=False)
    template_id = forms.ChoiceField(
        label="报告格式",
        choices=[("", "按年度自动选择"), ("2019", "2019年版"), ("2021", "2021年版")],
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="导入文件（.csv 或 .xlsx）")


class DateInput(forms.DateInput):
    input_type = "date"


class AppealForm(forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ["kind", "case_number", "body", "filed_date", "decided_date", "outcome", "summary"]
        widgets = {
            "filed_date": DateInput(),
            "decided_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


def default_year() -> int:
    return dt.date.today().year - 1


# Art20Count fields per kind that either template prints (labels from the model's verbose names).
ART20_FIELDS = [
    "decisions",
    "prev_year_items",
    "change",
    "fee_amount",
    "procurement_items",
    "procurement_amount",
]


class Art20Form(forms.Form):
    """One row per Art. 20 item (行政许可 …), one input per count; blank = 0."""

    def __init__(self, *args, initial_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.proactive.models import ART20_KIND_CHOICES, Art20Count

        self.rows = []
        for kind, label in ART20_KIND_CHOICES:
            cur = (initial_counts or {}).get(kind)
            names = []
            for f in ART20_FIELDS:
                mf = Art20Count._meta.get_field(f)
                name = f"{kind}__{f}"
                if f in ("fee_amount", "procurement_amount"):
                    field = forms.DecimalField(
                        label=mf.verbose_name, required=False, min_value=0, decimal_places=mf.decimal_places
                    )
                elif f == "change":
                    field = forms.IntegerField(label=mf.verbose_name, required=False)
                else:
                    field = forms.IntegerField(label=mf.verbose_name, required=False, min_value=0)
                field.initial = getattr(cur, f) if cur is not None else None
                self.fields[name] = field
                names.append(name)
            self.rows.append((kind, label, [self[n] for n in names]))

    @property
    def headers(self):
        from gongkai.proactive.models import Art20Count

        return [Art20Count._meta.get_field(f).verbose_name for f in ART20_FIELDS]

    def values(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for kind, _label, _bf in self.rows:
            out[kind] = {f: self.cleaned_data.get(f"{kind}__{f}") or 0 for f in ART20_FIELDS}
        return out
