"""Action forms of the case page: one small form per workflow action.

Each form turns its cleaned data into the keyword arguments of
``gongkai.applications.services.workflow.transition`` (``reason``, ``effective_date``, ``data``,
``attachments``). Which forms are shown is decided by the workflow's ``allowed_actions`` only.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.applications.models import DeliveryMethod
from gongkai.core import answers
from gongkai.portal.forms import (
    HINT_ATTR,
    AriaInvalidMixin,
    MultipleFileField,
    attachment_help,
    checked_uploads,
)

HINTS = {
    "reason": "填写理由或说明",
    "correction_items": "逐项写明需要补正的事项（一次性告知）",
    "answer_text": "答复正文补充说明（可不填写）",
}


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


class ActionForm(AriaInvalidMixin, forms.Form):
    """Base: reason, legally relevant date, attachments."""

    reason_label = "理由或说明"
    reason_required = False
    date_label = "日期"
    show_date = True
    show_attachments = True

    reason = forms.CharField(
        label="理由或说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    effective_date = forms.DateField(
        label="日期", required=False, widget=_date_widget(), error_messages={"invalid": "日期格式不正确"}
    )
    attachments = MultipleFileField(label="附件", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.reason_label
        self.fields["reason"].required = self.reason_required
        if self.reason_required:
            self.fields["reason"].error_messages["required"] = f"请填写{self.reason_label}"
        self.fields["reason"].widget.attrs[HINT_ATTR] = HINTS["reason"]
        if self.show_date:
            self.fields["effective_date"].label = self.date_label
            self.fields["effective_date"].initial = timezone.localdate()
        else:
            del self.fields["effective_date"]
        if self.show_attachments:
            self.fields["attachments"].help_text = attachment_help(
                "可上传与本次办理有关的材料（如签收凭证、意见书）"
            )
        else:
            del self.fields["attachments"]
        # Put the generic fields last.
        generic = [f for f in ("reason", "effective_date", "attachments") if f in self.fields]
        self.order_fields([f for f in self.fields if f not in generic] + generic)

    def clean_attachments(self):
        return checked_uploads(self.cleaned_data.get("attachments"))

    def clean_effective_date(self):
        d = self.cleaned_data.get("effective_date")
        if d and d > timezone.localdate():
            raise forms.ValidationError("日期不能晚于今天")
        return d

    def extra_data(self) -> dict:
        """Action-specific values passed to the workflow as ``data``."""
        return {}

    def transition_kwargs(self) -> dict:
        cd = self.cleaned_data
        return {
            "reason": cd.get("reason") or "",
            "effective_date": cd.get("effective_date") or timezone.localdate(),
            "data": self.extra_data(),
            "attachments": cd.get("attachments") or [],
        }


class SimpleForm(ActionForm):
    pass


class NoteRequiredForm(ActionForm):
    reason_required = True


class AssignForm(ActionForm):
    handler = forms.ChoiceField(label="承办人", error_messages={"required": "请选择承办人"})
    show_date = False
    show_attachments = False
    handler_required = True

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        empty = "请选择" if self.handler_required else "由本人承办（登记员须指定承办人）"
        self.fields["handler"].choices = [("", empty)] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in handlers
        ]
        self.fields["handler"].required = self.handler_required

    def extra_data(self):
        h = self.cleaned_data.get("handler")
        return {"handler": int(h)} if h else {}


class AcceptForm(AssignForm):
    handler_required = False
    reason_label = "受理说明"
    show_date = True
    date_label = "受理日期"


class RequestCorrectionForm(ActionForm):
    reason_label = "需要补正的事项"
    reason_required = True
    date_label = "告知日期"
    period_workdays = forms.IntegerField(
        label="补正期限（工作日）",
        min_value=1,
        max_value=60,
        initial=15,
        help_text="《政府信息公开条例》第三十条：应当一次性告知需要补正的事项和合理的补正期限。",
        error_messages={
            "required": "请填写补正期限",
            "min_value": "补正期限至少1个工作日",
            "max_value": "补正期限不宜超过60个工作日",
        },
    )

    guidance = forms.CharField(
        label="指导和释明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="《政府信息公开条例》第三十条：申请内容不明确的，行政机关应当给予指导和释明。写入补正告知书。",
    )
    handler = forms.ChoiceField(label="承办人", required=False)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs[HINT_ATTR] = HINTS["correction_items"]
        self.fields["handler"].choices = [("", "由本人承办（已分配的保持不变）")] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in handlers
        ]

    def extra_data(self):
        d = {"items": self.cleaned_data["reason"], "period_workdays": self.cleaned_data["period_workdays"]}
        if self.cleaned_data.get("guidance"):
            d["guidance"] = self.cleaned_data["guidance"]
        if self.cleaned_data.get("handler"):
            d["handler"] = int(self.cleaned_data["handler"])
        return d


class ReceiveCorrectionForm(ActionForm):
    reason_label = "补正内容摘要"
    date_label = "收到补正之日"
    handler = forms.ChoiceField(label="承办人", required=False)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [("", "由本人承办（已分配的保持不变）")] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in handlers
        ]

    def extra_data(self):
        h = self.cleaned_data.get("handler")
        return {"handler": int(h)} if h else {}


class ReceiveExplanationForm(ActionForm):
    reason_label = "申请人说明的理由"
    reason_required = True
    date_label = "收到说明之日"


class StartConsultationForm(ActionForm):
    reason_label = "征求意见的事项和理由"
    reason_required = True
    date_label = "发出征求意见书之日"
    party = forms.CharField(
        label="被征求意见的第三方或机关",
        max_length=200,
        error_messages={"required": "请填写被征求意见的第三方或机关"},
    )
    kind = forms.ChoiceField(
        label="征求意见类型",
        choices=[
            ("third_party", "征求第三方意见（第三十二条）"),
            ("agency", "征求其他机关意见（第三十四条）"),
        ],
    )

    def extra_data(self):
        return {"party": self.cleaned_data["party"], "kind": self.cleaned_data["kind"]}


class EndConsultationForm(ActionForm):
    reason_label = "意见摘要"
    date_label = "收到意见之日（或期满之日）"
    opinion = forms.ChoiceField(
        label="意见",
        choices=[("agree", "同意公开"), ("disagree", "不同意公开"), ("no_reply", "逾期未提出意见")],
    )

    def extra_data(self):
        return {"opinion": self.cleaned_data["opinion"]}


class RequestExtensionForm(ActionForm):
    reason_label = "延期理由"
    reason_required = True
    date_label = "申请日期"
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=20,
        initial=20,
        help_text="《政府信息公开条例》第三十三条：延长的期限最长不得超过20个工作日，须经政府信息公开工作机构负责人同意并告知申请人。",
        error_messages={
            "required": "请填写延长工作日数",
            "min_value": "延长工作日数至少为1",
            "max_value": "延长的期限最长不得超过20个工作日",
        },
    )

    def extra_data(self):
        return {"days": self.cleaned_data["days"]}


class ApproveExtensionForm(ActionForm):
    reason_label = "同意延期的理由"
    reason_required = True
    date_label = "批准日期"
    show_attachments = False
    days = forms.IntegerField(
        label="批准延长的工作日数（不填则按申请）",
        required=False,
        min_value=1,
        max_value=20,
        error_messages={"min_value": "延长工作日数至少为1", "max_value": "延长的期限最长不得超过20个工作日"},
    )

    late_override = forms.BooleanField(
        label="期限届满后批准（告知书将如实说明原期限已届满）",
        required=False,
        help_text="第三十三条第二款只能延长尚未届满的答复期限；期限已届满的，须由负责人确认并在理由中记录。",
    )

    def extra_data(self):
        d = self.cleaned_data.get("days")
        out = {"days": d} if d else {}
        if self.cleaned_data.get("late_override"):
            out["late_override"] = True
        return out


class RejectForm(ActionForm):
    reason_label = "不同意的理由"
    reason_required = True
    show_attachments = False


class RequestExplanationForm(ActionForm):
    reason_label = "申请数量、频次明显超过合理范围的情况"
    reason_required = True
    date_label = "告知日期"
    deadline = forms.DateField(
        label="说明理由期限",
        widget=_date_widget(),
        help_text="《政府信息公开条例》第三十五条：行政机关可以要求申请人说明理由。",
        error_messages={"required": "请确定说明理由的期限", "invalid": "日期格式不正确"},
    )

    def extra_data(self):
        return {"deadline": self.cleaned_data["deadline"].isoformat()}


class SetDelayedAnswerForm(ActionForm):
    reason_label = "申请理由合理但无法按期答复的情况"
    reason_required = True
    date_label = "决定日期"
    new_due = forms.DateField(
        label="延迟答复的合理期限",
        widget=_date_widget(),
        help_text="《政府信息公开条例》第三十五条：可以确定延迟答复的合理期限并告知申请人。",
        error_messages={"required": "请确定延迟答复的合理期限", "invalid": "日期格式不正确"},
    )

    def extra_data(self):
        return {"new_due": self.cleaned_data["new_due"].isoformat()}


class FeeNoticeForm(ActionForm):
    reason_label = "说明"
    date_label = "通知日期"
    method = forms.ChoiceField(
        label="计收方式", choices=[("by_count", "按件计收"), ("by_volume", "按量计收")]
    )
    pages = forms.IntegerField(label="页数（按量计收时填写）", required=False, min_value=1)
    pieces = forms.IntegerField(label="件数（按件计收，拆分后）", required=False, min_value=1, initial=1)
    waiver_reason = forms.CharField(label="减免理由（可不填写）", required=False, max_length=500)
    waiver_amount = forms.DecimalField(
        label="减免金额（元，不填则全额减免）", required=False, min_value=0, decimal_places=2
    )
    notice_received_on = forms.DateField(
        label="申请人收到收费通知的日期（可不填写）",
        required=False,
        widget=_date_widget(),
        help_text="缴费期限自申请人收到收费通知次日起计算20个工作日。不填写的，按送达方式推定"
        "（电子邮件、网上平台、传真为发出当日，邮寄、自行领取为发出后7日），推定情况写入通知书。",
    )

    def clean(self):
        cd = super().clean()
        if cd.get("method") == "by_volume" and not cd.get("pages"):
            self.add_error("pages", "按量计收须填写页数")
        return cd

    def extra_data(self):
        cd = self.cleaned_data
        d = {"method": cd["method"]}
        if cd.get("pages"):
            d["pages"] = cd["pages"]
        if cd.get("pieces"):
            d["pieces"] = cd["pieces"]
        if cd.get("waiver_reason"):
            d["waiver_reason"] = cd["waiver_reason"]
        if cd.get("waiver_amount") is not None:
            d["waiver_amount"] = str(cd["waiver_amount"])
        if cd.get("notice_received_on"):
            d["notice_received_on"] = cd["notice_received_on"].isoformat()
        return d


class RecordPaymentForm(ActionForm):
    reason_label = "缴费凭证说明"
    date_label = "缴费日期"
    amount = forms.DecimalField(
        label="实收金额（元，不填则按应缴金额）", required=False, min_value=0, decimal_places=2
    )

    def extra_data(self):
        a = self.cleaned_data.get("amount")
        return {"amount": str(a)} if a is not None else {}


def answer_choice_groups():
    """Grouped choices ``outcome|variant`` by Table 3 group (（一）予以公开, （三）不予公开 ...)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    index: dict[str, list] = {}
    for a in answers.ANSWER_TYPES:
        opts = index.get(a.group_label)
        if opts is None:
            opts = []
            index[a.group_label] = opts
            groups.append((a.group_label, opts))
        for v in a.variants:
            label = a.row_label if a.row_label != a.group_label else a.group_label
            if len(a.variants) > 1:
                label = f"{label}（{v.label}）"
            opts.append((f"{a.key}|{v.key}", label))
    return [("", "请选择办理结果")] + groups


