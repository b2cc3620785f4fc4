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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Role
from gongkai.core import answers as core_answers
from gongkai.core import fees as core_fees
from gongkai.core.workdays import CalendarNotCovered

from ..models import OPEN_STATES, Application, ApplicationEvent, FeeNotice
from ..models import ApplicationState as S
from . import deadlines
from . import fees as fee_glue
from .events import APPLICANT_LABEL, append_event, check_attachments, store_attachments
from .intake import to_date

logger = logging.getLogger(__name__)

APPLICANT = "applicant"  # pseudo-role: the applicant acting through the portal (actor=None)


class TransitionError(Exception):
    """An action that may not be performed; ``message`` is Chinese and meant for the user.

    ``code``: ``state`` (not allowed in the current state), ``role`` (the actor lacks the role),
    ``precondition`` (a legal/procedural condition is not met), ``invalid`` (bad input),
    ``unknown`` (no such action).
    """

    def __init__(self, message: str, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass
class Context:
    """What an action's checks and effects see."""

    app: Application
    actor: object | None
    action: str
    reason: str
    effective_date: dt.date
    data: dict
    roles: set[str]
    event_data: dict = field(default_factory=dict)
    letters: list[tuple[str, dict]] = field(default_factory=list)  # (kind, extra) to generate


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Chinese button / timeline label
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    roles: tuple[str, ...]
    check: Callable[[Context], str | None] | None = None  # Chinese message if refused
    apply: Callable[[Context], None] | None = None
    reason_required: str = ""  # Chinese message when a reason is mandatory
    basis: str = ""  # legal basis shown in the UI / docs

    def allows_role(self, roles: set[str]) -> bool:
        return bool(roles & set(self.roles))


OPEN = tuple(OPEN_STATES)
STAFF_ALL = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN)


def _today() -> dt.date:
    return timezone.localdate()


def _date(value, name: str = "日期") -> dt.date | None:
    try:
        return to_date(value)
    except ValueError:
        raise TransitionError(f"{name}格式不正确，应为 YYYY-MM-DD", "invalid") from None


def _calendar():
    return deadlines.get_calendar()


def _add_workdays(start: dt.date, n: int) -> dt.date:
    try:
        return deadlines.add_workdays(start, n)
    except CalendarNotCovered as exc:
        raise TransitionError(str(exc), "precondition") from None


# ---------------------------------------------------------------------------------------------
# Checks and effects, one group per action


def _check_request_correction(ctx: Context) -> str | None:
    if ctx.app.correction_requested_on is not None:
        return "补正告知应当一次性作出（第三十条），本申请已告知过补正"
    items = str(ctx.data.get("items") or ctx.reason or "").strip()
    if not items:
        return "请说明需要补正的事项"
    return None


def _apply_request_correction(ctx: Context) -> None:
    app = ctx.app
    try:
        notice_due = deadlines.correction_notice_deadline(app)
    except CalendarNotCovered as exc:
        notice_due = None
        ctx.event_data["warning"] = str(exc)
    if notice_due is not None and ctx.effective_date > notice_due:
        ctx.event_data["warning"] = (
            f"补正告知应当自收到申请之日起7个工作日内作出（第三十条），期限为{notice_due:%Y年%m月%d日}，本次告知已逾期"
        )
    deadline = _date(ctx.data.get("deadline"), "补正期限")
    if deadline is None:
        try:
            days = int(ctx.data.get("period_workdays") or 15)
        except (TypeError, ValueError):
            raise TransitionError("补正期限（工作日数）须为正整数") from None
        if days < 1:
            raise TransitionError("补正期限（工作日数）须为正整数")
        deadline = _add_workdays(ctx.effective_date, days)
    if deadline <= ctx.effective_date:
        raise TransitionError("补正期限应晚于补正告知日期", field="deadline")
    app.correction_requested_on = ctx.effective_date
    app.correction_deadline = deadline
    items = str(ctx.data.get("items") or ctx.reason).strip()
    guidance = str(ctx.data.get("guidance") or "").strip()  # 指导和释明 (Art. 30)
    _ensure_handler(ctx)
    ctx.event_data.update({"items": items, "deadline": deadline, "notice_due": notice_due})
    if guidance:
        ctx.event_data["guidance"] = guidance
    ctx.letters.append(("correction", {"items": items, "deadline": deadline, "guidance": guidance}))


