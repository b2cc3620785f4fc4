"""Demo applications: ≥ 2,000 cases over 2024–2026 with consistent histories.

Proportions follow the 丰台区 2023 annual report (shared/seeds/002_…): outcomes by Table 3 row,
applicant types, and channels as a 2019 district report lists them (当面/信函/网络/电子邮件/传真).
Categories the real report has at zero get a small weight so every category appears in the demo.

Histories are written directly (bulk inserts) rather than through the workflow services, so that
``make demo`` takes seconds; each history follows the workflow's transition table — a test replays
every generated event sequence through :data:`gongkai.applications.services.workflow` rules.
Everything is drawn from ``random.Random(seed)``: the same seed and as-of date give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Channel,
    DeliveryMethod,
    FeeMethod,
    FeeNotice,
    IdDocumentType,
    ReceiptBasis,
    RequestedForm,
    TrackingCounter,
)
from gongkai.applications.models import (
    ApplicationState as S,
)
from gongkai.applications.services.deadlines import compute_due_date, fee_pauses_clock
from gongkai.core import answers as core_answers
from gongkai.core import query_codes
from gongkai.core.workdays import CalendarNotCovered, WorkCalendar

from .application_data import (
    APPLICANT_WEIGHTS,
    CHANNEL_WEIGHTS,
    GIVEN,
    OPEN_STATE_WEIGHTS,
    ORGS,
    OUTCOME_WEIGHTS,
    PLACES,
    REFUSAL_PREFIXES,
    SURNAMES,
    TOPICS,
    YEAR_COUNTS,
    answer_facts,
)
from .region import REGION, username


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class _Step:
    action: str
    to_state: str
    day: dt.date
    role: str | None  # None = applicant / system
    reason: str = ""
    data: dict = field(default_factory=dict)


@dataclass
class _Plan:
    app: Application
    steps: list[_Step]
    fee: FeeNotice | None = None


class DemoHistoryBuilder:
    """Builds one consistent history per application as of ``as_of``."""

    def __init__(self, rng: random.Random, cal: WorkCalendar, as_of: dt.date):
        self.rng = rng
        self.cal = cal
        self.as_of = as_of

    def wd(self, start: dt.date, n: int) -> dt.date:
        """``n`` working days after ``start``; past the as-of date exact dates do not matter
        (those steps are cut off), so an uncovered future year just lands beyond it."""
        if n <= 0:
            return start
        if start > self.as_of:
            return start + dt.timedelta(days=n)
        try:
            return self.cal.add_workdays(start, n)
        except CalendarNotCovered:
            return self.as_of + dt.timedelta(days=n + 1)

    def used(self, start: dt.date, end: dt.date) -> int:
        try:
            return self.cal.workdays_between(start, end)
        except CalendarNotCovered:
            return (end - start).days

    def plan(self, app: Application, outcome: str, open_state: str | None) -> list[_Step]:
        """Steps after registration. ``open_state``: stop in that open state (None = run to the end)."""
        rng, R = self.rng, app.received_date
        steps: list[_Step] = []
        day = R
        clock_start = R

        def stop(state: str) -> bool:
            return open_state == state

        # Correction (补正): about 1 in 10 cases, always for 其他处理1 (never corrected).
        if outcome == "other_no_correction" or (open_state != S.REGISTERED and rng.random() < 0.10):
            asked = self.wd(R, rng.randint(1, 5))
            reason = "申请内容不明确，请补充所需信息的名称、文号或者其他特征性描述"
            steps.append(
                _Step(
                    "request_correction",
                    S.CORRECTION_REQUESTED,
                    asked,
                    Role.HANDLER,
                    reason,
                    {"items": reason, "deadline": self.wd(asked, 15).isoformat()},
                )
            )
            if stop(S.CORRECTION_REQUESTED):
                return steps
            if outcome == "other_no_correction":
                lapsed = self.wd(asked, 16)
                steps.append(
                    _Step(
                        "deem_abandoned",
                        S.CLOSED,
                        lapsed,
                        Role.HANDLER,
                        "申请人无正当理由逾期未补正，视为放弃申请",
                        {"outcome": outcome},
                    )
                )
                return steps
            got = self.wd(asked, rng.randint(2, 10))
            steps.append(_Step("receive_correction", S.IN_HANDLING, got, Role.REGISTRAR, "收到补正材料"))
            clock_start = day = got
        else:
            if stop(S.REGISTERED):
                return steps
            day = self.wd(R, rng.randint(0, 2))
            steps.append(_Step("accept", S.IN_HANDLING, day, Role.HANDLER, "分办至承办人"))
        if stop(S.IN_HANDLING):
            return steps
        used = self.used(clock_start, day)

        # Withdrawal (其他处理3: 申请人撤回).
        if outcome == "other_other":
            w = self.wd(day, rng.randint(1, 8))
            steps.append(_Step("withdraw", S.WITHDRAWN, w, None, "申请人书面撤回申请", {"outcome": outcome}))
            return steps

        # Third-party consultation (征求意见): clock paused.
        if outcome == "withheld_third_party" or open_state == S.CONSULTATION or rng.random() < 0.04:
            s = self.wd(day, rng.randint(1, 4))
            steps.append(
                _Step(
                    "start_consultation",
                    S.CONSULTATION,
                    s,
                    Role.HANDLER,
                    "涉及第三方合法权益，书面征求第三方意见",
                )
            )
            if stop(S.CONSULTATION):
                return steps
            e = self.wd(s, rng.randint(3, 15))
            steps.append(_Step("end_consultation", S.IN_HANDLING, e, Role.HANDLER, "第三方已书面回复意见"))
            used += self.used(day, s)
            day = e

        # Extension (延期): requested by the handler, approved by the head.
        if open_state == S.EXTENSION_PENDING or rng.random() < 0.07:
            r = self.wd(day, rng.randint(1, 3))
            steps.append(
                _Step(
                    "request_extension",
                    S.EXTENSION_PENDING,
                    r,
                    Role.HANDLER,
                    "需调取档案并会同相关科室核查，难以在20个工作日内答复",
                )
            )
            if stop(S.EXTENSION_PENDING):
                return steps
            a = self.wd(r, 1)
            steps.append(
                _Step(
                    "approve_extension",
                    S.IN_HANDLING,
                    a,
                    Role.HEAD,
                    "同意延长答复期限20个工作日",
                    {"days": 20},
                )
            )
            used += self.used(day, a)
            day = a

        # Fee notice (收费通知): clock paused until payment.
        if (
            outcome == "other_fee_unpaid"
            or open_state == S.FEE_PENDING
            or (rng.random() < 0.02 and outcome in ("granted", "partial"))
        ):
            f = self.wd(day, rng.randint(1, 3))
            pages = rng.choice([45, 60, 80, 120, 160])
            amount = _volume_fee(pages)
            notice = FeeNotice(
                application=app,
                method=FeeMethod.BY_VOLUME,
                pages=pages,
                amount=amount,
                breakdown=[],
                issued_on=f,
                pay_by=self.wd(f, 20),
            )
            steps.append(
                _Step(
                    "issue_fee_notice",
                    S.FEE_PENDING,
                    f,
                    Role.HANDLER,
                    f"按量收费，共{pages}页，{amount}元",
                    {"amount": str(amount), "pages": pages},
                )
            )
            self._fee = notice
            if stop(S.FEE_PENDING):
                return steps
            if outcome == "other_fee_unpaid":
                lapsed = self.wd(notice.pay_by, 1)
                notice.lapsed_on = lapsed
                steps.append(
                    _Step(
                        "fee_lapsed",
                        S.CLOSED,
                        lapsed,
                        Role.HANDLER,
                        "申请人逾期未缴纳信息处理费，不再处理该申请",
                        {"outcome": outcome},
                    )
                )
                return steps
            paid = self.wd(f, rng.randint(1, 10))
            notice.paid_on = paid
            notice.paid_amount = amount
            steps.append(_Step("record_payment", S.IN_HANDLING, paid, Role.HANDLER, "申请人已缴费"))
            used += self.used(day, f)
            day = paid

        # Art. 35: the reasons are asked for and answered before a 不予处理－4 reply.
        if outcome == "np_mass_repeated":
            q = self.wd(day, 1)
            steps.append(
                _Step(
                    "request_explanation",
                    S.IN_HANDLING,
                    q,
                    Role.HANDLER,
                    "申请人本月提出申请数量明显超过合理范围",
                    {"deadline": self.wd(q, 5).isoformat(), "detail": "本月已提出申请逾30件"},
                )
            )
            g = self.wd(q, 3)
            steps.append(
                _Step(
                    "receive_explanation",
                    S.IN_HANDLING,
                    g,
                    Role.HANDLER,
                    "申请人称系个人研究需要",
                    {"text": "申请人称系个人研究需要"},
                )  # fmt: skip
            )
            used += self.used(day, g)
            day = g

        # Answer: drafted, reviewed, answered within the time limit (a few late ones).
        limit = 20 + (20 if any(s.action == "approve_extension" for s in steps) else 0)
        late = rng.random() < 0.03
        remaining = max(limit - used, 3)
        total = (
            rng.randint(remaining + 1, remaining + 4) if late else rng.randint(min(3, remaining), remaining)
        )
        draft_in = max(1, total - 2)
        d = self.wd(day, draft_in)
        steps.append(
            _Step("draft_answer", S.ANSWER_DRAFTED, d, Role.HANDLER, "拟定答复", {"outcome": outcome})
        )
        if stop(S.ANSWER_DRAFTED):
            return steps
        rv = self.wd(d, 1) if total - draft_in >= 1 else d
        steps.append(_Step("approve_review", S.REVIEWED, rv, Role.REVIEWER, "审核通过"))
        if stop(S.REVIEWED):
            return steps
        ans = self.wd(rv, 1) if total - draft_in >= 2 else rv
        is_refusal = outcome.startswith(REFUSAL_PREFIXES)
        steps.append(
            _Step(
                "answer",
                S.ANSWERED,
                ans,
                Role.HEAD if is_refusal else Role.REVIEWER,
                "出具答复告知书",
                {"outcome": outcome},
            )
        )
        deliver = self.wd(ans, rng.randint(0, 2)) if rng.random() < 0.9 else None
        if deliver and deliver <= self.as_of:
            steps.append(_Step("deliver", S.DELIVERED, deliver, Role.REGISTRAR, "已送达申请人"))
            archive = deliver + dt.timedelta(days=rng.randint(20, 60))
            if archive <= self.as_of:
                steps.append(_Step("archive", S.ARCHIVED, archive, Role.REGISTRAR, "办结归档"))
        return steps


def _volume_fee(pages: int):
    """Fee by volume (按量计收) as gongkai.core.fees computes it for a single application."""
    from gongkai.core import fees

    return fees.volume_fee(pages)


def _person(rng: random.Random, applicant_type: str) -> dict:
    if applicant_type == "natural_person":
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        return {
            "applicant_name": name,
            "id_document_type": IdDocumentType.RESIDENT_ID,
            "id_document_number": f"3501{rng.randint(10, 99)}19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(1000, 9999)}",
            "contact_person": "",
        }
    org = rng.choice(ORGS[applicant_type])
    return {
        "applicant_name": org,
        "id_document_type": IdDocumentType.CREDIT_CODE,
        "id_document_number": f"91350100MA{rng.randint(10**7, 10**8 - 1)}X",
        "legal_representative": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "contact_person": rng.choice(SURNAMES) + rng.choice(GIVEN),
    }


RECEIPT_FOR_CHANNEL = {
    Channel.IN_PERSON: (ReceiptBasis.IN_PERSON_SUBMITTED, "申请人当面提交，窗口当场登记"),
    Channel.LETTER: (ReceiptBasis.POST_SIGNED, "EMS 挂号信签收回执"),
    Channel.INTERNET: (ReceiptBasis.ONLINE_CONFIRMED, "网上申请平台提交，系统即时回执确认"),
    Channel.EMAIL: (ReceiptBasis.ONLINE_CONFIRMED, "电子邮件回复确认收到"),
    Channel.FAX: (ReceiptBasis.ONLINE_CONFIRMED, "传真收到后电话与申请人确认"),
    Channel.OTHER: (ReceiptBasis.OTHER, "与申请人电话确认收到"),
}


def generate_applications(
    agencies: dict[str, Agency], *, seed: int, as_of: dt.date, cal: WorkCalendar
) -> int:
    """Create the demo applications with their event histories; return how many."""
    rng = random.Random(seed)
    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    weights = {spec.slug: spec.weight for spec in REGION}
    builder = DemoHistoryBuilder(rng, cal, as_of)
    tz = timezone.get_default_timezone()
    serials: dict[tuple[int, int], int] = {}
    open_seen: dict[str, int] = {}
    outcome_seen: dict[str, int] = {}
    apps: list[Application] = []
    plans: list[_Plan] = []

    # Received dates: spread over working days of each year up to the as-of date.
    for year, count in YEAR_COUNTS.items():
        start = dt.date(year, 1, 2)
        end = min(dt.date(year, 12, 31), as_of)
        if end < start:
            continue
        span = (end - start).days
        days = sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))
        for received in days:
            if not cal.is_workday(received) and rng.random() < 0.8:
                received = cal.add_workdays(received, 1)
                if received > as_of:
                    continue
            slug = _weighted(rng, weights)
            agency = agencies[slug]
            applicant_type = _weighted(rng, APPLICANT_WEIGHTS)
            channel = _weighted(rng, CHANNEL_WEIGHTS)
            outcome = _weighted(rng, OUTCOME_WEIGHTS)
            basis, evidence = RECEIPT_FOR_CHANNEL[channel]
            key = (agency.pk, received.year)
            serials[key] = serials.get(key, 0) + 1
            serial = serials[key]
            topic = rng.choice(TOPICS).format(place=rng.choice(PLACES), year=received.year - 1)
            submitted = dt.datetime.combine(received, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tz)
            app = Application(
                agency=agency,
                year=received.year,
                serial=serial,
                tracking_number=f"{agency.tracking_prefix}〔{received.year}〕{serial:04d}号",
                query_code_hash=query_codes.hash_code(
                    "".join(rng.choice(query_codes.ALPHABET) for _ in range(8)), settings.SECRET_KEY
                ),
                applicant_type=applicant_type,
                phone=f"1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}",
                email=f"applicant{rng.randint(1000, 99999)}@example.com" if rng.random() < 0.6 else "",
                postal_address=f"临江市{rng.choice(PLACES)}{rng.randint(1, 300)}号",
                postal_code="350100",
                description=f"申请公开{topic}。",
                purpose="" if rng.random() < 0.7 else "了解自身权益相关情况",
                requested_form=rng.choice(
                    [RequestedForm.PAPER, RequestedForm.ELECTRONIC, RequestedForm.ELECTRONIC]
                ),
                delivery_method=rng.choice(list(DeliveryMethod.values)),
                channel=channel,
                submitted_at=submitted,
                received_date=received,
                receipt_basis=basis,
                receipt_evidence=evidence,
                **_person(rng, applicant_type),
            )
            # Recent cases are still open; older ones ran their course.
            age = cal.workdays_between(received, as_of) if received <= as_of else 0
            open_state = None
            if age < 30 and rng.random() < 0.9:
                # Every open state occurs at least twice (cases old enough to have reached it).
                unfilled = [st for st in OPEN_STATE_WEIGHTS if open_seen.get(st, 0) < 2]
                open_state = unfilled[0] if unfilled and age >= 8 else _weighted(rng, OPEN_STATE_WEIGHTS)
                open_seen[open_state] = open_seen.get(open_state, 0) + 1
                if outcome.startswith("other_"):
                    outcome = "granted"  # an open case has no terminating outcome yet
            if open_state is None and age > 60:
                # Every Table 3 category occurs at least twice among closed cases.
                unfilled = [k for k in OUTCOME_WEIGHTS if outcome_seen.get(k, 0) < 2]
                if unfilled:
                    outcome = unfilled[0]
                outcome_seen[outcome] = outcome_seen.get(outcome, 0) + 1
            builder._fee = None
            steps = builder.plan(app, outcome, open_state)
            kept = []
            for step in steps:
                if step.day > as_of:
                    break
                kept.append(step)
            steps = kept
            apps.append(app)
            plans.append(_Plan(app, steps, builder._fee))

    # Apply each history to its application in memory, then insert everything in bulk.
    events: list[ApplicationEvent] = []
    fees: list[FeeNotice] = []
    slug_of = {spec.name: spec.slug for spec in REGION}
    for plan in plans:
        app = plan.app
        slug = slug_of[app.agency.name]
        registrar = users[username(slug, Role.REGISTRAR)]
        app.handler = users[username(slug, Role.HANDLER)]
        app.registered_by = registrar if app.channel != Channel.INTERNET else None
        events.append(
            ApplicationEvent(
                application=app,
                seq=1,
                action="submit",
                from_state="",
                to_state=S.REGISTERED,
                actor=app.registered_by,
                actor_label="" if app.registered_by else "申请人（网上申请）",
                at=app.submitted_at,
                effective_date=app.received_date,
                reason="登记申请",
                data={"channel": app.channel, "receipt_basis": app.receipt_basis},
            )
        )
        state = S.REGISTERED
        for i, step in enumerate(plan.steps, start=2):
            actor = users[username(slug, step.role)] if step.role else None
            at = dt.datetime.combine(step.day, dt.time(9 + (i % 8), (i * 7) % 60), tz)
            events.append(
                ApplicationEvent(
                    application=app,
                    seq=i,
                    action=step.action,
                    from_state=state,
                    to_state=step.to_state,
                    actor=actor,
                    actor_label="" if actor else "申请人",
                    at=at,
                    effective_date=step.day,
                    reason=step.reason,
                    data=step.data,
                )
            )
            state = step.to_state
            _apply_clock(app, step)
            if step.to_state in (S.CLOSED, S.WITHDRAWN, S.ANSWERED):
                app.outcome = step.data.get("outcome", "")
                app.closed_on = step.day
                if step.to_state == S.ANSWERED:
                    app.answered_on = step.day
            if step.to_state == S.ANSWER_DRAFTED:
                app.outcome = step.data.get("outcome", "")
                facts = answer_facts(app.outcome)
                asked = next((x for x in plan.steps if x.action == "request_explanation"), None)
                answered = next((x for x in plan.steps if x.action == "receive_explanation"), None)
                if asked is not None:
                    facts.update(
                        core_answers.explanation_facts(asked.day, answered.day if answered else None)
                    )
                app.answer_data = {
                    "variant": core_answers.answer(app.outcome).variants[0].key,
                    "fields": facts,
                }
                app.answer_text = core_answers.decision_text(app.outcome, facts)
            if step.to_state == S.DELIVERED:
                app.delivered_on = step.day
            if step.to_state == S.ARCHIVED:
                app.archived_on = step.day
        app.state = state
        if plan.fee is not None and any(s.action == "issue_fee_notice" for s in plan.steps):
            if plan.fee.paid_on and plan.fee.paid_on > as_of:
                plan.fee.paid_on = plan.fee.paid_amount = None
            if plan.fee.lapsed_on and plan.fee.lapsed_on > as_of:
                plan.fee.lapsed_on = None
            fees.append(plan.fee)
        app.due_date, app.due_date_error = _due_date(app, cal)
        app.due_date_provisional = bool(app.due_date) and cal.provisional_between(
            app.received_date, app.due_date
        )

    with transaction.atomic():
        Application.objects.bulk_create(apps, batch_size=500)
        ApplicationEvent.objects.bulk_create(events, batch_size=2000)
        FeeNotice.objects.bulk_create(fees, batch_size=500)
        TrackingCounter.objects.bulk_create(
            [TrackingCounter(agency_id=a, year=y, last_serial=n) for (a, y), n in serials.items()]
        )
    return len(apps)


def _apply_clock(app: Application, step: _Step) -> None:
    """Keep the application's clock inputs in step with its events (as the workflow does)."""
    iso = step.day.isoformat()
    if step.action == "request_correction":
        app.correction_requested_on = step.day
        app.correction_deadline = dt.date.fromisoformat(step.data["deadline"])
    elif step.action == "receive_correction":
        app.correction_received_on = step.day
    elif step.action == "start_consultation" or (step.action == "issue_fee_notice" and fee_pauses_clock()):
        app.pauses = app.pauses + [[iso, None]]
    elif (
        step.action in ("end_consultation", "record_payment", "fee_lapsed")
        and app.pauses
        and app.pauses[-1][1] is None
    ):
        app.pauses = app.pauses[:-1] + [[app.pauses[-1][0], iso]]
    elif step.action == "approve_extension":
        app.extension_days = int(step.data.get("days", 20))


def _due_date(app: Application, cal: WorkCalendar) -> tuple[dt.date | None, str]:
    """The derived answer deadline (kept for closed cases too: shows whether they were on time)."""
    try:
        return compute_due_date(app, cal), ""
    except CalendarNotCovered as exc:
        return None, str(exc)[:200]
