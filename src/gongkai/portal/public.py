"""What the public may see of an application: a staff-free timeline and the letters sent.

The public timeline shows only events that concern the applicant, with a fixed Chinese wording:
no staff names, no internal reasons, no drafts or internal reviews.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass

from django.http import FileResponse, Http404
from django.urls import reverse

from gongkai.applications.models import Application, ApplicationState

# action -> wording shown to the applicant. Anything not listed (assignments, drafts, reviews,
# extension requests awaiting approval, notes) stays internal.
PUBLIC_EVENTS = {
    "submit": "申请已提交并登记",
    "register": "申请已登记",
    "confirm_receipt": "机关已确认收到申请",
    "request_correction": "机关已告知需要补正申请内容",
    "receive_correction": "机关已收到补正材料，答复期限重新计算",
    "correction_lapsed": "逾期未补正，视为放弃申请",
    "start_consultation": "机关正在征求第三方或其他机关意见（所需时间不计入答复期限）",
    "end_consultation": "征求意见结束，恢复计算答复期限",
    "approve_extension": "答复期限已依法延长",
    "issue_fee_notice": "机关已发出收费通知",
    "record_payment": "已收到信息处理费",
    "waive_fee": "信息处理费已减免",
    "fee_lapsed": "逾期未缴纳信息处理费，视为放弃申请",
    "answer": "机关已作出答复",
    "deliver": "答复已送达",
    "archive": "办理完毕，已归档",
    "close": "申请已终止办理",
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


def generated_documents(app: Application, *, public: bool = False) -> list:
    """Generated letters (docx/pdf) of the application, oldest first.

    ``public=True`` keeps only documents meant for the applicant (final letters, not drafts).
    """
    try:
        from gongkai.letters.models import GeneratedDocument
    except ImportError:  # letters app without models (documents not generated in this install)
        return []
    qs = GeneratedDocument.objects.filter(application=app).order_by("pk")
    docs = list(qs)
    if public:
        docs = [d for d in docs if is_public_document(d)]
    return docs


def is_public_document(doc) -> bool:
    """A document the applicant may download: issued (not a draft, not an internal form)."""
    for attr in ("is_draft", "draft"):
        if getattr(doc, attr, False):
            return False
    status = getattr(doc, "status", "")
    if status and status in ("draft", "superseded", "void"):
        return False
    if getattr(doc, "internal", False) or getattr(doc, "is_internal", False):
        return False
    return True


def state_label(app: Application) -> str:
    return ApplicationState(app.state).label if app.state in ApplicationState.values else app.state


# Plain-language explanation of each state for the applicant.
STATE_HELP = {
    ApplicationState.REGISTERED: "您的申请已登记，正在等待办理。",
    ApplicationState.CORRECTION_REQUESTED: "申请内容需要补正，请按照机关发出的补正告知书在期限内补正。逾期无正当理由不补正的，视为放弃申请。",
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

# States the public sees with a neutral label (internal steps are not disclosed).
PUBLIC_STATE_LABEL = {
    ApplicationState.EXTENSION_PENDING: ApplicationState.IN_HANDLING.label,
    ApplicationState.ANSWER_DRAFTED: ApplicationState.IN_HANDLING.label,
    ApplicationState.REVIEWED: ApplicationState.IN_HANDLING.label,
}


def public_state_label(app: Application) -> str:
    return str(PUBLIC_STATE_LABEL.get(app.state, state_label(app)))


def document_file(doc, fmt: str):
    """The FieldFile of a generated document in ``fmt`` ("pdf" or "docx"), or None."""
    for attr in (f"{fmt}_file", fmt, f"file_{fmt}"):
        f = getattr(doc, attr, None)
        if f:
            return f
    f = getattr(doc, "file", None)
    if f and os.path.splitext(f.name)[1].lower() == f".{fmt}":
        return f
    return None


def document_formats(doc) -> list[str]:
    return [fmt for fmt in ("pdf", "docx") if document_file(doc, fmt)]


def document_title(doc) -> str:
    for attr in ("title", "name", "label"):
        v = getattr(doc, attr, None)
        if v:
            return str(v)
    get_kind = getattr(doc, "get_kind_display", None)
    return str(get_kind()) if get_kind else str(doc)


def document_response(doc, fmt: str):
    if fmt not in ("pdf", "docx"):
        raise Http404("未找到文书")
    f = document_file(doc, fmt)
    if not f:
        raise Http404("未找到文书")
    name = f"{document_title(doc)}.{fmt}"
    ctype = mimetypes.types_map.get(f".{fmt}") or (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" if fmt == "docx" else "application/pdf"
    )
    return FileResponse(f.open("rb"), as_attachment=True, filename=name, content_type=ctype)


def document_rows(docs, url_name: str) -> list[dict]:
    """Template rows: title, date and one download link per available format."""
    rows = []
    for d in docs:
        links = [(fmt.upper(), reverse(url_name, args=[d.pk, fmt])) for fmt in document_formats(d)]
        created = getattr(d, "created_at", None) or getattr(d, "generated_at", None)
        rows.append({"doc": d, "title": document_title(d), "created": created, "links": links})
    return rows
