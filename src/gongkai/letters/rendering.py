"""Letter rendering: the template engine of the letters, the facts a letter template can use
(``CONTEXT_DOC``) and :class:`LetterError`. See :mod:`gongkai.letters.services`."""

from __future__ import annotations

import re
from functools import cache

from django.template import Context, Engine

from gongkai.core.official_doc import Letter
from gongkai.core.workdays import PROVISIONAL_NOTE

from .models import LetterTemplate

CONTEXT_DOC = """\
模板可用变量（Django 模板语法，日期可用 |cn_date 过滤器，金额可用 |yuan，序号可用 |cn_num）：
agency.name / agency.signature / agency.address / agency.postal_code / agency.phone / agency.email /
  agency.office_hours / agency.reconsideration_body（行政复议机关）/ agency.court（管辖人民法院）
applicant_name；applicant.name / applicant.type / applicant.type_label / applicant.postal_address /
  applicant.postal_code / applicant.email / applicant.phone / applicant.contact_person
tracking_number（受理编号）/ description（所需政府信息的描述）/
  received_date（收到申请之日）/ due_date（答复期限）/ issue_date（成文日期）/ channel_label /
  requested_form_label / delivery_method_label / handler_name
answer.key / answer.label / answer.row_label / answer.group / answer.legal_basis /
  answer.decision_text（答复决定）/ answer.remedy_text（救济途径）/ answer.reconsideration_first /
  answer.is_refusal / answer.needs_answer_letter / answer.extra_paragraphs
correction.matters（补正事项列表）/ correction.deadline / correction.guidance / correction.notice_due
extension.days / extension.reason / extension.original_due / extension.new_due
consultation.consultee / consultation.is_agency / consultation.subject / consultation.reply_due
explanation.deadline / explanation.detail（第三十五条说明理由）；delay.new_due / delay.reason（延迟答复）
fee.method / fee.method_label / fee.amount / fee.gross / fee.waived_amount / fee.waiver_reason /
  fee.lines（计费明细列表，含减免）/ fee.pieces（件数）/ fee.standard_text / fee.pay_by /
  fee.received_on / fee.receipt_presumed / fee.receipt_note（收到通知日期及推定说明）/
  fee.payment_method / fee.pauses_clock / fee.basis / fee.issued_on
extra（调用方传入的其他数据）"""

DELIVERY_ACCESS = {
    "email": "现将相关政府信息以电子邮件方式发送至您提供的电子邮箱。",
    "post": "现将相关政府信息邮寄至您提供的通信地址。",
    "pickup": "请您携带身份证明于工作时间到本机关领取相关政府信息。",
    "online": "您可以登录本平台，凭受理编号和查询码查阅、下载相关政府信息。",
    "fax": "现将相关政府信息以传真方式发送给您。",
}
DEFAULT_PAYMENT_METHOD = "本机关告知的非税收入缴款渠道"
MAX_EXTENSION_WORKDAYS = 20  # Art. 33 ¶2


class LetterError(ValueError):
    """The letter cannot be generated; ``errors`` are user-facing Chinese messages."""

    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


# ---------------------------------------------------------------------------------------------
# Template engine


# Final stops of the applicant's own text: the letter quotes it inside “…” and ends the sentence itself.
_FINAL_STOPS = "。．.！!；;，,、 \t\r\n\u3000"


def quoted_request(description: str | None) -> str:
    """The request as quoted in a letter, without the applicant's final stop: 「…安排。”。」 would
    otherwise end the sentence twice (GB/T 15834: no stop before the closing quote here)."""
    return (description or "").strip().rstrip(_FINAL_STOPS)


@cache
def _engine() -> Engine:
    return Engine(
        builtins=["gongkai.letters.templatetags.letters_cn"],
        autoescape=False,  # output is plain text; the renderers escape for HTML/DOCX themselves
        string_if_invalid="",
    )


def compile_template(text: str):
    """Compile letter template text (raises ``TemplateSyntaxError``)."""
    return _engine().from_string(text or "")


def _render(text: str, context: dict) -> str:
    return compile_template(text).render(Context(context, autoescape=False))


def _one_line(s: str) -> str:
    return "".join(line.strip() for line in s.splitlines()).strip()


def _paragraphs(s: str) -> list[str]:
    out = []
    for block in re.split(r"\n[ \t\u3000]*\n", s):
        p = _one_line(block)
        if p:
            out.append(p)
    return out


def render_letter(template: LetterTemplate, context: dict) -> Letter:
    """Render a template with a context into a :class:`~gongkai.core.official_doc.Letter`.

    A letter that states a provisional (暂定) date gets one explanatory note (附注)."""
    cc = _one_line(_render(template.cc, context))
    notes = [ln.strip() for ln in _render(template.notes, context).splitlines() if ln.strip()]
    body = _render(template.body, context)
    if "（暂定）" in body:
        notes.append(f"注：文中标注“暂定”的日期——{PROVISIONAL_NOTE}，如有变化本机关将另行告知。")
    return Letter(
        title=_one_line(_render(template.title, context)),
        doc_number=_one_line(_render(template.doc_number, context)),
        addressee=_one_line(_render(template.addressee, context)),
        paragraphs=_paragraphs(body),
        agency_name=context["agency"]["signature"],
        date=context["issue_date"],
        notes=notes,
        cc=[c.strip() for c in re.split(r"[、,，;；]", cc) if c.strip()],
    )
