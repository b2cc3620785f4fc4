"""The building blocks of the answer taxonomy (:mod:`gongkai.core.answers`): the laws cited,
citations of the Regulation's articles with their verbatim text, decision-sentence variants and
the remedy notice. Pure Python: no Django import."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

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
