"""The template context of a letter: agency, applicant, answer, fees, deadlines — only what is
on record. See :mod:`gongkai.letters.services` for the keys ``extra`` understands."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from gongkai.core import answers as core_answers
from gongkai.core import fees as core_fees
from gongkai.core.workdays import CalendarNotCovered, ProvisionalDate

from .models import LetterKind
from .rendering import (
    DEFAULT_PAYMENT_METHOD,
    DELIVERY_ACCESS,
    MAX_EXTENSION_WORKDAYS,
    LetterError,
    quoted_request,
)

# ---------------------------------------------------------------------------------------------
# Context


def _calendar():
    from gongkai.workdays import get_calendar

    return get_calendar()


def _mark(d, since: dt.date | None):
    """``d`` as a :class:`ProvisionalDate` when it was computed provisionally (暂定)."""
    if not isinstance(d, dt.date) or isinstance(d, ProvisionalDate):
        return d
    if _calendar().provisional_between(since or d, d):
        return ProvisionalDate.of(d)
    return d


def _chain(agency) -> list:
    from gongkai.core.remedy_bodies import Node

    out = []
    node = agency
    while node is not None:
        out.append(Node(node.name, node.kind, bool(getattr(node, "vertically_led", False))))
        node = node.parent
    return out


def derived_reconsideration_body(agency) -> str:
    """The 行政复议机关 derived from the agency tree and kind (``core.remedy_bodies``)."""
    from gongkai.agencies.models import Agency
    from gongkai.core import remedy_bodies

    names: set[str] = set()
    if getattr(agency, "vertically_led", False):
        names = set(Agency.objects.values_list("name", flat=True))
    return remedy_bodies.reconsideration_body(_chain(agency), names)


def derived_court(agency) -> str:
    """The first-instance court derived from the agency tree and kind (``core.remedy_bodies``)."""
    from gongkai.core import remedy_bodies

    return remedy_bodies.court(_chain(agency))


def default_reconsideration_body(agency) -> str:
    """The 行政复议机关: the agency's own setting, else derived from the tree (ARL-2023 Arts.
    24, 27; see ``core.remedy_bodies``)."""
    if agency is None:
        return ""
    return agency.reconsideration_body or derived_reconsideration_body(agency)


def default_court(agency) -> str:
    """The 管辖人民法院: the agency's own setting, else derived (ALL Arts. 14, 15, 18)."""
    if agency is None:
        return ""
    return agency.court or derived_court(agency)


def _agency_ctx(agency) -> dict:
    return {
        "name": agency.name,
        "signature": agency.signature,
        "address": agency.address,
        "postal_code": agency.postal_code,
        "phone": agency.phone,
        "email": agency.email,
        "office_hours": agency.office_hours,
        "reconsideration_body": default_reconsideration_body(agency),
        "court": default_court(agency),
    }


def _label(app, field: str) -> str:
    getter = getattr(app, f"get_{field}_display", None)
    return str(getter()) if getter else ""


def _fmt_date(d) -> str:
    from .templatetags.letters_cn import cn_date

    return cn_date(d)


