"""Answer taxonomy (答复类型) of disclosure applications (依申请公开).

One answer category = exactly one leaf row of Table 3 (办理结果) of the 2021 annual-report
template. Keys and labels are read from :mod:`gongkai.core.report_schema`; this module only adds
the law: for every key the legal basis in the 2019 Regulation (《中华人民共和国政府信息公开条例》,
"the Regulation") with the statutory wording to quote, the decision sentence of the written reply
(答复告知书), whether the decision needs the head's approval, whether the case ends without an
answer letter, and the remedy notice (救济途径告知).

Sources: ``shared/reference/ogi-rules.md`` §3 and ``regulation-2019.md``. Quotes below are copied
from the Regulation (typography normalised to full-width parentheses as officially printed); a test
checks each quote against ``ARTICLE_TEXT`` and against the reference copy.

Design choices (not statutory; the reference could not confirm them):

- **Head approval (负责人审批)**: the Regulation only requires the GOI-office head's approval for
  an *extension* (Art. 33 ¶2). We require the head's approval for every refusal: all 不予公开
  rows, 部分公开 (its withheld part is a refusal) and 不予处理－4 (Art. 35: the agency judges the
  applicant's reasons unreasonable). Art. 45 (审核 procedures) is the hook.
- **Remedy notice**: since 2024-01-01 (revised 行政复议法, ARL-2023 Art. 23 ¶1(4) and ¶2) a
  不予公开 decision must tell the applicant to apply for administrative reconsideration FIRST.
  Whether 部分公开 counts as 不予公开 is not stated; we treat it the same way (the safe design:
  reconsideration first never costs the applicant a remedy). Every other answer offers
  reconsideration within 60 days (ARL-2023 Art. 20) or litigation within 6 months (ALL Art. 46).
  Replies dated before 2024-01-01 use the either/or wording for all categories (ARL-2017 Art. 9;
  the transitional rule was not found). Periods are worded "自收到本告知书之日起" — receipt of the
  reply is when the applicant knows of the act. The reconsideration-first clause also gives the
  15 days after the reconsideration body fails to decide in time (ALL Art. 45). 需另行制作 and
  公开出版物 replies offer reconsideration only: courts do not hear those refusals (SPC-2011
  Art. 2 (二)(三)), ``litigable=False``.
- **Answers without a letter**: the three 其他处理 rows end the case without an answer letter
  (Art. 30 and the Fee Measures say 视为放弃申请 / 不再处理; a withdrawal needs no answer). A
  termination notice can still be generated from the same decision sentences.
- 不予公开－8 (行政查询事项) is mapped to Art. 36(7), 无法提供－3 to Art. 30 and 不予处理－5 to
  Arts. 2 and 38: these mappings are analysis, flagged by ``basis_is_analysis``. 其他处理－3 has
  no article (``citations`` empty, ``basis_note`` explains).

Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from gongkai.core import report_schema

from .answer_law import _SPEC, _WITHHELD
from .answer_model import (
    ARL_2023_IN_FORCE,
    ARTICLE_TEXT,
    LITIGATION_MONTHS,
    RECONSIDERATION_DAYS,
    RECONSIDERATION_LAW,
    Citation,
    Remedy,
    Variant,
    cite,
    cn_number,
)

__all__ = ["ARTICLE_TEXT", "Citation", "cn_number"]  # re-exported


@dataclass(frozen=True)
class AnswerType:
    """One answer category = one leaf row of Table 3 (2021 template)."""

    key: str
    label: str  # full label from report_schema, e.g. （三）不予公开－1.属于国家秘密
    row_label: str  # the row's own label, e.g. 1.属于国家秘密
    group: str  # granted | partial | withheld | unable | not_processed | other
    group_label: str  # e.g. （三）不予公开
    variants: tuple[Variant, ...]
    requires_head_approval: bool
    is_refusal: bool  # 不予公开 in the sense of ARL-2023 Art. 23 (partial included, see module doc)
    needs_answer_letter: bool  # False: the case ends without an answer letter (其他处理)
    litigable: bool = True  # False: courts do not hear it (SPC-2011 Art. 2), no 行政诉讼 offered
    basis_is_analysis: bool = False  # the row↔article mapping is analysis, not printed anywhere
    basis_note: str = ""
    key_2019: str = ""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Union of the variants' citations (order kept)."""
        out: list[Citation] = []
        for v in self.variants:
            for c in v.citations:
                if c not in out:
                    out.append(c)
        return tuple(out)

    @property
    def legal_basis(self) -> str:
        """e.g. 《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项."""
        return cite(self.citations)

    @property
    def default_variant(self) -> Variant:
        return self.variants[0]

    def variant(self, key: str | None = None) -> Variant:
        if key is None:
            return self.variants[0]
        for v in self.variants:
            if v.key == key:
                return v
        raise KeyError(
            f"answer {self.key} has no variant {key!r}; expected one of {[v.key for v in self.variants]}"
        )

    def remedy(
        self, decided_on: dt.date | None = None, reconsideration_body: str = "", court: str = ""
    ) -> Remedy:
        return remedy_for(
            self.key, decided_on=decided_on, reconsideration_body=reconsideration_body, court=court
        )