def _check_receive_correction(ctx: Context) -> str | None:
    if ctx.effective_date < (ctx.app.correction_requested_on or ctx.app.received_date):
        return "收到补正的日期不能早于补正告知日期"
    return None


def _ensure_handler(ctx: Context) -> None:
    """Every path into 办理中 leaves a responsible handler (承办人): the one chosen in ``data``,
    else the one already assigned, else the acting staff member if a handler; else refused."""
    user = _handler_from(ctx)
    if user is None and ctx.app.handler_id is not None:
        return
    if user is None and Role.HANDLER in ctx.roles:
        user = ctx.actor
    if user is None:
        raise TransitionError("请指定承办人（本申请尚未分配承办人）", "invalid", field="handler")
    ctx.app.handler = user
    ctx.event_data["handler"] = user.pk


def _apply_receive_correction(ctx: Context) -> None:
    if ctx.actor is not None:
        _ensure_handler(ctx)
    elif ctx.app.handler_id is None:  # applicant online: the case waits for the registrar
        ctx.event_data["warning"] = "本申请尚未分配承办人"
    text = str(ctx.data.get("text") or "").strip()
    if text:
        ctx.event_data["text"] = text
    ctx.app.correction_received_on = ctx.effective_date
    if ctx.app.correction_deadline and ctx.effective_date > ctx.app.correction_deadline:
        ctx.event_data["warning"] = "申请人在补正期限届满后提交补正，请在理由中说明是否有正当理由"


def correction_deadline_of(app: Application) -> dt.date | None:
    """The correction period's last day: the field, else the request_correction event's data."""
    if app.correction_deadline:
        return app.correction_deadline
    ev = app.events.filter(action="request_correction").order_by("-seq").first() if app.pk else None
    raw = (ev.data or {}).get("deadline") if ev else None
    try:
        return dt.date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def _check_deem_abandoned(ctx: Context) -> str | None:
    deadline = correction_deadline_of(ctx.app)
    if deadline is None:
        return "未记录补正期限，无法认定视为放弃申请"
    if ctx.effective_date <= deadline:
        return f"补正期限（{deadline:%Y年%m月%d日}）尚未届满，不能视为放弃申请"
    return None


def _close(ctx: Context, outcome: str) -> None:
    ctx.app.outcome = outcome
    ctx.app.closed_on = ctx.effective_date


def _apply_deem_abandoned(ctx: Context) -> None:
    _close(ctx, "other_no_correction")
    ctx.letters.append(("reply", {}))  # 终止处理告知书 (Art. 30: 视为放弃申请)


def _check_accept(ctx: Context) -> str | None:
    return None


def _handler_from(ctx: Context):
    value = ctx.data.get("handler")
    if value in (None, ""):
        return None
    User = get_user_model()
    uid = getattr(value, "pk", value)
    try:
        user = User.objects.get(pk=uid)
    except (User.DoesNotExist, ValueError, TypeError):
        raise TransitionError("指定的承办人不存在", field="handler") from None
    if not access.has_role(user, ctx.app.agency_id, Role.HANDLER):
        raise TransitionError("指定的承办人不是本机关的承办人", field="handler")
    return user


def _apply_accept(ctx: Context) -> None:
    user = _handler_from(ctx)
    if user is None and Role.HANDLER in ctx.roles and ctx.app.handler_id is None:
        user = ctx.actor
    if user is not None:
        ctx.app.handler = user
        ctx.event_data["handler"] = user.pk


def _apply_assign_handler(ctx: Context) -> None:
    user = _handler_from(ctx)
    if user is None:
        raise TransitionError("请指定承办人", field="handler")
    ctx.app.handler = user
    ctx.event_data["handler"] = user.pk


def _open_pause(ctx: Context, kind: str) -> None:
    pauses = [list(p) for p in (ctx.app.pauses or [])]
    pauses.append([ctx.effective_date.isoformat(), None])
    ctx.app.pauses = pauses
    ctx.event_data["pause"] = kind