def _answer_ctx(
    app, extra: dict, issue_date: dt.date, agency_ctx: dict, errors: list[str], required: bool
) -> dict | None:
    key = extra.get("outcome") or getattr(app, "outcome", "")
    if not key:
        if required:
            errors.append("请先选择办理结果")
        return None
    try:
        a = core_answers.answer(key)
    except KeyError:
        if required:
            errors.append(f"未知的办理结果“{key}”")
        return None
    own_outcome = key == getattr(app, "outcome", "")
    data = extra.get("answer_data") or (getattr(app, "answer_data", None) if own_outcome else None) or {}
    variant = extra.get("answer_variant") or data.get("variant") or None
    decision = str(extra.get("answer_text") or "").strip()
    stored_text = (getattr(app, "answer_text", "") or "").strip()
    overridden = "outcome" in extra or "answer_fields" in extra
    if not decision and stored_text and not overridden:
        decision = stored_text  # the text drafted and approved in the workflow is authoritative
    if not decision:
        given = extra.get("answer_fields")
        if given is None:
            given = data.get("fields") or {}
        facts: dict[str, str] = {}
        if getattr(app, "correction_requested_on", None):
            facts["correction_notice_date"] = _fmt_date(app.correction_requested_on)
        notice = _latest_fee_notice(app)
        if notice is not None:
            facts["fee_notice_date"] = _fmt_date(notice.issued_on)
        access = DELIVERY_ACCESS.get(getattr(app, "delivery_method", ""), "")
        # the delivery sentence answers "how do I get the information" of a disclosure only; in
        # other answers the slot means something else (e.g. where to buy a publication)
        if access and a.group in ("granted", "partial") and variant != "proactive":
            facts["access_method"] = access
        facts.update({k: str(v) for k, v in (given or {}).items() if v not in (None, "")})
        try:
            decision = core_answers.decision_text(a.key, facts, variant=variant)
        except core_answers.AnswerValidationError as exc:
            if required:
                errors.extend(exc.errors)
            return None
        except KeyError as exc:
            if required:
                errors.append(str(exc.args[0]) if exc.args else "答复情形不正确")
            return None
    remedy = core_answers.remedy_for(
        a.key,
        decided_on=issue_date,
        reconsideration_body=agency_ctx["reconsideration_body"],
        court=agency_ctx["court"],
    )
    return {
        "key": a.key,
        "label": a.label,
        "row_label": a.row_label,
        "group": a.group,
        "group_label": a.group_label,
        "legal_basis": a.legal_basis,
        "decision_text": decision,
        "remedy_text": remedy.text,
        "reconsideration_first": remedy.reconsideration_first,
        "is_refusal": a.is_refusal,
        "requires_head_approval": a.requires_head_approval,
        "needs_answer_letter": a.needs_answer_letter,
        "key_2019": a.key_2019,
        "extra_paragraphs": [p for p in extra.get("answer_extra_paragraphs", []) if str(p).strip()],
    }


def _latest_fee_notice(app):
    notices = getattr(app, "fee_notices", None)
    if notices is None or app.pk is None:
        return None
    return notices.order_by("-issued_on", "-pk").first()


def _fee_rule_on() -> bool:
    """The administrator's setting ``GONGKAI_FEE_PAUSES_CLOCK`` (off unless turned on)."""
    from django.conf import settings

    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", core_fees.FEE_NOTICE_PAUSES_CLOCK))


