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
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from gongkai.core import report_schema

REGULATION = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

#: The revised Administrative Reconsideration Law (2023) took effect on this date (its Art. 90).
ARL_2023_IN_FORCE = dt.date(2024, 1, 1)
RECONSIDERATION_DAYS = 60  # ARL-2023 Art. 20 ¶1 (ARL-2017 Art. 9: also 60)
LITIGATION_MONTHS = 6  # ALL Art. 46 ¶1
LITIGATION_AFTER_RECONSIDERATION_DAYS = 15  # ALL Art. 45

# Verbatim text of the articles the answers cite (full-width parentheses, as officially printed).
ARTICLE_TEXT: dict[int, str] = {
    2: "本条例所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的，以一定形式记录、保存的信息。",
    14: "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开。",
    15: "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。但是，第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开。",
    16: "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。\n"
    "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定。",
    30: "政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限。答复期限自行政机关收到补正的申请之日起计算。申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请。",
    32: "依申请公开的政府信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见。第三方应当自收到征求意见书之日起15个工作日内提出意见。第三方逾期未提出意见的，由行政机关依照本条例的规定决定是否公开。第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。",
    33: "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。\n"
    "行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。\n"
    "行政机关征求第三方和其他机关意见所需时间不计算在前款规定的期限内。",
    34: "申请公开的政府信息由两个以上行政机关共同制作的，牵头制作的行政机关收到政府信息公开申请后可以征求相关行政机关的意见，被征求意见机关应当自收到征求意见书之日起15个工作日内提出意见，逾期未提出意见的视为同意公开。",
    35: "申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。行政机关认为申请理由不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在本条例第三十三条规定的期限内答复申请人的，可以确定延迟答复的合理期限并告知申请人。",
    36: "对政府信息公开申请，行政机关根据下列情况分别作出答复：\n"
    "（一）所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径；\n"
    "（二）所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间；\n"
    "（三）行政机关依据本条例的规定决定不予公开的，告知申请人不予公开并说明理由；\n"
    "（四）经检索没有所申请公开信息的，告知申请人该政府信息不存在；\n"
    "（五）所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的行政机关的，告知申请人该行政机关的名称、联系方式；\n"
    "（六）行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人不予重复处理；\n"
    "（七）所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知申请人依照有关法律、行政法规的规定办理。",
    37: "申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，行政机关应当向申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由。",
    38: "行政机关向申请人提供的信息，应当是已制作或者获取的政府信息。除依照本条例第三十七条的规定能够作区分处理的外，需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供。",
    39: "申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息公开申请处理并可以告知通过相应渠道提出。\n"
    "申请人提出的申请内容为要求行政机关提供政府公报、报刊、书籍等公开出版物的，行政机关可以告知获取的途径。",
    42: "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费。\n"
    "行政机关收取信息处理费的具体办法由国务院价格主管部门会同国务院财政部门、全国政府信息公开工作主管部门制定。",
    51: "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
}

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for 1..99 as used in article numbers (十四, 三十六, 四十二)."""
    if not 0 < n < 100:
        raise ValueError(f"article numbers are 1..99, got {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Citation:
    """One provision of the Regulation: article, optional paragraph (款) and item (项)."""

    article: int
    paragraph: int | None = None
    item: int | None = None
    quote: str = ""  # statutory wording to quote in the reply (verbatim substring of the article)

    @property
    def ref(self) -> str:
        """e.g. 第三十六条第（三）项, 第十六条第二款."""
        s = f"第{cn_number(self.article)}条"
        if self.paragraph:
            s += f"第{cn_number(self.paragraph)}款"
        if self.item:
            s += f"第（{cn_number(self.item)}）项"
        return s

    @property
    def text(self) -> str:
        """Full citation with the Regulation's name."""
        return REGULATION + self.ref


def cite(citations: tuple[Citation, ...] | list[Citation]) -> str:
    """《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项 (empty string for none)."""
    if not citations:
        return ""
    return REGULATION + "、".join(c.ref for c in citations)


