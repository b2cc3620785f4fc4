"""The case page (案件办理): details, clock, timeline, documents, and the allowed action forms."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.applications.models import ApplicationState, Attachment, Channel
from gongkai.applications.services import personal_data, workflow
from gongkai.applications.services.events import PORTAL_DOWNLOAD_ACTION
from gongkai.applications.services.query_codes import REISSUE_ACTION, REISSUE_LABEL, can_reissue
from gongkai.files import protected_response
from gongkai.letters.models import GeneratedDocument
from gongkai.letters.services import LetterError
from gongkai.portal import public

from .. import actions as action_forms
from .. import clock, hooks
from ..clock import clock_for
from ..forms import handler_choices, user_label
from .common import get_visible_application

logger = logging.getLogger(__name__)


def allowed_action_keys(app, user) -> list[tuple[str, str]]:
    """``[(key, label)]`` of the actions the workflow allows ``user`` on ``app`` now."""
    return [(key, event_label(key)) for key in workflow.allowed_actions(app, user)]


# Events outside the transition table (no state change).
OTHER_EVENT_LABELS = {
    REISSUE_ACTION: REISSUE_LABEL,
    PORTAL_DOWNLOAD_ACTION: "申请人下载文书",
}


def event_label(action: str) -> str:
    """Chinese label of an action from the workflow table (fallback: the workbench's own)."""
    if action in OTHER_EVENT_LABELS:
        return OTHER_EVENT_LABELS[action]
    label = workflow.action_label(action)
    if label and label != action:
        return str(label)
    return action_forms.action_label(action, public.PUBLIC_EVENTS.get(action, action))


def state_label(value: str) -> str:
    if value in ApplicationState.values:
        return str(ApplicationState(value).label)
    return value or ""


DATA_LABELS = {
    "items": "补正事项",
    "deadline": "补正期限",
    "days": "延长工作日数",
    "party": "征求意见对象",
    "reply_due": "意见答复期限",
    "opinion": "意见",
    "amount": "金额（元）",
    "pay_by": "缴费期限",
    "outcome": "办理结果",
    "due_date": "答复期限",
    "due_date_error": "期限提示",
    "evidence": "送达凭证",
    "warning": "提示",
    "delivery_label": "交付方式",
    "email": "电子邮箱",
    "channel": "渠道",
    "client_address": "来源地址",
}
OPINIONS = {"agree": "同意公开", "disagree": "不同意公开", "no_reply": "逾期未提出意见"}


def event_facts(data: dict) -> list[tuple[str, str]]:
    from gongkai.applications.models import OUTCOME_CHOICES

    outcomes = dict(OUTCOME_CHOICES)
    out = []
    for key, label in DATA_LABELS.items():
        v = (data or {}).get(key)
        if v in (None, "", [], {}):
            continue
        if key == "outcome":
            v = outcomes.get(v, v)
        elif key == "channel":
            v = Channel(v).label if v in Channel.values else v
        elif key == "opinion":
            v = OPINIONS.get(v, v)
        elif key == "items":
            continue  # the items are the event's reason text
        out.append((label, str(v)))
    return out


def timeline(app):
    rows = []
    for ev in app.events.select_related("actor").prefetch_related("attachments").order_by("seq"):
        rows.append(
            {
                "ev": ev,
                "action": event_label(ev.action),
                "actor": user_label(ev.actor) if ev.actor_id else (ev.actor_label or "系统"),
                "from": state_label(ev.from_state),
                "to": state_label(ev.to_state),
                "facts": event_facts(ev.data),
                "attachments": list(ev.attachments.all()),
            }
        )
    return rows


def pauses(app):
    out = []
    for p in app.pauses or []:
        start = p[0] if len(p) > 0 else None
        end = p[1] if len(p) > 1 else None
        out.append({"start": start, "end": end})
    return out


def render_case(request, app, forms_by_key=None, status=200, *, person=None, revealed=False):
    """The case page; the applicant's personal data masked unless ``person`` (the full values of
    a logged reveal) is given."""
    from gongkai.letters.services import provisional_letters

    forms_by_key = forms_by_key or {}
    handlers = handler_choices([app.agency_id])
    allowed = allowed_action_keys(app, request.user)
    action_list = []
    for key, label in allowed:
        form = forms_by_key.get(key) or action_forms.form_for(key, handlers=handlers)
        action_list.append({"key": key, "label": label, "form": form, "open": key in forms_by_key})
    docs = public.generated_documents(app)
    ctx = {
        "app": app,
        "clock": clock_for(app, clock.today()),
        "timeline": timeline(app),
        "pauses": pauses(app),
        "documents": public.document_rows(docs, "workbench:document"),
        "provisional_letters": provisional_letters(app),
        "attachments": list(app.attachments.filter(event__isnull=True).order_by("pk"))
        + list(app.attachments.filter(event__action="submit").order_by("pk")),
        "actions": action_list,
        "fee_notices": list(app.fee_notices.all()),
        "answer_rows": action_forms.answer_basis_rows(),
        "answer_basis_map": action_forms.answer_basis_map(),
        "answer_fact_map": action_forms.answer_fact_map(),
        "answer_fact_fields": [
            "fact_reason" if n == "reason" else n for n in action_forms.ANSWER_FACT_FIELDS
        ],
        "outcome_label": app.get_outcome_display() if app.outcome else "",
        "extra_sections": hooks.sections_for(request, app),
        "can_reissue": can_reissue(request.user, app),
        "person": person or personal_data.masked(app),
        "revealed": revealed,
        "can_reveal": personal_data.may_reveal(request.user, app),
    }
    return render(request, "workbench/case.html", ctx, status=status)


@login_required
def case_detail(request, pk: int):
    app = get_visible_application(request.user, pk)
    return render_case(request, app)


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    app = get_visible_application(request.user, pk)
    allowed = dict(allowed_action_keys(app, request.user))
    if action not in allowed:
        messages.error(request, "该操作当前不可执行（状态已变化或您无此权限），请刷新后重试。")
        return redirect("workbench:case", pk=app.pk)
    form = action_forms.form_for(
        action, request.POST, request.FILES, handlers=handler_choices([app.agency_id])
    )
    if form.is_valid():
        try:
            workflow.transition(app, action, request.user, **form.transition_kwargs())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    for msg in errs:
                        form.add_error(field if field in form.fields else None, msg)
            else:
                for msg in exc.messages:
                    form.add_error(None, msg)
        except workflow.TransitionError as exc:
            field = getattr(exc, "field", None)
            form.add_error(field if field in form.fields else None, exc.message)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "该操作不能执行")
        except LetterError as exc:  # the document could not be generated: the whole action rolled back
            for msg in exc.errors:
                form.add_error(None, f"文书生成失败：{msg}")
        else:
            logger.info("case %s: action %s by user %s", app.pk, action, request.user.pk)
            messages.success(request, f"已完成：{allowed[action]}")
            return redirect("workbench:case", pk=app.pk)
    app.refresh_from_db()
    return render_case(request, app, {action: form}, status=400)


@login_required
def case_document(request, pk: int, fmt: str):
    """Download a generated document of a case the user may see."""
    doc = GeneratedDocument.objects.filter(pk=pk).first()
    if doc is None:
        raise Http404("未找到文书")
    get_visible_application(request.user, doc.application_id)
    return public.document_response(doc, fmt)


@login_required
def case_attachment(request, pk: int):
    """Download an attachment of a case the user may see."""
    att = Attachment.objects.filter(pk=pk).first()
    if att is None:
        raise Http404("未找到附件")
    get_visible_application(request.user, att.application_id)
    return protected_response(att.file, filename=att.original_name, content_type=att.content_type)