def _fee_ctx(app, extra: dict, errors: list[str], required: bool) -> dict | None:
    pauses = bool(extra["pauses_clock"]) if "pauses_clock" in extra else _fee_rule_on()
    payment_method = extra.get("payment_method") or DEFAULT_PAYMENT_METHOD
    assessment = extra.get("fee_assessment")
    notice = extra.get("fee_notice") or (None if assessment is not None else _latest_fee_notice(app))
    if assessment is None and notice is None:
        if required:
            errors.append("请先计算信息处理费并登记收费通知")
        return None
    receipt = {"received_on": extra.get("notice_received_on"), "presumed": False, "note": ""}
    if notice is not None:
        try:
            kw = (
                {"position": notice.count_in_month, "pieces": max(int(notice.pieces or 1), 1)}
                if notice.method == "by_count"
                else {"pages": notice.pages}
            )
            assessment = core_fees.assess(notice.method, **kw)
            reduction = assessment.gross - Decimal(notice.amount)
            if notice.waived or reduction > 0:
                reason = (notice.waiver_reason or "").strip() or "减免"
                assessment = core_fees.assess(
                    notice.method, **kw, waiver=core_fees.Waiver(reason, max(reduction, Decimal(0)))
                )
        except core_fees.FeeError as exc:
            if required:
                errors.append(str(exc))
            return None
        amount = Decimal(notice.amount)
        pay_by = notice.pay_by
        issued_on = notice.issued_on
        receipt = {
            "received_on": notice.received_on,
            "presumed": bool(notice.receipt_presumed),
            "note": notice.receipt_note,
        }
    else:
        amount = assessment.amount
        pay_by = extra.get("pay_by")
        issued_on = extra.get("issue_date")
    # every line of the calculation, the waiver included: the notice states 标准 and 数额 in full
    lines = [ln.text for ln in assessment.lines]
    terms = core_fees.FeeNoticeTerms(assessment, pay_by or dt.date.min, pauses_clock=pauses)
    pay_by = _mark(pay_by, issued_on if isinstance(issued_on, dt.date) else None)
    return {
        "method": assessment.method.value,
        "method_label": assessment.method.label,
        "amount": amount,
        "gross": assessment.gross,
        "waived_amount": max(assessment.gross - amount, Decimal(0)),
        "waiver_reason": assessment.waiver_reason,
        "pieces": assessment.pieces,
        "position": assessment.position,
        "lines": lines,
        "breakdown_text": assessment.breakdown_text,
        "standard_text": terms.standard_text,
        "pay_by": pay_by,
        "issued_on": issued_on,
        "received_on": receipt["received_on"],
        "receipt_presumed": receipt["presumed"],
        "receipt_note": receipt["note"],
        "payment_method": payment_method,
        "pauses_clock": pauses,
        "basis": core_fees.FEE_BASIS,
    }


_ENUM_RE = re.compile(r"^\s*(?:[（(][0-9一二三四五六七八九十]+[)）]|[0-9一二三四五六七八九十]+[.、．）)])\s*")

_ALIASES = {
    # the short keys used by applications.services.workflow, per kind
    LetterKind.CORRECTION: {
        "items": "correction_matters",
        "deadline": "correction_deadline",
        "guidance": "correction_guidance",
        "period_workdays": "correction_period_workdays",
    },
    LetterKind.EXTENSION: {
        "days": "extension_days",
        "reason": "extension_reason",
        "new_due": "extension_new_due",
        "original_due": "extension_original_due",
        "late": "extension_late",
    },
    LetterKind.EXPLANATION_REQUEST: {"deadline": "explanation_deadline", "detail": "explanation_detail"},
    LetterKind.DELAYED_ANSWER: {"new_due": "delay_new_due", "reason": "delay_reason"},
    LetterKind.CONSULTATION: {
        "party": "consultee",
        "subject": "consultation_subject",
        "reply_due": "consultation_reply_due",
    },
}


def _as_date(value):
    if value in (None, "") or isinstance(value, dt.date):
        return value or None
    return dt.date.fromisoformat(str(value)[:10])


def _normalise_extra(kind: LetterKind, extra: dict) -> dict:
    for short, long in _ALIASES.get(kind, {}).items():
        if short in extra and long not in extra:
            extra[long] = extra[short]
    if kind == LetterKind.CONSULTATION and "consultee_is_agency" not in extra and "kind" in extra:
        extra["consultee_is_agency"] = extra["kind"] == "agency"
    matters = extra.get("correction_matters")
    if isinstance(matters, str):
        matters = matters.splitlines()
    if matters is not None:
        extra["correction_matters"] = [
            _ENUM_RE.sub("", str(m)).strip().rstrip("。；;，,") for m in matters if str(m).strip()
        ]
    for k in (
        "correction_deadline",
        "extension_new_due",
        "extension_original_due",
        "consultation_reply_due",
        "pay_by",
        "issue_date",
        "explanation_deadline",
        "delay_new_due",
    ):
        if k in extra:
            try:
                extra[k] = _as_date(extra[k])
            except ValueError:
                raise LetterError([f"日期格式不正确：{extra[k]}"]) from None
    return extra