def _close_pause(ctx: Context) -> None:
    pauses = [list(p) for p in (ctx.app.pauses or [])]
    if pauses and pauses[-1][1] is None:
        start = dt.date.fromisoformat(pauses[-1][0])
        if ctx.effective_date < start:
            raise TransitionError(
                f"结束日期不能早于暂停计时开始日期（{start:%Y年%m月%d日}）", field="effective_date"
            )
        pauses[-1] = [pauses[-1][0], ctx.effective_date.isoformat()]
        ctx.app.pauses = pauses


def _expired_message(ctx: Context, what: str) -> str | None:
    """Art. 33 ¶3 excludes time from a RUNNING period: once the deadline has passed nothing can
    pause it (the case stays overdue everywhere)."""
    due = ctx.app.due_date
    if due is not None and ctx.effective_date > due:
        return f"答复期限已于{due:%Y年%m月%d日}届满，期限届满后{what}不能暂停计时（第三十三条第三款），本申请仍为已超期"
    return None


def _check_start_consultation(ctx: Context) -> str | None:
    if not str(ctx.data.get("party") or "").strip():
        return "请填写被征求意见的第三方或行政机关"
    return _expired_message(ctx, "征求意见")


def _apply_start_consultation(ctx: Context) -> None:
    party = str(ctx.data.get("party")).strip()
    kind = ctx.data.get("kind") or "third_party"  # third_party (Art. 32) | agency (Art. 34)
    if kind not in ("third_party", "agency"):
        raise TransitionError("征求意见对象类型应为第三方或其他行政机关", field="kind")
    _open_pause(ctx, "consultation")
    reply_due = None
    try:
        reply_due = deadlines.core_deadlines.consultation_reply_due(_calendar(), ctx.effective_date)
    except CalendarNotCovered as exc:
        ctx.event_data["warning"] = str(exc)
    ctx.event_data.update({"party": party, "kind": kind, "reply_due": reply_due})
    ctx.letters.append(("consultation", {"party": party, "kind": kind, "reply_due": reply_due}))


def _apply_end_consultation(ctx: Context) -> None:
    _close_pause(ctx)
    opinion = str(ctx.data.get("opinion") or "").strip()
    if opinion:
        ctx.event_data["opinion"] = opinion


def _requested_days(ctx: Context, default: int | None = None) -> int:
    raw = ctx.data.get("days", default)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise TransitionError("请填写延长的工作日数", field="days") from None
    if not 1 <= days <= deadlines.MAX_EXTENSION_WORKDAYS:
        raise TransitionError("延长的期限最长不得超过20个工作日（第三十三条）", field="days")
    return days


def _check_request_extension(ctx: Context) -> str | None:
    if ctx.app.extension_days:
        return "本申请已经延长过答复期限，延长的期限最长不得超过20个工作日"
    if ctx.app.delayed_due_date:
        return "本申请已依第三十五条确定延迟答复期限"
    return None


def _apply_request_extension(ctx: Context) -> None:
    ctx.event_data["days"] = _requested_days(ctx, deadlines.MAX_EXTENSION_WORKDAYS)
    due = ctx.app.due_date
    if due is not None and ctx.effective_date > due:
        ctx.event_data["warning"] = f"答复期限（{due:%Y年%m月%d日}）已过，延期申请应在期限届满前提出"


def _apply_request_explanation(ctx: Context) -> None:
    deadline = _date(ctx.data.get("deadline"), "说明理由期限")
    if deadline is None or deadline <= ctx.effective_date:
        raise TransitionError("请确定晚于告知日期的说明理由期限", field="deadline")
    detail = str(ctx.data.get("detail") or ctx.reason).strip()
    ctx.event_data.update({"deadline": deadline, "detail": detail})
    ctx.letters.append(("explanation_request", {"deadline": deadline, "detail": detail}))


def _check_receive_explanation(ctx: Context) -> str | None:
    asked = _last_event(ctx.app, "request_explanation")
    if asked is None:
        return "尚未要求申请人说明理由（第三十五条）"
    if ctx.effective_date < asked.effective_date:
        return "收到说明的日期不能早于要求说明理由的日期"
    if not str(ctx.data.get("text") or ctx.reason or "").strip():
        return "请记录申请人说明的理由"
    return None