@dataclass(frozen=True)
class Variant:
    """A wording variant of one answer category (e.g. 无法提供－1 under Art. 36(4) or (5)).

    ``decision`` is a :meth:`str.format` template. Its slots ({name}) are the facts the officer must
    supply; those with an entry in ``defaults`` are optional. The documented slot names:
    ``reason`` (具体理由, a full sentence ending with 。), ``access_method`` (获取方式、途径和时间),
    ``withheld_part`` (不予公开的部分), ``withheld_ground`` (key of a 不予公开 row, for 部分公开),
    ``responsible_agency`` / ``responsible_contact`` (Art. 36(5)), ``previous_reply`` (Art. 36(6)),
    ``special_law`` (Art. 36(7)), ``channel`` (Art. 39 ¶1), ``correction_notice_date`` (Art. 30),
    ``fee_notice_date`` (Fee Measures), ``explanation_request_date`` / ``explanation_result`` (Art.
    35, filled from the recorded request for reasons and answer or lapse). Computed, never supplied: ``withheld_ground_label`` and
    ``withheld_ground_basis`` (filled from ``withheld_ground``).
    """

    key: str
    label: str
    citations: tuple[Citation, ...]
    decision: str
    defaults: Mapping[str, str] = field(default_factory=dict)

    @property
    def slots(self) -> tuple[str, ...]:
        names = []
        for _, name, _, _ in string.Formatter().parse(self.decision):
            if name and name not in names:
                names.append(name)
        return tuple(names)

    @property
    def required_fields(self) -> tuple[str, ...]:
        req = [n for n in self.slots if n not in self.defaults and n not in _COMPUTED]
        if "withheld_ground_basis" in self.slots or "withheld_ground_label" in self.slots:
            req.append("withheld_ground")
        return tuple(dict.fromkeys(req))

    @property
    def basis(self) -> str:
        return cite(self.citations)


_COMPUTED = ("withheld_ground_label", "withheld_ground_basis")


@dataclass(frozen=True)
class Remedy:
    """The remedy notice of a reply (救济途径)."""

    reconsideration_first: bool  # ARL-2023 Art. 23: apply for reconsideration before suing
    reconsideration_days: int
    litigation_months: int | None  # None when litigation only follows reconsideration
    text: str


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


# ---------------------------------------------------------------------------------------------
# The law per Table 3 row. Keys are checked against report_schema at import (see _build).

_A36 = {i: Citation(36, item=i) for i in range(1, 8)}
_A36[1] = Citation(36, item=1, quote="所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径")
_A36[2] = Citation(
    36,
    item=2,
    quote="所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间",
)
_A36[3] = Citation(36, item=3, quote="行政机关依据本条例的规定决定不予公开的，告知申请人不予公开并说明理由")
_A36[4] = Citation(36, item=4, quote="经检索没有所申请公开信息的，告知申请人该政府信息不存在")
_A36[5] = Citation(
    36,
    item=5,
    quote="所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的行政机关的，告知申请人该行政机关的名称、联系方式",
)
_A36[6] = Citation(
    36,
    item=6,
    quote="行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人不予重复处理",
)
_A36[7] = Citation(
    36,
    item=7,
    quote="所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知申请人依照有关法律、行政法规的规定办理",
)

