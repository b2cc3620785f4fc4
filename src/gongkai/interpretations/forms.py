from __future__ import annotations

import re

from django import forms

from gongkai.core import interpretation_rules as rules
from gongkai.core import record_lifecycle as lc

from .models import Interpretation

_Q = re.compile(r"^\s*(?:问|Q)[:：]\s*", re.I)
_A = re.compile(r"^\s*(?:答|A)[:：]\s*", re.I)


def parse_qa(text: str) -> list[tuple[str, str]]:
    """``问：…`` / ``答：…`` lines (an answer may run over several lines) → pairs."""
    pairs: list[list[str]] = []
    current = None
    for line in (text or "").splitlines():
        if _Q.match(line):
            pairs.append([_Q.sub("", line).strip(), ""])
            current = "q"
        elif _A.match(line) and pairs:
            pairs[-1][1] = _A.sub("", line).strip()
            current = "a"
        elif line.strip() and pairs:
            idx = 0 if current == "q" else 1
            pairs[-1][idx] = (pairs[-1][idx] + "\n" + line.strip()).strip()
    return [(q, a) for q, a in pairs if q and a]


def format_qa(pairs) -> str:
    return "\n".join(f"问：{p.question}\n答：{p.answer}" for p in pairs)


class InterpretationForm(forms.ModelForm):
    media_url = forms.URLField(label="音视频链接", required=False, assume_scheme="https", max_length=500)
    record_ids = forms.ModelMultipleChoiceField(queryset=None, label="被解读文件", required=True)
    qa_text = forms.CharField(
        label="简明问答",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每组问答两行：以“问：”开头的一行，以“答：”开头的一行",
    )

    class Meta:
        model = Interpretation
        fields = ["title", "form", "author", "body", "media_file", "media_url", "transcript"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "transcript": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.records.models import Record

        self.fields["record_ids"].queryset = Record.objects.filter(
            agency=agency, category__in=lc.POLICY_CATEGORIES, state__in=(lc.APPROVED, *lc.DISCLOSED_STATES)
        ).order_by("-published_on", "-pk")
        if self.instance.pk:
            self.fields["record_ids"].initial = list(self.instance.records.values_list("pk", flat=True))
            self.fields["qa_text"].initial = format_qa(self.instance.qa_pairs.all())

    def clean_qa_text(self):
        text = self.cleaned_data.get("qa_text") or ""
        pairs = parse_qa(text)
        if text.strip() and not pairs:
            raise forms.ValidationError("未识别出问答，请按“问：……”“答：……”的格式填写")
        return pairs


class ImageForm(forms.Form):
    image = forms.ImageField(label="图片")
    alt_text = forms.CharField(
        label="替代文字", max_length=500, help_text="描述图片内容，供读屏软件朗读（必填）"
    )


FORM_CHOICES = rules.FORM_CHOICES
