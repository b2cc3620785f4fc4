"""The casework state machine (办理流程) of disclosure applications.

One table, :data:`TRANSITIONS`, declares every action: the states it may start from, the state it
leads to, the agency roles that may perform it, and the preconditions. :func:`transition` is the
single write path: in ONE transaction it locks the application row, checks state, role and
preconditions, applies the effects (clock inputs, answer, fee notice …), re-derives the answer
deadline through the working-day engine, appends an immutable :class:`ApplicationEvent` and, where
the procedure calls for a document, generates it through ``gongkai.letters``.

Flow (Regulation Arts. 30–36, Fee Measures)::

    registered ─accept─▶ in_handling
    registered / in_handling ─request_correction─▶ correction_requested
        ─receive_correction─▶ in_handling (answer clock restarts, Art. 30)
        ─deem_abandoned─▶ closed (other_no_correction) once the correction period has lapsed
    in_handling ─start_consultation─▶ consultation (clock stopped, Art. 33 ¶3) ─end_consultation─▶ in_handling
    in_handling ─request_extension─▶ extension_pending ─approve_extension (head, ≤ 20 WD)/reject_extension─▶ in_handling
    in_handling ─request_explanation─▶ in_handling (Art. 35: ask to explain excessive requests)
    in_handling ─set_delayed_answer (head)─▶ in_handling (Art. 35: reasonable delayed deadline replaces Art. 33's)
    in_handling ─issue_fee_notice─▶ fee_pending ─record_payment─▶ in_handling | ─fee_lapsed─▶ closed (other_fee_unpaid)
    in_handling ─draft_answer─▶ answer_drafted ─approve_review─▶ reviewed | ─return_for_revision─▶ in_handling
    reviewed ─answer─▶ answered ─deliver─▶ delivered ─archive─▶ archived
    any open state ─withdraw─▶ withdrawn (other_other)
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from gongkai.agencies import access
from gongkai.agencies.models import Role

from ..models import Application
from ..models import ApplicationState as S
from . import deadlines
from .events import APPLICANT_LABEL, append_event, check_attachments, store_attachments
from .workflow_base import (  # noqa: F401  (re-exported: the public names of the workflow)
    APPLICANT,
    OPEN,
    STAFF_ALL,
    Context,
    Transition,
    TransitionError,
    _date,
    _open_fee_notice,
    _today,
)
from .workflow_steps import (  # the checks and effects the table names
    _answer_roles,
    _apply_accept,
    _apply_answer,
    _apply_approve_extension,
    _apply_archive,
    _apply_assign_handler,
    _apply_deem_abandoned,
    _apply_deliver,
    _apply_draft_answer,
    _apply_end_consultation,
    _apply_fee_lapsed,
    _apply_issue_fee_notice,
    _apply_receive_correction,
    _apply_receive_explanation,
    _apply_record_payment,
    _apply_request_correction,
    _apply_request_explanation,
    _apply_request_extension,
    _apply_return_for_revision,
    _apply_set_delayed_answer,
    _apply_start_consultation,
    _apply_withdraw,
    _check_accept,
    _check_answer,
    _check_deem_abandoned,
    _check_deliver,
    _check_draft_answer,
    _check_fee_lapsed,
    _check_issue_fee_notice,
    _check_receive_correction,
    _check_receive_explanation,
    _check_record_payment,
    _check_request_correction,
    _check_request_extension,
    _check_start_consultation,
    correction_deadline_of,
)

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# The transition table

_T = Transition
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _T(
            "accept",
            "受理并分办",
            (S.REGISTERED,),
            S.IN_HANDLING,
            (Role.REGISTRAR, Role.HANDLER, Role.HEAD, Role.ADMIN),
            _check_accept,
            _apply_accept,
            basis="第四十五条",
        ),
        _T(
            "assign_handler",
            "指定承办人",
            OPEN,
            None,
            (Role.REGISTRAR, Role.HEAD, Role.ADMIN),
            None,
            _apply_assign_handler,
        ),
        _T(
            "request_correction",
            "告知补正",
            (S.REGISTERED, S.IN_HANDLING),
            S.CORRECTION_REQUESTED,
            (Role.HANDLER, Role.REGISTRAR),
            _check_request_correction,
            _apply_request_correction,
            basis="第三十条",
        ),
        _T(
            "receive_correction",
            "收到补正",
            (S.CORRECTION_REQUESTED,),
            S.IN_HANDLING,
            (Role.REGISTRAR, Role.HANDLER, APPLICANT),
            _check_receive_correction,
            _apply_receive_correction,
            basis="第三十条",
        ),
        _T(
            "deem_abandoned",
            "逾期未补正，视为放弃",
            (S.CORRECTION_REQUESTED,),
            S.CLOSED,
            (Role.HANDLER, Role.HEAD),
            _check_deem_abandoned,
            _apply_deem_abandoned,
            basis="第三十条",
        ),
        _T(
            "start_consultation",
            "征求意见",
            (S.IN_HANDLING,),
            S.CONSULTATION,
            (Role.HANDLER,),
            _check_start_consultation,
            _apply_start_consultation,
            basis="第三十二条、第三十四条",
        ),
        _T(
            "end_consultation",
            "征求意见结束",
            (S.CONSULTATION,),
            S.IN_HANDLING,
            (Role.HANDLER,),
            None,
            _apply_end_consultation,
            basis="第三十三条第三款",
        ),
        _T(
            "request_extension",
            "申请延期",
            (S.IN_HANDLING,),
            S.EXTENSION_PENDING,
            (Role.HANDLER,),
            _check_request_extension,
            _apply_request_extension,
            reason_required="请说明延期理由",
            basis="第三十三条",
        ),
        _T(
            "approve_extension",
            "批准延期",
            (S.EXTENSION_PENDING,),
            S.IN_HANDLING,
            (Role.HEAD,),
            None,
            _apply_approve_extension,
            reason_required="请填写同意延期的理由",
            basis="第三十三条",
        ),
        _T(
            "reject_extension",
            "不批准延期",
            (S.EXTENSION_PENDING,),
            S.IN_HANDLING,
            (Role.HEAD,),
            None,
            None,
            reason_required="请说明不批准延期的理由",
        ),
        _T(
            "request_explanation",
            "要求说明理由",
            (S.IN_HANDLING,),
            None,
            (Role.HANDLER,),
            None,
            _apply_request_explanation,
            reason_required="请说明申请数量、频次明显超过合理范围的情况",
            basis="第三十五条",
        ),
        _T(
            "receive_explanation",
            "收到申请人说明",
            (S.IN_HANDLING,),
            None,
            (Role.HANDLER, Role.REGISTRAR),
            _check_receive_explanation,
            _apply_receive_explanation,
            basis="第三十五条",
        ),
        _T(
            "set_delayed_answer",
            "确定延迟答复期限",
            (S.IN_HANDLING,),
            None,
            (Role.HEAD,),
            lambda ctx: "已确定过延迟答复期限" if ctx.app.delayed_due_date else None,
            _apply_set_delayed_answer,
            reason_required="请说明申请理由合理但无法按期答复的情况",
            basis="第三十五条",
        ),
        _T(
            "issue_fee_notice",
            "发出收费通知",
            (S.IN_HANDLING,),
            S.FEE_PENDING,
            (Role.HANDLER,),
            _check_issue_fee_notice,
            _apply_issue_fee_notice,
            basis="第四十二条、国办函〔2020〕109号",
        ),
        _T(
            "record_payment",
            "登记缴费",
            (S.FEE_PENDING,),
            S.IN_HANDLING,
            (Role.HANDLER, Role.REGISTRAR),
            _check_record_payment,
            _apply_record_payment,
        ),
        _T(
            "fee_lapsed",
            "逾期未缴费，不再处理",
            (S.FEE_PENDING,),
            S.CLOSED,
            (Role.HANDLER, Role.HEAD),
            _check_fee_lapsed,
            _apply_fee_lapsed,
            basis="国办函〔2020〕109号",
        ),
        _T(
            "draft_answer",
            "拟定答复",
            (S.IN_HANDLING,),
            S.ANSWER_DRAFTED,
            (Role.HANDLER,),
            _check_draft_answer,
            _apply_draft_answer,
            basis="第三十六条",
        ),
        _T("approve_review", "审核通过", (S.ANSWER_DRAFTED,), S.REVIEWED, (Role.REVIEWER,), None, None),
        _T(
            "return_for_revision",
            "退回修改",
            (S.ANSWER_DRAFTED,),
            S.IN_HANDLING,
            (Role.REVIEWER, Role.HEAD),
            None,
            _apply_return_for_revision,
            reason_required="请说明退回修改的理由",
        ),
        _T(
            "answer",
            "出具答复",
            (S.REVIEWED,),
            S.ANSWERED,
            (Role.REVIEWER, Role.HANDLER, Role.HEAD),
            _check_answer,
            _apply_answer,
            basis="第三十三条、第三十六条",
        ),
        _T(
            "deliver",
            "送达",
            (S.ANSWERED,),
            S.DELIVERED,
            (Role.REGISTRAR, Role.HANDLER),
            _check_deliver,
            _apply_deliver,
        ),
        _T(
            "archive",
            "归档",
            (S.DELIVERED,),
            S.ARCHIVED,
            (Role.REGISTRAR, Role.HANDLER, Role.ADMIN),
            None,
            _apply_archive,
            basis="第四十五条",
        ),
        _T(
            "withdraw",
            "撤回申请",
            OPEN,
            S.WITHDRAWN,
            (Role.REGISTRAR, APPLICANT),
            None,
            _apply_withdraw,
            reason_required="请说明撤回申请的情况（如申请人书面撤回）",
        ),
    )
}

ACTION_LABELS = {a: t.label for a, t in TRANSITIONS.items()}
STATE_LABELS = dict(S.choices)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, {"submit": "提交申请"}.get(action, action))


def _actor_roles(app: Application, actor) -> set[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {APPLICANT}
    return access.roles_in(actor, app.agency_id)


def _state_error(t: Transition, app: Application) -> str:
    cur = str(STATE_LABELS.get(app.state, app.state))
    return f"当前状态为“{cur}”，不能执行“{t.label}”"


def _role_error(t: Transition, app: Application, actor) -> str:
    if actor is None:
        return f"申请人不能执行“{t.label}”"
    labels = "、".join(str(dict(Role.choices).get(r, "申请人")) for r in t.roles)
    return f"您在{app.agency.name}没有执行“{t.label}”的权限（需要：{labels}）"


def transition(
    application: Application,
    action: str,
    actor,
    *,
    reason: str = "",
    effective_date=None,
    data: dict | None = None,
    attachments=(),
    origin: dict | None = None,
) -> Application:
    """Perform ``action`` on ``application`` as ``actor`` and return the refreshed application.

    ``origin`` (e.g. ``{"channel": "internet", "client_address": "203.0.113.5"}``) says where the
    action came from; it is recorded with the event (the portal passes it for applicant actions).

    ``actor=None`` is the applicant acting through the portal (only ``withdraw``; the caller must
    have verified the tracking number and query code). ``effective_date`` is the legally relevant
    date (default today; e.g. the day the correction arrived); it may not be in the future nor
    before the receipt date. ``data`` holds the action's facts (see the ``_apply_*`` functions).
    Raises :class:`TransitionError` (Chinese message) and leaves nothing changed when refused.
    """
    t = TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(f"未知的操作“{action}”", "unknown")
    data = dict(data or {})
    reason = (reason or "").strip()
    eff = _date(effective_date, "事件日期") or _today()
    if eff > _today():
        raise TransitionError("事件日期不能晚于今天", field="effective_date")
    files = list(attachments or ())
    errors = check_attachments(files)
    if errors:
        raise TransitionError("；".join(errors), "invalid", field="attachments")

    with deadlines.using_calendar(deadlines.get_calendar()), transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=application.pk)
        )
        roles = _actor_roles(app, actor)
        if app.state not in t.sources:
            raise TransitionError(_state_error(t, app), "state")
        if not t.allows_role(roles):
            raise TransitionError(_role_error(t, app, actor), "role")
        if eff < app.received_date:
            raise TransitionError("事件日期不能早于收到申请之日", field="effective_date")
        if t.reason_required and not reason:
            raise TransitionError(t.reason_required, "invalid", field="reason")
        ctx = Context(
            app=app, actor=actor, action=action, reason=reason, effective_date=eff, data=data, roles=roles
        )
        if t.check is not None:
            msg = t.check(ctx)
            if msg:
                raise TransitionError(msg, "precondition")
        from_state = app.state
        if t.apply is not None:
            t.apply(ctx)
        if t.target is not None:
            app.state = t.target
        before = (app.due_date, app.due_date_error, app.due_date_provisional)
        deadlines.rederive(app, save=False)
        if (app.due_date, app.due_date_error, app.due_date_provisional) != before or action in (
            "approve_extension",
            "receive_correction",
        ):
            ctx.event_data["due_date"] = app.due_date
            if app.due_date_provisional:
                ctx.event_data["due_date_provisional"] = True
            if app.due_date_error:
                ctx.event_data["due_date_error"] = app.due_date_error
        app.save()
        if origin:
            ctx.event_data.update(origin)
        event = append_event(
            app,
            action,
            from_state=from_state,
            to_state=app.state,
            actor=actor if roles != {APPLICANT} else None,
            actor_label=APPLICANT_LABEL if roles == {APPLICANT} else "",
            reason=reason,
            effective_date=eff,
            data=ctx.event_data,
        )
        if files:
            store_attachments(app, files, event=event, actor=actor if roles != {APPLICANT} else None)
        for kind, extra in ctx.letters:
            _generate_letter(app, kind, actor, dict(extra, issue_date=eff))
    app.refresh_from_db()
    return app


def _generate_letter(app: Application, kind: str, actor, extra: dict) -> None:
    """Generate the procedural document through ``gongkai.letters`` (inside the transition's
    transaction: a letter that cannot be produced refuses the transition)."""
    try:
        from gongkai.letters.services import LetterError, generate_document
    except ImportError:
        logger.info("letters app has no generate_document; %s letter for %s not generated", kind, app)
        return
    try:
        generate_document(app, kind, actor if getattr(actor, "pk", None) else None, extra=extra)
    except LetterError as exc:
        errors = getattr(exc, "errors", None) or [str(exc)]
        raise TransitionError("文书生成失败：" + "；".join(errors), "precondition") from None


def withdraw_by_applicant(
    tracking_number: str, query_code: str, reason: str = "申请人通过网上平台撤回申请"
) -> Application:
    """Portal helper: withdraw an open application after verifying tracking number + query code."""
    from .intake import find_by_tracking

    app = find_by_tracking(tracking_number, query_code)
    if app is None:
        raise TransitionError("受理编号或查询码不正确", "invalid")
    return transition(app, "withdraw", None, reason=reason or "申请人撤回申请")


def _cheap_check_ok(t: Transition, app: Application, roles: set[str], today: dt.date) -> bool:
    """Preconditions that can be judged without input (used to hide buttons that would fail)."""
    if t.action == "deem_abandoned":
        deadline = correction_deadline_of(app)
        return deadline is not None and today > deadline
    if t.action == "request_correction":
        return app.correction_requested_on is None
    if t.action == "request_extension":
        return not app.extension_days and not app.delayed_due_date
    if t.action == "set_delayed_answer":
        return not app.delayed_due_date
    if t.action == "receive_explanation":
        requested = getattr(app, "explanation_requested", None)  # annotated by list queries
        if requested is None:
            requested = app.events.filter(action="request_explanation").exists()
        return requested
    if t.action in ("record_payment", "fee_lapsed"):
        notice = _open_fee_notice(app)
        if notice is None:
            return False
        return today <= notice.pay_by if t.action == "record_payment" else today > notice.pay_by
    if t.action == "answer":
        return bool(roles & set(_answer_roles(app)))
    return True


def allowed_actions(application: Application, user) -> list[str]:
    """Actions ``user`` may perform on ``application`` now (table order), for buttons in the UI.

    ``user=None`` = the applicant on the portal. Supervisors and members of other agencies get [].
    """
    roles = _actor_roles(application, user)
    if not roles:
        return []
    today = _today()
    out = []
    for t in TRANSITIONS.values():
        if (
            application.state in t.sources
            and t.allows_role(roles)
            and _cheap_check_ok(t, application, roles, today)
        ):
            out.append(t.action)
    return out


def transition_table() -> list[dict]:
    """The table as data (for docs, the API and the demo replay test)."""
    return [
        {
            "action": t.action,
            "label": t.label,
            "from": [str(s) for s in t.sources],
            "to": str(t.target) if t.target else None,
            "roles": [str(r) for r in t.roles],
            "reason_required": bool(t.reason_required),
            "basis": t.basis,
        }
        for t in TRANSITIONS.values()
    ]
