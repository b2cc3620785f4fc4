"""Platform default letter templates (平台默认文书模板), one per kind.

Loaded by the data migration ``0002_default_templates`` and re-installable with
:func:`install_default_templates` (``overwrite=True`` resets the defaults, never agency overrides).

Wording follows the 2019 Regulation: receipt date and deadlines (Arts. 31, 33), correction (Art.
30), extension (Art. 33 ¶2), third-party and co-producer consultation (Arts. 32, 34), fees (Art. 42
and 国办函〔2020〕109号), answers (Arts. 36–39, decision sentences and remedies from
:mod:`gongkai.core.answers`). Text syntax: Django templates; paragraphs are separated by a blank
line; single line breaks inside a paragraph are joined. Context: ``services.CONTEXT_DOC``.

Remedy clauses: the reply carries the remedy notice. The correction notice does not (a request to
correct an unclear application is not justiciable, SPC-2011 Art. 2), nor does the fee notice (the
fee decision cannot be challenged on its own, FM as reported by 法治日报 2020-12-02).
"""

from __future__ import annotations

_INTRO = (
    "本机关于{{ received_date|cn_date }}收到您提交的政府信息公开申请（受理编号：{{ tracking_number }}），"
    "您申请获取“{{ description }}”。"
)

_NOTES = (
    "{% if agency.phone %}联系电话：{{ agency.phone }}{% endif %}"
    "{% if agency.phone and agency.address %}；{% endif %}"
    "{% if agency.address %}通讯地址：{{ agency.address }}"
    "{% if agency.postal_code %}，邮政编码：{{ agency.postal_code }}{% endif %}{% endif %}"
)

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "receipt": {
        "name": "受理回执（默认）",
        "title": "政府信息公开申请受理回执",
        "addressee": "{{ applicant_name }}",
        "body": """\
本机关于{{ received_date|cn_date }}收到您提交的政府信息公开申请，您申请获取“{{ description }}”。\
本机关已登记，受理编号为{{ tracking_number }}。查询码已另行告知您本人，您可以凭受理编号和查询码查询办理进度。

根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关不能当场答复的，将自收到申请之日起20个工作日内予以答复\
{% if due_date %}（按现行工作日安排，答复期限为{{ due_date|cn_date }}）{% endif %}；\
需要延长答复期限的，经政府信息公开工作机构负责人同意并告知您，延长的期限最长不超过20个工作日。\
本机关征求第三方和其他机关意见所需时间不计算在上述期限内。

申请内容不明确的，本机关将自收到申请之日起7个工作日内一次性告知您作出补正，答复期限自本机关收到补正的申请之日起计算。

特此回执。""",
        "notes": _NOTES,
    },
    "correction": {
        "name": "补正告知书（默认）",
        "title": "政府信息公开申请补正告知书",
        "addressee": "{{ applicant_name }}",
        "body": """\
"""
        + _INTRO
        + """

经审查，您的申请内容不明确，本机关无法据此确定您所申请的政府信息。根据《中华人民共和国政府信息公开条例》第三十条的规定，\
现一次性告知您对下列事项作出补正：

{% for item in correction.matters %}（{{ forloop.counter|cn_num }}）{{ item }}{% if forloop.last %}。{% else %}；{% endif %}

{% endfor %}{% if correction.guidance %}指导和释明：{{ correction.guidance }}

{% endif %}请您于{{ correction.deadline|cn_date }}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。\
您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。

特此告知。""",
        "notes": _NOTES,
    },
    "extension": {
        "name": "延期答复告知书（默认）",
        "title": "政府信息公开申请延期答复告知书",
        "addressee": "{{ applicant_name }}",
        "body": """\
"""
        + _INTRO
        + """

{% if extension.late %}\
因{{ extension.reason }}，本机关未能在原答复期限{% if extension.original_due %}（{{ extension.original_due|cn_date }}）{% endif %}\
届满前作出答复，也未在该期限届满前告知您延长答复期限。经本机关政府信息公开工作机构负责人同意，\
本机关将{% if extension.new_due %}于{{ extension.new_due|cn_date }}前{% else %}尽快{% endif %}作出答复。\
{% else %}\
因{{ extension.reason }}，本机关无法在法定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，\
经本机关政府信息公开工作机构负责人同意，答复期限延长{{ extension.days }}个工作日\
{% if extension.new_due %}，本机关将于{{ extension.new_due|cn_date }}前作出答复{% endif %}。\
{% endif %}

特此告知。""",
        "notes": _NOTES,
    },
    "consultation": {
        "name": "征求意见函（默认）",
        "title": "{% if consultation.is_agency %}关于政府信息公开的征求意见函{% else %}政府信息公开第三方意见征询函{% endif %}",
        "addressee": "{{ consultation.consultee }}",
        "body": """\
本机关于{{ received_date|cn_date }}收到申请人提交的政府信息公开申请（受理编号：{{ tracking_number }}），\
申请获取“{{ description }}”。

{% if consultation.is_agency %}\
经审查，该政府信息{% if consultation.subject %}（{{ consultation.subject }}）{% endif %}由本机关与贵单位共同制作。\
根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵单位意见。

请贵单位自收到本函之日起15个工作日内，以书面形式向本机关提出是否同意公开的意见；不同意公开的，请说明理由和依据。\
逾期未提出意见的，视为同意公开。\
{% else %}\
经审查，该政府信息{% if consultation.subject %}（{{ consultation.subject }}）{% endif %}可能涉及贵方的商业秘密、个人隐私等合法权益，\
公开可能对贵方合法权益造成损害。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。

请贵方自收到本函之日起15个工作日内，以书面形式向本机关提出是否同意公开的意见；不同意公开的，请说明理由。\
逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。

贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，\
并将决定公开的政府信息内容和理由书面告知贵方。\
{% endif %}

特此函询。""",
        "notes": _NOTES,
    },
    "fee_notice": {
        "name": "收费通知书（默认）",
        "title": "政府信息公开信息处理费收费通知书",
        "addressee": "{{ applicant_name }}",
        "body": """\
"""
        + _INTRO
        + """

经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和\
《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定对该申请收取信息处理费。

收费标准：{{ fee.standard_text }}

计费明细：{% if fee.pieces %}本申请按“一事一申请”原则计为{{ fee.pieces }}件；{% endif %}\
{% for line in fee.lines %}{{ line }}；{% endfor %}\
{% if fee.waived_amount %}合计{{ fee.gross|yuan }}元，减免{{ fee.waived_amount|yuan }}元（减免理由：{{ fee.waiver_reason }}），{% endif %}\
应缴金额为人民币{{ fee.amount|yuan }}元。

请您自收到本通知次日起20个工作日内{% if fee.pay_by %}（{% if fee.receipt_presumed %}{{ fee.receipt_note }}，{% endif %}\
即{{ fee.pay_by|cn_date }}前）{% endif %}，\
通过{{ fee.payment_method }}缴纳上述费用。\
{% if fee.pauses_clock %}自本通知发出之日至您缴纳费用之日的期间，不计算在答复期限内。{% endif %}\
您逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。

特此通知。""",
        "notes": _NOTES,
    },
    "explanation_request": {
        "name": "说明理由通知书（默认）",
        "title": "政府信息公开申请说明理由通知书",
        "addressee": "{{ applicant_name }}",
        "body": """\
"""
        + _INTRO
        + """

经审查，您申请公开政府信息的数量、频次明显超过合理范围{% if explanation.detail %}（{{ explanation.detail }}）{% endif %}。\
根据《中华人民共和国政府信息公开条例》第三十五条的规定，请您于{{ explanation.deadline|cn_date }}前向本机关书面说明申请理由。

本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在《中华人民共和国政府信息公开条例》\
第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知您。

特此通知。""",
        "notes": _NOTES,
    },
    "delayed_answer": {
        "name": "延迟答复告知书（默认）",
        "title": "政府信息公开申请延迟答复告知书",
        "addressee": "{{ applicant_name }}",
        "body": """\
"""
        + _INTRO
        + """

经审查，您申请公开政府信息的数量、频次明显超过合理范围。本机关认为您的申请理由合理，但是无法在\
《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复{% if delay.reason %}（{{ delay.reason }}）{% endif %}。\
根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关确定延迟答复的合理期限，将于{{ delay.new_due|cn_date }}前向您作出答复。

特此告知。""",
        "notes": _NOTES,
    },
    "reply": {
        "name": "答复告知书（默认）",
        "title": "{% if answer.needs_answer_letter %}政府信息公开申请答复告知书{% else %}政府信息公开申请终止处理告知书{% endif %}",
        "addressee": "{{ applicant_name }}",
        "body": """\
"""
        + _INTRO
        + """现答复如下：

{{ answer.decision_text }}

{% for p in answer.extra_paragraphs %}{{ p }}

{% endfor %}{{ answer.remedy_text }}

特此告知。""",
        "notes": _NOTES,
    },
}


def install_default_templates(model=None, overwrite: bool = False) -> int:
    """Create (or, with ``overwrite``, reset) the platform defaults. Returns rows written.

    ``model`` lets a data migration pass its historical ``LetterTemplate`` model.
    """
    if model is None:
        from .models import LetterTemplate as model  # noqa: N813
    n = 0
    for kind, spec in DEFAULT_TEMPLATES.items():
        fields = dict(spec.items())
        fields.setdefault("doc_number", "{{ tracking_number }}")
        fields.setdefault("cc", "")
        existing = model.objects.filter(agency__isnull=True, kind=kind).first()
        if existing is None:
            model.objects.create(agency=None, kind=kind, active=True, **fields)
            n += 1
        elif overwrite:
            for k, v in fields.items():
                setattr(existing, k, v)
            existing.active = True
            existing.save()
            n += 1
    return n