def _group_of(row: report_schema.Row) -> str:
    if row.parent in (None, "results"):
        return row.key
    return row.parent


@cache
def _build() -> tuple[AnswerType, ...]:
    t = report_schema.get_template("2021")
    table = t.applications
    labels = dict(report_schema.outcome_choices("2021"))
    keys_2019 = {k for k, _ in report_schema.outcome_choices("2019")}
    other_2019 = [k for k in keys_2019 if k not in labels]
    if len(other_2019) != 1:
        raise RuntimeError(f"expected one 2019-only result row, got {other_2019}")
    out = []
    for row in t.result_rows:
        if row.key not in _SPEC:
            raise RuntimeError(f"Table 3 row {row.key!r} has no answer specification")
        spec = dict(_SPEC[row.key])
        group = _group_of(row)
        group_label = table.row(group).label if group != row.key else row.label
        group_label = group_label or ""
        out.append(
            AnswerType(
                key=row.key,
                label=labels[row.key],
                row_label=row.label or "",
                group=group,
                group_label=group_label,
                variants=spec.pop("variants"),
                requires_head_approval=spec.pop("requires_head_approval", False),
                is_refusal=spec.pop("is_refusal", False),
                needs_answer_letter=spec.pop("needs_answer_letter", True),
                litigable=spec.pop("litigable", True),
                basis_is_analysis=spec.pop("basis_is_analysis", False),
                basis_note=spec.pop("basis_note", ""),
                key_2019=row.key if row.key in keys_2019 else other_2019[0],
            )
        )
        if spec:
            raise RuntimeError(f"unknown answer spec fields for {row.key}: {sorted(spec)}")
    unknown = set(_SPEC) - {a.key for a in out}
    if unknown:
        raise RuntimeError(f"answer specifications for rows not in Table 3: {sorted(unknown)}")
    return tuple(out)


ANSWER_TYPES: list[AnswerType] = list(_build())
_BY_KEY = {a.key: a for a in ANSWER_TYPES}

#: 2021 answer key -> 2019 template row key (其他处理 1–3 -> the single 2019 其他处理 row).
KEY_2021_TO_2019: dict[str, str] = {a.key: a.key_2019 for a in ANSWER_TYPES}

WITHHELD_KEYS: tuple[str, ...] = tuple(a.key for a in ANSWER_TYPES if a.group == "withheld")
#: Grounds that can justify withholding the part of a 部分公开 answer (Art. 37 with Arts. 14–16).
PARTIAL_GROUNDS: tuple[str, ...] = tuple(_WITHHELD)


def answer(key: str) -> AnswerType:
    """The answer category of a Table 3 leaf row (2021 keys)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown answer key {key!r}") from None


def to_2019(key: str) -> str:
    """Map a 2021 answer key to the 2019 template's Table 3 row."""
    answer(key)
    return KEY_2021_TO_2019[key]


def answer_choices() -> list[tuple[str, str]]:
    """(key, label) for forms; identical to ``report_schema.outcome_choices("2021")``."""
    return [(a.key, a.label) for a in ANSWER_TYPES]


# ---------------------------------------------------------------------------------------------
# Remedy notice


def remedy_for(
    key: str, decided_on: dt.date | None = None, reconsideration_body: str = "", court: str = ""
) -> Remedy:
    """Remedy notice of a reply of category ``key`` dated ``decided_on`` (default: the new law).

    ``reconsideration_body``: the 行政复议机关 (ARL-2023 Arts. 24–27); ``court``: the competent
    人民法院. Generic wording is used when they are blank (the letter is then weaker: ARL-2023
    Art. 20 ¶2 extends the period if the applicant was not told the reconsideration organ).
    """
    a = answer(key)
    body = reconsideration_body.strip() or "行政复议机关"
    court_s = court.strip() or "人民法院"
    new_law = decided_on is None or decided_on >= ARL_2023_IN_FORCE
    if not a.litigable:
        # SPC-2011 Art. 2: courts do not hear refusals to provide publications or to create,
        # compile or analyse information; only reconsideration is offered.
        text = "如对本答复不服，可以自收到本告知书之日起六十日内向" + body + "申请行政复议。"
        return Remedy(False, RECONSIDERATION_DAYS, None, text)
    if a.is_refusal and new_law:
        text = (
            "如对本答复不服，根据"
            + RECONSIDERATION_LAW
            + "第二十三条的规定，您应当先自收到本告知书之日起六十日内向"
            + body
            + "申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向"
            + court_s
            + "提起行政诉讼；行政复议机关逾期不作决定的，可以自行政复议期满之日起十五日内依法向"
            + court_s
            + "提起行政诉讼。"
        )
        return Remedy(True, RECONSIDERATION_DAYS, None, text)
    text = (
        "如对本答复不服，可以自收到本告知书之日起六十日内向"
        + body
        + "申请行政复议，也可以自收到本告知书之日起六个月内向"
        + court_s
        + "提起行政诉讼。"
    )
    return Remedy(False, RECONSIDERATION_DAYS, LITIGATION_MONTHS, text)