def answer_basis_rows():
    """For the help table under the select: label, legal basis, whether head approval is needed."""
    rows = []
    for a in answers.ANSWER_TYPES:
        for v in a.variants:
            rows.append(
                {
                    "value": f"{a.key}|{v.key}",
                    "group": a.group_label,
                    "label": a.row_label if a.row_label != a.group_label else "",
                    "variant": v.label if len(a.variants) > 1 else "",
                    # basis_note is a developer's note (English, sources): never shown to staff
                    "basis": v.basis or a.legal_basis or "无对应条款，由承办人在答复中说明理由",
                    "required": [answers.FIELD_LABELS.get(f, f) for f in v.required_fields],
                    "head": a.requires_head_approval,
                }
            )
    return rows


def answer_fact_map() -> dict[str, list[str]]:
    """``outcome|variant`` -> names of the draft-answer form fields that category uses."""
    out = {}
    for a in answers.ANSWER_TYPES:
        for v in a.variants:
            names = [n for n in v.slots if n in ANSWER_FACT_FIELDS]
            if "withheld_ground" in v.required_fields and "withheld_ground" not in names:
                names.append("withheld_ground")
            out[f"{a.key}|{v.key}"] = ["fact_reason" if n == "reason" else n for n in names]
    return out


def answer_basis_map() -> dict[str, str]:
    """``outcome|variant`` -> one Chinese line: legal basis, facts to fill in, head approval."""
    out = {}
    for r in answer_basis_rows():
        parts = [f"法律依据：{r['basis']}"]
        if r["required"]:
            parts.append("须填写：" + "、".join(r["required"]))
        if r["head"]:
            parts.append("须经负责人审批后出具答复")
        out[r["value"]] = "；".join(parts)
    return out