def build_context(
    application, kind: str, *, extra: dict | None = None, issue_date: dt.date | None = None
) -> dict:
    """The template context of ``application`` for a letter of ``kind`` (see CONTEXT_DOC).

    Raises :class:`LetterError` if a fact the kind needs is missing.
    """
    kind = LetterKind(kind)
    extra = _normalise_extra(kind, dict(extra or {}))
    issue_date = issue_date or extra.get("issue_date") or timezone.localdate()
    extra.setdefault("issue_date", issue_date)
    app = application
    agency = _agency_ctx(app.agency)
    errors: list[str] = []
    handler = getattr(app, "handler", None)
    ctx: dict = {
        "kind": kind.value,
        "kind_label": kind.label,
        "agency": agency,
        "applicant_name": app.applicant_name,
        "applicant": {
            "name": app.applicant_name,
            "type": app.applicant_type,
            "type_label": _label(app, "applicant_type"),
            "postal_address": app.postal_address,
            "postal_code": getattr(app, "postal_code", ""),
            "email": app.email,
            "phone": getattr(app, "phone", ""),
            "contact_person": getattr(app, "contact_person", ""),
        },
        "tracking_number": app.tracking_number,
        "description": quoted_request(app.description),
        "received_date": app.received_date,
        "due_date": (
            ProvisionalDate.of(app.due_date) if getattr(app, "due_date_provisional", False) else app.due_date
        ),
        "issue_date": issue_date,
        "channel_label": _label(app, "channel"),
        "requested_form_label": _label(app, "requested_form"),
        "delivery_method_label": _label(app, "delivery_method"),
        "handler_name": (handler.get_full_name() or handler.get_username()) if handler else "",
    }
    ctx["answer"] = _answer_ctx(app, extra, issue_date, agency, errors, required=kind == LetterKind.REPLY)
    ctx["fee"] = _fee_ctx(app, extra, errors, required=kind == LetterKind.FEE_NOTICE)

    # 补正 (Art. 30)
    matters = [str(m).strip() for m in extra.get("correction_matters", []) if str(m).strip()]
    deadline = extra.get("correction_deadline") or getattr(app, "correction_deadline", None)
    notice_due = None
    try:
        if app.received_date:
            notice_due = _calendar().add_workdays(app.received_date, 7)
        if deadline is None and extra.get("correction_period_workdays"):
            deadline = _calendar().add_workdays(issue_date, int(extra["correction_period_workdays"]))
    except CalendarNotCovered as exc:  # carries a Chinese message
        if kind == LetterKind.CORRECTION:
            errors.append(str(exc))
    ctx["correction"] = {
        "matters": matters,
        "deadline": _mark(deadline, issue_date),
        "guidance": str(extra.get("correction_guidance", "")).strip(),
        "notice_due": _mark(notice_due, app.received_date),
    }
    if kind == LetterKind.CORRECTION:
        if not matters:
            errors.append("请逐项列明需要补正的事项")
        if deadline is None:
            errors.append("请确定合理的补正期限")
        elif deadline <= issue_date:
            errors.append("补正期限应晚于告知日期")

    # 延期 (Art. 33 ¶2)
    days = int(extra.get("extension_days") or getattr(app, "extension_days", 0) or 0)
    ctx["extension"] = {
        "days": days,
        "reason": str(extra.get("extension_reason", "")).strip().rstrip("。"),
        "original_due": extra.get("extension_original_due"),
        "late": bool(extra.get("extension_late")),
        "new_due": _mark(extra.get("extension_new_due"), app.received_date) or ctx["due_date"],
    }
    if kind == LetterKind.EXTENSION:
        if not ctx["extension"]["reason"]:
            errors.append("请填写延期答复的理由")
        if not 1 <= days <= MAX_EXTENSION_WORKDAYS:
            errors.append("延长的期限应为1至20个工作日")

    # 征求意见 (Arts. 32, 34)
    ctx["consultation"] = {
        "consultee": str(extra.get("consultee", "")).strip(),
        "is_agency": bool(extra.get("consultee_is_agency", False)),
        "subject": str(extra.get("consultation_subject", "")).strip(),
        "reply_due": _mark(extra.get("consultation_reply_due"), issue_date),
    }
    if kind == LetterKind.CONSULTATION and not ctx["consultation"]["consultee"]:
        errors.append("请填写被征求意见的第三方或机关名称")

    # 说明理由 / 延迟答复 (Art. 35)
    ctx["explanation"] = {
        "deadline": extra.get("explanation_deadline"),
        "detail": str(extra.get("explanation_detail", "")).strip().rstrip("。"),
    }
    if kind == LetterKind.EXPLANATION_REQUEST:
        if ctx["explanation"]["deadline"] is None:
            errors.append("请确定申请人说明理由的期限")
        elif ctx["explanation"]["deadline"] <= issue_date:
            errors.append("说明理由的期限应晚于通知日期")
    ctx["delay"] = {
        "new_due": extra.get("delay_new_due"),
        "reason": str(extra.get("delay_reason", "")).strip().rstrip("。"),
    }
    if kind == LetterKind.DELAYED_ANSWER:
        if ctx["delay"]["new_due"] is None:
            errors.append("请确定延迟答复的合理期限")
        elif ctx["delay"]["new_due"] <= issue_date:
            errors.append("延迟答复的期限应晚于告知日期")

    if errors:
        raise LetterError(list(dict.fromkeys(errors)))
    ctx["extra"] = extra
    for k, v in extra.items():
        ctx.setdefault(k, v)
    ctx["provisional_dates"] = _provisional_dates(ctx)
    return ctx


