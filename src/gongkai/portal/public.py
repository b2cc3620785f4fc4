"""What the public may see of an application: a staff-free timeline and the letters sent.

The public timeline shows only events that concern the applicant, with a fixed Chinese wording:
no staff names, no internal reasons, no drafts or internal reviews.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from gongkai.applications.models import Application, ApplicationState
from gongkai.files import protected_response

# action -> wording shown to the applicant. Anything not listed (assignments, drafts, reviews,
# extension requests awaiting approval, notes) stays internal.
PUBLIC_EVENTS = {
    "submit": "申请已提交并登记",
    "accept": "申请已受理，正在办理",
    "request_correction": "机关已告知需要补正申请内容",
    "receive_correction": "机关已收到补正材料，答复期限重新计算",
    "deem_abandoned": "逾期未补正，视为放弃申请",
    "start_consultation": "机关正在征求第三方或其他机关意见（所需时间不计入答复期限）",
    "end_consultation": "征求意见结束，恢复计算答复期限",
    "approve_extension": "答复期限已依法延长",
    "issue_fee_notice": "机关已发出收费通知",
    "record_payment": "已收到信息处理费",
    "fee_lapsed": "逾期未缴纳信息处理费，视为放弃申请",
    "answer": "机关已作出答复",
    "deliver": "答复已送达",
    "archive": "办理完毕，已归档",
    "withdraw": "申请人已撤回申请",
}


@dataclass(frozen=True)
class PublicEvent:
    at: object
    effective_date: object
    text: str


def public_timeline(app: Application) -> list[PublicEvent]:
    out = []
    for ev in app.events.order_by("seq"):
        text = PUBLIC_EVENTS.get(ev.action)
        if text:
            out.append(PublicEvent(at=ev.at, effective_date=ev.effective_date, text=text))
    return out


# Letters addressed to the applicant. The consultation letter (征求意见函) goes to a third party or
# another agency and is never shown on the portal.
PUBLIC_DOCUMENT_KINDS = ("receipt", "correction", "extension", "fee_notice", "reply")


def generated_documents(app: Application, *, public: bool = False) -> list:
    """Generated letters (docx/pdf) of the application, oldest first.

    ``public=True`` keeps only the letters addressed to the applicant.
    """
    from gongkai.letters.models import GeneratedDocument

    qs = GeneratedDocument.objects.filter(application=app).order_by("created_at", "pk")
    if public:
        qs = qs.filter(kind__in=PUBLIC_DOCUMENT_KINDS)
    return list(qs)


def state_label(app: Application) -> str:
    return ApplicationState(app.state).label if app.state in ApplicationState.values else app.state


# Plain-language explanation of each state for the applicant.
STATE_HELP = {
    ApplicationState.REGISTERED: "您的申请已登记，正在等待办理。",
    ApplicationState.CORRECTION_REQUESTED: "申请内容需要补正，请按照机关发出的补正告知书在补正期限内补正（可在本页提交）。逾期无正当理由不补正的，视为放弃申请。",
    ApplicationState.IN_HANDLING: "机关正在办理您的申请。",
    ApplicationState.CONSULTATION: "机关正在征求第三方或其他机关的意见，所需时间不计算在答复期限内。",
    ApplicationState.EXTENSION_PENDING: "机关正在办理您的申请。",
    ApplicationState.FEE_PENDING: "请按收费通知的要求缴纳信息处理费。逾期未缴纳的，视为放弃申请。",
    ApplicationState.ANSWER_DRAFTED: "机关正在办理您的申请。",
    ApplicationState.REVIEWED: "机关正在办理您的申请。",
    ApplicationState.ANSWERED: "机关已作出答复，请下载答复文书。",
    ApplicationState.DELIVERED: "答复已送达。",
    ApplicationState.ARCHIVED: "办理完毕。",
    ApplicationState.CLOSED: "该申请已终止办理。",
    ApplicationState.WITHDRAWN: "您已撤回该申请。",
}


def correction_items(app: Application) -> str:
    """需要补正的事项 as told to the applicant (from the correction notice event)."""
    if app.state != ApplicationState.CORRECTION_REQUESTED:
        return ""
    ev = app.events.filter(action="request_correction").order_by("-seq").first()
    return str((ev.data or {}).get("items") or "") if ev else ""


# States the public sees with a neutral label (internal steps are not disclosed).
PUBLIC_STATE_LABEL = {
    ApplicationState.EXTENSION_PENDING: ApplicationState.IN_HANDLING.label,
    ApplicationState.ANSWER_DRAFTED: ApplicationState.IN_HANDLING.label,
    ApplicationState.REVIEWED: ApplicationState.IN_HANDLING.label,
}


def due_note(app: Application) -> str:
    """Why there is no answer deadline to show (clock stopped, restarting, or calendar missing)."""
    if app.due_date is not None:
        return ""
    if app.state == ApplicationState.CORRECTION_REQUESTED:
        return "待补正，答复期限自机关收到补正之日起重新计算"
    if app.state == ApplicationState.CONSULTATION:
        return "征求意见期间暂停计算答复期限"
    if app.state == ApplicationState.FEE_PENDING:
        return "待缴费期间暂停计算答复期限"
    if app.due_date_error:  # calendar not entered (provisional calendar switched off): no admin text here
        return "答复期限将在相关年度节假日安排公布后确定（法定期限为收到申请之日起20个工作日）"
    return "待计算"


def public_state_label(app: Application) -> str:
    return str(PUBLIC_STATE_LABEL.get(app.state, state_label(app)))


def document_file(doc, fmt: str):
    """The FieldFile of a generated document in ``fmt`` ("pdf" or "docx"), or None."""
    if fmt not in ("pdf", "docx"):
        return None
    f = getattr(doc, fmt, None)
    return f if f else None


def document_formats(doc) -> list[str]:
    return [fmt for fmt in ("pdf", "docx") if document_file(doc, fmt)]


def document_title(doc) -> str:
    return doc.title or str(doc.get_kind_display())


def document_response(doc, fmt: str):
    if fmt not in ("pdf", "docx"):
        raise Http404("未找到文书")
    f = document_file(doc, fmt)
    if not f:
        raise Http404("未找到文书")
    name = f"{document_title(doc)}.{fmt}"
    ctype = mimetypes.types_map.get(f".{fmt}") or (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    return protected_response(f, filename=name, content_type=ctype)


def document_rows(docs, url_name: str) -> list[dict]:
    """Template rows: title, date and one download link per available format."""
    rows = []
    for d in docs:
        links = [(fmt.upper(), reverse(url_name, args=[d.pk, fmt])) for fmt in document_formats(d)]
        rows.append(
            {
                "doc": d,
                "title": document_title(d),
                "created": d.created_at,
                "issued": d.issue_date,
                "links": links,
            }
        )
    return rows