def _apply_receive_explanation(ctx: Context) -> None:
    ctx.event_data["text"] = str(ctx.data.get("text") or ctx.reason).strip()


def _apply_set_delayed_answer(ctx: Context) -> None:
    new_due = _date(ctx.data.get("new_due"), "延迟答复期限")
    if new_due is None:
        raise TransitionError("请确定延迟答复的合理期限", field="new_due")
    try:
        normal = deadlines.compute(ctx.app).final_due
    except CalendarNotCovered:
        normal = None
    floor = max(d for d in (normal, ctx.effective_date) if d is not None)
    if new_due <= floor:
        raise TransitionError(f"延迟答复期限应晚于{floor:%Y年%m月%d日}", field="new_due")
    ctx.app.delayed_due_date = new_due
    ctx.event_data.update({"new_due": new_due, "normal_due": normal})
    ctx.letters.append(("delayed_answer", {"new_due": new_due, "reason": ctx.reason}))


def _last_event(app: Application, action: str) -> ApplicationEvent | None:
    return app.events.filter(action=action).order_by("-seq").first()


def _apply_approve_extension(ctx: Context) -> None:
    requested = _last_event(ctx.app, "request_extension")
    default = (requested.data or {}).get("days") if requested else deadlines.MAX_EXTENSION_WORKDAYS
    days = _requested_days(ctx, default)
    original_due = ctx.app.due_date
    late = original_due is not None and ctx.effective_date > original_due
    if late and not _truthy(ctx.data.get("late_override")):
        raise TransitionError(
            f"答复期限已于{original_due:%Y年%m月%d日}届满，第三十三条第二款只能延长尚未届满的期限；"
            "确需继续办理的，须由负责人确认“期限届满后批准”并在理由中记录，告知书将如实说明",
            "precondition",
            field="late_override",
        )
    ctx.app.extension_days = days
    ctx.event_data.update({"days": days, "original_due": original_due})
    if late:
        ctx.event_data["late_override"] = True
    # the notice gives the handler's stated reason; the head's approval comment stays internal
    stated = (requested.reason if requested else "") or ctx.reason
    ctx.letters.append(
        ("extension", {"days": days, "reason": stated, "original_due": original_due, "late": late})
    )


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "on", "yes", "是")


def _check_issue_fee_notice(ctx: Context) -> str | None:
    if ctx.app.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True).exists():
        return "本申请已有未办结的收费通知"
    return None


def _apply_issue_fee_notice(ctx: Context) -> None:
    app = ctx.app
    try:
        assessment = fee_glue.assess_for(app, ctx.data)
    except core_fees.FeeError as exc:
        raise TransitionError(str(exc), "invalid") from None
    if assessment.amount <= 0:
        raise TransitionError("按收费标准计算应缴金额为零，无需发出收费通知", "precondition")
    received = _date(ctx.data.get("notice_received_on"), "收费通知送达日期")
    if received is not None and received < ctx.effective_date:
        raise TransitionError("收费通知送达日期不能早于发出日期", field="notice_received_on")
    receipt = fee_glue.notice_receipt(app, ctx.effective_date, received)
    pay_by = _fee_pay_by(receipt.received_on)
    pauses = deadlines.fee_pauses_clock()
    if pauses:
        msg = _expired_message(ctx, "收费")
        if msg:
            raise TransitionError(msg, "precondition")
    notice = FeeNotice.objects.create(
        application=app,
        method=assessment.method.value,
        pages=assessment.pages or 0,
        count_in_month=assessment.position or 0,
        pieces=assessment.pieces or 1,
        received_on=receipt.received_on,
        receipt_presumed=receipt.presumed,
        receipt_note=receipt.note,
        amount=assessment.amount,
        breakdown=assessment.breakdown,
        waived=bool(assessment.waived),
        waiver_reason=assessment.waiver_reason,
        issued_on=ctx.effective_date,
        pay_by=pay_by,
    )
    if pauses:
        _open_pause(ctx, "fee")
    ctx.event_data.update(
        {
            "fee_notice": notice.pk,
            "method": assessment.method.value,
            "amount": str(assessment.amount),
            "gross": str(assessment.gross),
            "pages": assessment.pages,
            "position": assessment.position,
            "pieces": assessment.pieces,
            "received_on": receipt.received_on,
            "receipt_presumed": receipt.presumed,
            "pay_by": pay_by,
            "pauses_clock": pauses,
        }
    )
    ctx.letters.append(
        (
            "fee_notice",
            {
                "fee_notice": notice,
                "amount": str(assessment.amount),
                "pay_by": pay_by,
                "breakdown": assessment.breakdown_text,
                "pauses_clock": pauses,
            },
        )
    )