ANSWER_FACT_FIELDS = (
    "reason",
    "access_method",
    "withheld_part",
    "withheld_ground",
    "responsible_agency",
    "responsible_contact",
    "previous_reply",
    "special_law",
    "channel",
)


RECORDED_FACTS = (
    "correction_notice_date",
    "fee_notice_date",
    "explanation_request_date",
    "explanation_result",
)


class DraftAnswerForm(ActionForm):
    reason_label = "拟办意见"
    show_date = False
    outcome_variant = forms.ChoiceField(
        label="办理结果（年报表三类别）",
        error_messages={"required": "请选择办理结果", "invalid_choice": "请选择有效的办理结果"},
    )
    fact_reason = forms.CharField(
        label=answers.FIELD_LABELS["reason"], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    access_method = forms.CharField(
        label=answers.FIELD_LABELS["access_method"], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    withheld_part = forms.CharField(label=answers.FIELD_LABELS["withheld_part"], required=False)
    withheld_ground = forms.ChoiceField(label=answers.FIELD_LABELS["withheld_ground"], required=False)
    responsible_agency = forms.CharField(label=answers.FIELD_LABELS["responsible_agency"], required=False)
    responsible_contact = forms.CharField(label=answers.FIELD_LABELS["responsible_contact"], required=False)
    previous_reply = forms.CharField(label=answers.FIELD_LABELS["previous_reply"], required=False)
    special_law = forms.CharField(label=answers.FIELD_LABELS["special_law"], required=False)
    channel = forms.CharField(label=answers.FIELD_LABELS["channel"], required=False)
    answer_text = forms.CharField(
        label="答复正文（不填写则按办理结果和上述要素自动生成）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_variant"].choices = answer_choice_groups()
        self.fields["withheld_ground"].choices = [("", "—")] + [
            (k, answers.answer(k).row_label) for k in answers.PARTIAL_GROUNDS
        ]
        self.fields["fact_reason"].help_text = "不予公开、部分公开等须说明理由。"
        self.fields["answer_text"].widget.attrs[HINT_ATTR] = HINTS["answer_text"]

    def clean(self):
        cd = super().clean()
        value = cd.get("outcome_variant")
        if value:
            key, _, variant = value.partition("|")
            # facts taken from the record (dates of the correction notice, fee notice, Art. 35
            # request) are checked by the workflow against the case, not typed in here
            facts = dict.fromkeys(RECORDED_FACTS, "—") | self.facts()
            problems = answers.answer_problems(key, facts, variant=variant or None)
            for p in problems:
                self.add_error(None, p)
        return cd

    def facts(self) -> dict:
        cd = self.cleaned_data
        out = {}
        for name in ANSWER_FACT_FIELDS:
            v = cd.get("fact_reason" if name == "reason" else name)
            if v:
                out[name] = v
        return out

    def extra_data(self):
        key, _, variant = self.cleaned_data["outcome_variant"].partition("|")
        return {
            "outcome": key,
            "variant": variant,
            "fields": self.facts(),
            "answer_text": self.cleaned_data.get("answer_text") or "",
        }


class ReviewForm(ActionForm):
    reason_label = "审核意见"
    show_date = False
    show_attachments = False


class AnswerForm(ActionForm):
    reason_label = "说明"
    date_label = "答复日期"
    show_attachments = False


class DeliverForm(ActionForm):
    reason_label = "送达凭证（如邮件回执、挂号单号、签收人）"
    reason_required = True
    date_label = "送达日期"
    method = forms.ChoiceField(label="送达方式", choices=DeliveryMethod.choices)

    def extra_data(self):
        return {"method": self.cleaned_data["method"], "evidence": self.cleaned_data["reason"]}


class ArchiveForm(ActionForm):
    reason_label = "归档说明"
    date_label = "归档日期"
    show_attachments = False


class WithdrawForm(ActionForm):
    reason_label = "撤回情况（如申请人书面撤回）"
    reason_required = True
    date_label = "撤回日期"


# action key -> (fallback Chinese label, form class). The workflow's own label wins when it has one.
ACTIONS: dict[str, tuple[str, type[ActionForm]]] = {
    "accept": ("受理并分办", AcceptForm),
    "assign_handler": ("指定承办人", AssignForm),
    "request_correction": ("告知补正", RequestCorrectionForm),
    "receive_correction": ("收到补正", ReceiveCorrectionForm),
    "deem_abandoned": ("逾期未补正，视为放弃", SimpleForm),
    "start_consultation": ("征求意见（暂停计时）", StartConsultationForm),
    "end_consultation": ("征求意见结束（恢复计时）", EndConsultationForm),
    "request_extension": ("申请延期", RequestExtensionForm),
    "approve_extension": ("批准延期", ApproveExtensionForm),
    "reject_extension": ("不批准延期", RejectForm),
    "request_explanation": ("要求说明理由", RequestExplanationForm),
    "receive_explanation": ("收到申请人说明", ReceiveExplanationForm),
    "set_delayed_answer": ("确定延迟答复期限", SetDelayedAnswerForm),
    "issue_fee_notice": ("发出收费通知", FeeNoticeForm),
    "record_payment": ("登记缴费", RecordPaymentForm),
    "fee_lapsed": ("逾期未缴费，不再处理", SimpleForm),
    "draft_answer": ("拟定答复", DraftAnswerForm),
    "approve_review": ("审核通过", ReviewForm),
    "return_for_revision": ("退回修改", RejectForm),
    "answer": ("出具答复", AnswerForm),
    "deliver": ("送达", DeliverForm),
    "archive": ("归档", ArchiveForm),
    "withdraw": ("撤回申请", WithdrawForm),
}


def action_label(key: str, fallback: str = "") -> str:
    entry = ACTIONS.get(key)
    return entry[0] if entry else (fallback or key)


def form_for(key: str, data=None, files=None, **kwargs) -> ActionForm:
    entry = ACTIONS.get(key)
    cls = entry[1] if entry else SimpleForm
    if not issubclass(cls, (AssignForm, RequestCorrectionForm, ReceiveCorrectionForm)):
        kwargs.pop("handlers", None)
    return cls(data, files, prefix=key, **kwargs)