# ---------------------------------------------------------------------------------------------
# Validation and the decision sentence


class AnswerValidationError(ValueError):
    """The answer cannot be issued as given; ``errors`` are user-facing Chinese messages."""

    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


FIELD_LABELS = {
    "reason": "具体理由",
    "access_method": "获取信息的方式、途径",
    "withheld_part": "不予公开的部分",
    "withheld_ground": "不予公开的依据（类别）",
    "responsible_agency": "负责公开的行政机关名称",
    "responsible_contact": "负责公开的行政机关联系方式",
    "previous_reply": "此前答复的日期和文号",
    "special_law": "有关法律、行政法规的名称",
    "channel": "相应渠道",
    "correction_notice_date": "补正告知日期",
    "fee_notice_date": "收费通知日期",
    "explanation_request_date": "要求说明理由的日期（须先记录“要求说明理由”）",
    "explanation_result": "申请人说明理由的情况（须先记录申请人的说明或说明期限届满）",
}


def answer_problems(
    key: str,
    fields: Mapping[str, str] | None = None,
    *,
    variant: str | None = None,
    head_approved: bool | None = None,
    template_id: str = "2021",
) -> list[str]:
    """Problems (Chinese) that prevent issuing answer ``key`` with ``fields``; empty = valid.

    ``head_approved=None`` skips the approval check (e.g. while drafting).
    """
    problems: list[str] = []
    if template_id != "2021":
        valid = {k for k, _ in report_schema.outcome_choices(template_id)}
        if key in valid and key not in _BY_KEY:
            return [f"“{key}”是{template_id}年版年报的统计行，答复时请选择2021年版的具体办理结果"]
    if key not in _BY_KEY:
        return [f"未知的办理结果“{key}”"]
    a = _BY_KEY[key]
    try:
        v = a.variant(variant)
    except KeyError:
        return [f"办理结果“{a.row_label}”没有“{variant}”这一答复情形"]
    fields = fields or {}
    for name in v.required_fields:
        if not str(fields.get(name, "") or "").strip():
            problems.append(f"请填写{FIELD_LABELS.get(name, name)}")
    ground = fields.get("withheld_ground")
    if "withheld_ground" in v.required_fields and ground and ground not in PARTIAL_GROUNDS:
        problems.append("部分公开的不予公开依据须为第十四条、第十五条、第十六条规定的情形")
    if a.requires_head_approval and head_approved is False:
        problems.append("该答复须经负责人审批同意")
    return problems


def validate_answer(
    key: str,
    fields: Mapping[str, str] | None = None,
    *,
    variant: str | None = None,
    head_approved: bool | None = None,
    template_id: str = "2021",
) -> AnswerType:
    """Return the :class:`AnswerType` or raise :class:`AnswerValidationError` (Chinese errors)."""
    problems = answer_problems(
        key, fields, variant=variant, head_approved=head_approved, template_id=template_id
    )
    if problems:
        raise AnswerValidationError(problems)
    return _BY_KEY[key]


def explanation_facts(
    requested_on: dt.date, answered_on: dt.date | None = None, lapsed_after: dt.date | None = None
) -> dict[str, str]:
    """The Art. 35 facts of a 不予处理－4 reply, from the record: the day the agency asked for reasons
    and the applicant's answer (``answered_on``) or the lapse of the period (``lapsed_after`` = its
    last day). Without an answer or lapse only the request date is returned (the reply cannot be
    drafted: ``explanation_result`` is required)."""
    facts = {"explanation_request_date": f"{requested_on:%Y年%m月%d日}"}
    if answered_on is not None:
        facts["explanation_result"] = (
            f"您于{answered_on:%Y年%m月%d日}作出了说明，经审查，本机关认为您的申请理由不合理。"
        )
    elif lapsed_after is not None:
        facts["explanation_result"] = (
            f"您未在本机关确定的期限（{lapsed_after:%Y年%m月%d日}）内说明理由，本机关认为您的申请理由不合理。"
        )
    return facts


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in "。！？；”":
        text += "。"
    return text


def decision_text(key: str, fields: Mapping[str, str] | None = None, *, variant: str | None = None) -> str:
    """The reply's decision sentence(s) for answer ``key`` filled with ``fields``.

    Raises :class:`AnswerValidationError` if a required fact is missing.
    """
    a = validate_answer(key, fields, variant=variant)
    v = a.variant(variant)
    values = dict.fromkeys(v.slots, "")
    values.update(v.defaults)
    for k, val in (fields or {}).items():
        if val is not None and str(val).strip():
            values[k] = str(val).strip()
    if values.get("reason"):
        values["reason"] = _sentence(values["reason"])  # free text is embedded as a sentence
    if "withheld_ground_basis" in v.slots:
        g = answer(values["withheld_ground"])
        cits, label = _WITHHELD[g.key]
        values["withheld_ground_label"] = label
        values["withheld_ground_basis"] = "、".join(c.ref for c in cits)
    text = v.decision.format_map(values)
    text = re.sub(r"。{2,}", "。", text)
    return _sentence(text)