def _fee_pay_by(received: dt.date) -> dt.date:
    try:
        return fee_glue.pay_by(received)
    except CalendarNotCovered as exc:
        raise TransitionError(str(exc), "precondition") from None


def _open_fee_notice(app: Application) -> FeeNotice | None:
    return (
        app.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True)
        .order_by("-issued_on", "-pk")
        .first()
    )


def _check_record_payment(ctx: Context) -> str | None:
    notice = _open_fee_notice(ctx.app)
    if notice is None:
        return "没有待缴费的收费通知"
    if ctx.effective_date < notice.issued_on:
        return "缴费日期不能早于收费通知日期"
    if ctx.effective_date > notice.pay_by:
        return f"缴费期限（{notice.pay_by:%Y年%m月%d日}）已过，逾期缴费的视为放弃申请"
    return None


def _apply_record_payment(ctx: Context) -> None:
    notice = _open_fee_notice(ctx.app)
    raw = ctx.data.get("amount")
    try:
        paid = Decimal(str(raw)) if raw not in (None, "") else notice.amount
    except (ArithmeticError, ValueError):
        raise TransitionError("实收金额格式不正确", field="amount") from None
    if paid < notice.amount:
        raise TransitionError(f"实收金额少于应缴金额（{notice.amount}元）", field="amount")
    notice.paid_on = ctx.effective_date
    notice.paid_amount = paid
    notice.save(update_fields=["paid_on", "paid_amount"])
    _close_pause(ctx)
    ctx.event_data.update({"fee_notice": notice.pk, "amount": str(paid)})


def _check_fee_lapsed(ctx: Context) -> str | None:
    notice = _open_fee_notice(ctx.app)
    if notice is None:
        return "没有待缴费的收费通知"
    if ctx.effective_date <= notice.pay_by:
        return f"缴费期限（{notice.pay_by:%Y年%m月%d日}）尚未届满"
    return None


def _apply_fee_lapsed(ctx: Context) -> None:
    notice = _open_fee_notice(ctx.app)
    notice.lapsed_on = ctx.effective_date
    notice.save(update_fields=["lapsed_on"])
    _close_pause(ctx)
    _close(ctx, core_fees.UNPAID_OUTCOME)
    ctx.event_data["fee_notice"] = notice.pk


ANSWER_CLOSING_KEYS = {"other_no_correction", "other_fee_unpaid"}  # only via deem_abandoned / fee_lapsed


def _answer_fields(ctx: Context) -> dict:
    fields = ctx.data.get("fields") or {}
    if not isinstance(fields, dict):
        raise TransitionError("答复要素格式不正确", field="fields")
    fields = {str(k): "" if v is None else str(v) for k, v in fields.items()}
    if ctx.app.correction_requested_on and "correction_notice_date" not in fields:
        fields["correction_notice_date"] = f"{ctx.app.correction_requested_on:%Y年%m月%d日}"
    fields.update(_explanation_facts(ctx))
    return fields


def _explanation_facts(ctx: Context) -> dict:
    """Art. 35 facts ON RECORD: the request for reasons and the applicant's answer or its lapse.

    Only these facts are stated in a 不予处理－4 reply; without them the reply cannot be drafted.
    """
    asked = _last_event(ctx.app, "request_explanation")
    if asked is None:
        return {}
    facts = {"explanation_request_date": f"{asked.effective_date:%Y年%m月%d日}"}
    answered = ctx.app.events.filter(action="receive_explanation", seq__gt=asked.seq).order_by("-seq").first()
    if answered is not None:
        facts["explanation_result"] = (
            f"您于{answered.effective_date:%Y年%m月%d日}作出了说明，经审查，本机关认为您的申请理由不合理。"
        )
        return facts
    raw = (asked.data or {}).get("deadline")
    deadline = dt.date.fromisoformat(str(raw)[:10]) if raw else None
    if deadline is not None and ctx.effective_date > deadline:
        facts["explanation_result"] = (
            f"您未在本机关确定的期限（{deadline:%Y年%m月%d日}）内说明理由，本机关认为您的申请理由不合理。"
        )
    return facts