# Dates a letter may state, by context path, with their Chinese names and the letter kinds that
# state them (None: any kind) — for the case page listing of letters with changed provisional dates.
_DATED_FIELDS = (
    (("due_date",), "答复期限", None),
    (("extension", "new_due"), "延长后的答复期限", {LetterKind.EXTENSION}),
    (("correction", "deadline"), "补正期限", {LetterKind.CORRECTION}),
    (("correction", "notice_due"), "补正告知期限", {LetterKind.CORRECTION}),
    (("consultation", "reply_due"), "征求意见答复期限", {LetterKind.CONSULTATION}),
    (("fee", "pay_by"), "缴费期限", {LetterKind.FEE_NOTICE}),
)


def _provisional_dates(ctx: dict) -> dict[str, str]:
    """{name: ISO date} of the provisional (暂定) dates in ``ctx`` — kept in the letter's snapshot."""
    out: dict[str, str] = {}
    for path, name, kinds in _DATED_FIELDS:
        if kinds is not None and LetterKind(ctx["kind"]) not in kinds:
            continue
        v = ctx
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        if getattr(v, "provisional", False):
            out[name] = v.isoformat()
    return out


def provisional_letters(application) -> list[dict]:
    """Letters already issued that state a provisional date that has since changed (the answer
    deadline), or whose year's official calendar has since been entered (other dates, which staff
    check against the official arrangement): staff may send a corrected notice.
    Nothing issued is altered."""
    cal = _calendar()
    out = []
    for doc in application.documents.order_by("created_at", "pk"):
        stated = (doc.context or {}).get("provisional_dates") or {}
        rows = []
        for name, iso in stated.items():
            day = dt.date.fromisoformat(iso)
            now = None
            if name in ("答复期限", "延长后的答复期限"):
                now = application.due_date
            changed = now is not None and now != day
            if changed or (now is None and not cal.is_provisional(day)):
                rows.append({"name": name, "stated": day, "now": now, "changed": changed})
        if rows:
            out.append({"doc": doc, "dates": rows})
    return out


def snapshot(context: dict) -> dict:
    """JSON-safe copy of a context (dates → ISO strings, Decimals → strings)."""
    return json.loads(json.dumps(context, cls=_Encoder, ensure_ascii=False))


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            if hasattr(o, "pk"):
                return {"model": o._meta.label, "pk": o.pk, "str": str(o)}
            return str(o)