# 不予公开 rows: (articles, short description used in sentences, quote)
_WITHHELD: dict[str, tuple[tuple[Citation, ...], str]] = {
    "withheld_state_secret": (
        (Citation(14, quote="依法确定为国家秘密的政府信息"),),
        "依法确定为国家秘密的政府信息",
    ),
    "withheld_law_prohibited": (
        (Citation(14, quote="法律、行政法规禁止公开的政府信息"),),
        "法律、行政法规禁止公开的政府信息",
    ),
    "withheld_security_stability": (
        (Citation(14, quote="公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开"),),
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息",
    ),
    "withheld_third_party": (
        (
            Citation(
                15, quote="涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开"
            ),
            Citation(32, quote="第三方不同意公开且有合理理由的，行政机关不予公开"),
        ),
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息",
    ),
    "withheld_internal_affairs": (
        (
            Citation(
                16,
                paragraph=1,
                quote="行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开",
            ),
        ),
        "行政机关的内部事务信息",
    ),
    "withheld_process_info": (
        (
            Citation(
                16,
                paragraph=2,
                quote="行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
            ),
        ),
        "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    ),
    "withheld_enforcement_file": (
        (Citation(16, paragraph=2, quote="以及行政执法案卷信息，可以不予公开"),),
        "行政执法案卷信息",
    ),
}

_WITHHELD_DECISION = (
    "经审查，您申请获取的政府信息属于{label}。{reason}根据"
    + REGULATION
    + "{refs}的规定，本机关决定不予公开。"
)


def _withheld_variant(key: str) -> Variant:
    cits, label = _WITHHELD[key]
    cits = cits + (_A36[3],)
    refs = "、".join(c.ref for c in cits)
    return Variant(
        key="default",
        label="不予公开",
        citations=cits,
        decision=_WITHHELD_DECISION.replace("{label}", label).replace("{refs}", refs),
    )


_R = REGULATION

_SPEC: dict[str, dict] = {
    "granted": dict(
        variants=(
            Variant(
                "provided",
                "予以公开并提供",
                (_A36[2],),
                "经审查，您申请获取的政府信息属于可以公开的政府信息。根据"
                + _R
                + "第三十六条第（二）项的规定，本机关决定予以公开。{access_method}",
            ),
            Variant(
                "proactive",
                "已主动公开，告知获取方式",
                (_A36[1],),
                "经审查，您申请获取的政府信息本机关已经主动公开。根据"
                + _R
                + "第三十六条第（一）项的规定，现告知您获取该政府信息的方式、途径：{access_method}",
            ),
        ),
        basis_note="Art. 36(1) (already proactively disclosed) is counted as 予以公开: which Table 3 row it belongs to is not stated in the reference.",
    ),
    "partial": dict(
        variants=(
            Variant(
                "default",
                "区分处理",
                (
                    Citation(
                        37,
                        quote="行政机关应当向申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由",
                    ),
                ),
                "经审查，您申请获取的信息中，{withheld_part}属于{withheld_ground_label}。{reason}根据"
                + _R
                + "{withheld_ground_basis}、第三十七条的规定，本机关对该部分内容不予公开，对其余可以公开的政府信息予以公开。{access_method}",
            ),
        ),
        is_refusal=True,
        requires_head_approval=True,
    ),
    "withheld_admin_query": dict(
        variants=(
            Variant(
                "default",
                "依特别规定办理",
                (_A36[7],),
                "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。根据"
                + _R
                + "第三十六条第（七）项的规定，请您依照{special_law}的规定办理。{reason}",
                defaults={"reason": ""},
            ),
        ),
        basis_is_analysis=True,
        is_refusal=True,
        requires_head_approval=True,
    ),
    "unable_not_held": dict(
        variants=(
            Variant(
                "not_exist",
                "经检索不存在",
                (_A36[4],),
                "{reason}经检索，本机关没有您所申请公开的信息。根据"
                + _R
                + "第三十六条第（四）项的规定，现告知您该政府信息不存在。",
                defaults={"reason": ""},
            ),
            Variant(
                "not_responsible",
                "不属于本机关负责公开",
                (_A36[5],),
                "经审查，您所申请公开的信息不属于本机关负责公开。{reason}根据"
                + _R
                + "第三十六条第（五）项的规定，本机关不负责公开该政府信息。",
            ),
            Variant(
                "not_responsible_known",
                "不属于本机关负责公开，告知负责机关",
                (_A36[5],),
                "经审查，您所申请公开的信息不属于本机关负责公开。{reason}根据"
                + _R
                + "第三十六条第（五）项的规定，负责公开该政府信息的行政机关为{responsible_agency}，联系方式：{responsible_contact}。",
            ),
        ),
    ),
    "unable_needs_creation": dict(
        variants=(
            Variant(
                "default",
                "需要另行制作",
                (Citation(38, quote="需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供"),),
                "经审查，本机关没有现成的您所申请的信息，需要本机关对现有政府信息进行加工、分析方能形成。{reason}根据"
                + _R
                + "第三十八条的规定，本机关不予提供。",
                defaults={"reason": ""},
            ),
        ),
        litigable=False,  # SPC-2011 Art. 2 (三): 要求制作、搜集、汇总、分析加工
    ),
    "unable_still_unclear": dict(
        variants=(
            Variant(
                "default",
                "补正后仍不明确",
                (Citation(30, quote="政府信息公开申请内容不明确的，行政机关应当给予指导和释明"),),
                "本机关已于{correction_notice_date}一次性告知您作出补正，您补正后的申请内容仍不明确，本机关无法据此确定您所申请的政府信息。{reason}根据"
                + _R
                + "第三十条的规定，本机关无法向您提供。",
                defaults={"reason": ""},
            ),
        ),
        basis_is_analysis=True,
        basis_note="The Regulation has no article for 'still unclear after correction'; Art. 30 (correction) is cited.",
    ),
    "np_petition_complaint": dict(
        variants=(
            Variant(
                "default",
                "信访举报投诉",
                (
                    Citation(
                        39,
                        paragraph=1,
                        quote="申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息公开申请处理并可以告知通过相应渠道提出",
                    ),
                ),
                "经审查，您的申请系以政府信息公开申请的形式进行信访、投诉、举报等活动。根据"
                + _R
                + "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，您可以通过{channel}提出。",
                defaults={"channel": "信访、投诉、举报等相应渠道"},
            ),
        ),
    ),
    "np_repeat": dict(
        variants=(
            Variant(
                "default",
                "重复申请",
                (_A36[6],),
                "本机关已于{previous_reply}就您提出的政府信息公开申请作出答复，您本次申请公开的是相同的政府信息。根据"
                + _R
                + "第三十六条第（六）项的规定，本机关不予重复处理。",
            ),
        ),
    ),
    "np_publication": dict(
        variants=(
            Variant(
                "default",
                "公开出版物",
                (
                    Citation(
                        39,
                        paragraph=2,
                        quote="申请人提出的申请内容为要求行政机关提供政府公报、报刊、书籍等公开出版物的，行政机关可以告知获取的途径",
                    ),
                ),
                "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据"
                + _R
                + "第三十九条第二款的规定，本机关不作为政府信息公开申请处理，您可以通过{access_method}获取。",
                defaults={"access_method": "公开发行渠道或者公共图书馆等途径"},
            ),
        ),
        litigable=False,  # SPC-2011 Art. 2 (二): 要求提供公开出版物
    ),
    "np_mass_repeated": dict(
        variants=(
            Variant(
                "default",
                "大量反复申请",
                (
                    Citation(
                        35,
                        quote="行政机关认为申请理由不合理的，告知申请人不予处理",
                    ),
                ),
                "您申请公开政府信息的数量、频次明显超过合理范围，本机关已于{explanation_request_date}要求您说明理由。{explanation_result}{reason}根据"
                + _R
                + "第三十五条的规定，本机关不予处理。",
                defaults={"reason": ""},
            ),
        ),
        requires_head_approval=True,
    ),
    "np_confirm_or_reissue": dict(
        variants=(
            Variant(
                "default",
                "要求确认或重新出具",
                (
                    Citation(2, quote="以一定形式记录、保存的信息"),
                    Citation(38, quote="行政机关向申请人提供的信息，应当是已制作或者获取的政府信息"),
                ),
                "经审查，您的申请系要求本机关对您已获取的信息进行确认或者重新出具。政府信息公开的对象是行政机关已制作或者获取、以一定形式记录保存的政府信息，上述要求不属于政府信息公开申请的处理范围。{reason}根据"
                + _R
                + "第二条、第三十八条的规定，本机关不予处理。",
                defaults={"reason": ""},
            ),
        ),
        basis_is_analysis=True,
        basis_note="No specific article found in the Regulation (reference: NOT CONFIRMED); Arts. 2 and 38 chosen.",
    ),
    "other_no_correction": dict(
        variants=(
            Variant(
                "default",
                "逾期不补正",
                (
                    Citation(
                        30,
                        quote="申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请",
                    ),
                ),
                "本机关已于{correction_notice_date}一次性告知您作出补正，您无正当理由逾期未补正。根据"
                + _R
                + "第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
            ),
        ),
        needs_answer_letter=False,
    ),
    "other_fee_unpaid": dict(
        variants=(
            Variant(
                "default",
                "逾期未缴费",
                (
                    Citation(
                        42,
                        quote="申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费",
                    ),
                ),
                "本机关已于{fee_notice_date}向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费。根据"
                + _R
                + "第四十二条和"
                + FEE_MEASURES
                + "的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
            ),
        ),
        needs_answer_letter=False,
        basis_note="Deemed abandonment on non-payment comes from the Fee Measures as restated by 法治日报 2020-12-02 "
        "and the Sichuan notice (reference: SECONDARY).",
    ),
    "other_other": dict(
        variants=(Variant("default", "其他", (), "{reason}"),),
        needs_answer_letter=False,
        basis_note="No article: 其他处理－3 collects cases such as a withdrawal by the applicant (申请人自主撤销); "
        "the officer states the reason.",
    ),
}
for _k in _WITHHELD:
    _SPEC[_k] = dict(variants=(_withheld_variant(_k),), is_refusal=True, requires_head_approval=True)


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