def _check_draft_answer(ctx: Context) -> str | None:
    key = str(ctx.data.get("outcome") or "").strip()
    if not key:
        return "请选择办理结果（答复类型）"
    if key in ANSWER_CLOSING_KEYS:
        return "逾期不补正、逾期未缴费的申请通过“视为放弃”操作办结，不能作为答复拟定"
    problems = core_answers.answer_problems(key, _answer_fields(ctx), variant=ctx.data.get("variant") or None)
    if problems:
        return "；".join(problems)
    return None


def _apply_draft_answer(ctx: Context) -> None:
    key = str(ctx.data["outcome"]).strip()
    variant = ctx.data.get("variant") or None
    fields = _answer_fields(ctx)
    text = str(ctx.data.get("answer_text") or "").strip()
    if not text:
        try:
            text = core_answers.decision_text(key, fields, variant=variant)
        except core_answers.AnswerValidationError as exc:
            raise TransitionError("；".join(exc.errors), "precondition") from None
    a = core_answers.answer(key)
    ctx.app.outcome = key
    ctx.app.answer_text = text
    ctx.app.answer_data = {"variant": variant or a.variants[0].key, "fields": fields}
    ctx.event_data.update(
        {
            "outcome": key,
            "variant": ctx.app.answer_data["variant"],
            "requires_head_approval": a.requires_head_approval,
        }
    )


def _apply_return_for_revision(ctx: Context) -> None:
    ctx.event_data["returned_outcome"] = ctx.app.outcome


def _answer_roles(app: Application) -> tuple[str, ...]:
    if app.outcome and core_answers.answer(app.outcome).requires_head_approval:
        return (Role.HEAD,)
    return (Role.REVIEWER, Role.HANDLER, Role.HEAD)


def _check_answer(ctx: Context) -> str | None:
    if not ctx.app.outcome:
        return "尚未拟定答复"
    needed = _answer_roles(ctx.app)
    if not ctx.roles & set(needed):
        return "不予公开等答复须经负责人审批后出具" if needed == (Role.HEAD,) else "您无权出具答复"
    return None


def _apply_answer(ctx: Context) -> None:
    app = ctx.app
    app.answered_on = ctx.effective_date
    app.closed_on = ctx.effective_date
    a = core_answers.answer(app.outcome)
    ctx.event_data.update({"outcome": app.outcome, "head_approved": Role.HEAD in ctx.roles})
    if a.needs_answer_letter:
        ctx.letters.append(("reply", {"answer_data": app.answer_data}))


def _check_deliver(ctx: Context) -> str | None:
    evidence = str(ctx.data.get("evidence") or ctx.reason or "").strip()
    if not evidence:
        return "请记录送达方式和送达凭证"
    if ctx.app.answered_on and ctx.effective_date < ctx.app.answered_on:
        return "送达日期不能早于答复日期"
    return None


def _apply_deliver(ctx: Context) -> None:
    ctx.app.delivered_on = ctx.effective_date
    ctx.event_data.update(
        {
            "evidence": str(ctx.data.get("evidence") or ctx.reason).strip(),
            "method": ctx.data.get("method") or "",
        }
    )


def _apply_archive(ctx: Context) -> None:
    ctx.app.archived_on = ctx.effective_date


def _apply_withdraw(ctx: Context) -> None:
    notice = _open_fee_notice(ctx.app)
    if notice is not None:
        notice.lapsed_on = ctx.effective_date
        notice.save(update_fields=["lapsed_on"])
    if ctx.app.pauses and ctx.app.pauses[-1][1] is None:
        _close_pause(ctx)
    _close(ctx, "other_other")


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
) -> Application:
    """Perform ``action`` on ``application`` as ``actor`` and return the refreshed application.

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
        return app.events.filter(action="request_explanation").exists()
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
