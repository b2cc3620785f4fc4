"""Checks and effects of the workflow's actions, one group per action (Regulation Arts. 30–36,
Fee Measures). Each ``_check_*`` returns a Chinese refusal or ``None``; each ``_apply_*`` changes
the locked application in :class:`~.workflow_base.Context` and raises
:class:`~.workflow_base.TransitionError` for bad input. The table and the single write path are in
:mod:`.workflow`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongkai.agencies.models import Role
from gongkai.core import answers as core_answers
from gongkai.core import fees as core_fees
from gongkai.core.workdays import CalendarNotCovered

from ..models import Application, FeeNotice
from . import deadlines
from . import fees as fee_glue
from .workflow_base import (
    Context,
    TransitionError,
    _add_workdays,
    _calendar,
    _close,
    _close_pause,
    _date,
    _ensure_handler,
    _expired_message,
    _handler_from,
    _last_event,
    _open_fee_notice,
    _open_pause,
    _truthy,
)


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


def _apply_deem_abandoned(ctx: Context) -> None:
    _close(ctx, "other_no_correction")
    ctx.letters.append(("reply", {}))  # 终止处理告知书 (Art. 30: 视为放弃申请)


def _check_accept(ctx: Context) -> str | None:
    return None


def _apply_accept(ctx: Context) -> None:
    """受理并分办: the case leaves with a responsible handler (the one chosen, else the acting
    handler); a registrar who is not a handler must choose one."""
    _ensure_handler(ctx)


def _apply_assign_handler(ctx: Context) -> None:
    user = _handler_from(ctx)
    if user is None:
        raise TransitionError("请指定承办人", field="handler")
    ctx.app.handler = user
    ctx.event_data["handler"] = user.pk


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
    answered = ctx.app.events.filter(action="receive_explanation", seq__gt=asked.seq).order_by("-seq").first()
    raw = (asked.data or {}).get("deadline")
    deadline = dt.date.fromisoformat(str(raw)[:10]) if raw else None
    lapsed = deadline if deadline is not None and ctx.effective_date > deadline else None
    return core_answers.explanation_facts(
        asked.effective_date, answered.effective_date if answered else None, lapsed
    )


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
