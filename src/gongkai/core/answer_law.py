"""The law per Table 3 row (答复类型): for every answer key the Regulation's articles, the
quoted wording and the decision sentences of the reply. :mod:`gongkai.core.answers` checks the
keys against the report schema when it builds the taxonomy. Pure Python: no Django import."""

from __future__ import annotations

from .answer_model import (
    FEE_MEASURES,
    REGULATION,
    Citation,
    Variant,
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
