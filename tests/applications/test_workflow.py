import datetime as dt

import pytest
from casework_fixtures import NATURAL, at, make_user
from django.db import IntegrityError, connection, transaction

from gongkai.agencies.models import Role
from gongkai.applications.models import ApplicationEvent, FeeNotice, ImmutableEventError
from gongkai.applications.services import (
    TRANSITIONS,
    TransitionError,
    allowed_actions,
    submit_application,
    transition,
)
from gongkai.applications.services.query_codes import set_new_code
from gongkai.applications.services.workflow import APPLICANT

pytestmark = pytest.mark.django_db

D = dt.date
GRANTED = {"outcome": "granted", "variant": "provided", "fields": {"access_method": "随本告知书附送电子文件"}}
REFUSAL = {"outcome": "withheld_state_secret", "fields": {"reason": "该信息已依法确定为国家秘密。"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def new_app(agency, staff, when=None):
    when = when or at(2026, 3, 2)
    return submit_application(
        agency, NATURAL, channel="in_person", actor=staff["registrar"], submitted_at=when
    )


def go(app, staff, action, who, **kw):
    return transition(app, action, staff[who], **kw)


# How to reach each state from a fresh application received on Monday 2026-03-02.
PATHS = {
    "registered": [],
    "in_handling": [("accept", "handler", {"effective_date": D(2026, 3, 3)})],
    "correction_requested": [
        (
            "request_correction",
            "handler",
            {"effective_date": D(2026, 3, 3), "data": {"items": "请明确所需信息的文号"}},
        )
    ],
    "consultation": [
        ("accept", "handler", {"effective_date": D(2026, 3, 3)}),
        ("start_consultation", "handler", {"effective_date": D(2026, 3, 4), "data": {"party": "某公司"}}),
    ],
    "extension_pending": [
        ("accept", "handler", {"effective_date": D(2026, 3, 3)}),
        (
            "request_extension",
            "handler",
            {"effective_date": D(2026, 3, 20), "reason": "需调取档案", "data": {"days": 15}},
        ),
    ],
    "fee_pending": [
        ("accept", "handler", {"effective_date": D(2026, 3, 3)}),
        (
            "issue_fee_notice",
            "handler",
            {"effective_date": D(2026, 3, 5), "data": {"method": "by_volume", "pages": 100}},
        ),
    ],
    "answer_drafted": [
        ("accept", "handler", {"effective_date": D(2026, 3, 3)}),
        ("draft_answer", "handler", {"effective_date": D(2026, 3, 10), "data": GRANTED}),
    ],
    "reviewed": [
        ("accept", "handler", {"effective_date": D(2026, 3, 3)}),
        ("draft_answer", "handler", {"effective_date": D(2026, 3, 10), "data": GRANTED}),
        ("approve_review", "reviewer", {"effective_date": D(2026, 3, 11)}),
    ],
    "answered": [
        ("accept", "handler", {"effective_date": D(2026, 3, 3)}),
        ("draft_answer", "handler", {"effective_date": D(2026, 3, 10), "data": GRANTED}),
        ("approve_review", "reviewer", {"effective_date": D(2026, 3, 11)}),
        ("answer", "reviewer", {"effective_date": D(2026, 3, 12)}),
    ],
}
PATHS["delivered"] = PATHS["answered"] + [
    ("deliver", "registrar", {"effective_date": D(2026, 3, 13), "data": {"evidence": "EMS 1111 已签收"}})
]
PATHS["archived"] = PATHS["delivered"] + [("archive", "registrar", {"effective_date": D(2026, 3, 16)})]
PATHS["closed"] = PATHS["correction_requested"] + [
    ("deem_abandoned", "handler", {"effective_date": D(2026, 4, 20)})
]
PATHS["withdrawn"] = [
    ("withdraw", "registrar", {"effective_date": D(2026, 3, 3), "reason": "申请人书面撤回"})
]
ALL_STATES = list(PATHS)


def reach(agency, staff, state):
    app = new_app(agency, staff)
    for action, who, kw in PATHS[state]:
        app = go(app, staff, action, who, **kw)
    assert app.state == state
    return app


def good_call(staff, action):
    """(actor key, kwargs) that make ``action`` succeed from the first source state's path."""
    return {
        "accept": ("registrar", {"effective_date": D(2026, 3, 3), "data": {"handler": staff["handler"].pk}}),
        "assign_handler": ("head", {"data": {"handler": staff["handler"].pk}}),
        "request_correction": ("handler", {"effective_date": D(2026, 3, 4), "data": {"items": "请明确文号"}}),
        "receive_correction": ("registrar", {"effective_date": D(2026, 3, 10)}),
        "deem_abandoned": ("handler", {"effective_date": D(2026, 4, 20)}),
        "start_consultation": ("handler", {"effective_date": D(2026, 3, 5), "data": {"party": "某公司"}}),
        "end_consultation": ("handler", {"effective_date": D(2026, 3, 20)}),
        "request_extension": ("handler", {"reason": "情况复杂", "effective_date": D(2026, 3, 20)}),
        "approve_extension": (
            "head",
            {"reason": "同意", "effective_date": D(2026, 3, 23), "data": {"days": 10}},
        ),
        "reject_extension": ("head", {"reason": "无需延期", "effective_date": D(2026, 3, 23)}),
        "request_explanation": (
            "handler",
            {
                "reason": "本月已申请60件",
                "effective_date": D(2026, 3, 10),
                "data": {"deadline": "2026-03-31"},
            },
        ),
        "receive_explanation": (
            "registrar",
            {"reason": "申请人称系课题研究需要", "effective_date": D(2026, 3, 12)},
        ),
        "set_delayed_answer": (
            "head",
            {
                "reason": "理由合理，涉及档案量大",
                "effective_date": D(2026, 3, 20),
                "data": {"new_due": "2026-05-29"},
            },
        ),
        "issue_fee_notice": (
            "handler",
            {"effective_date": D(2026, 3, 5), "data": {"method": "by_volume", "pages": 50}},
        ),
        "record_payment": ("handler", {"effective_date": D(2026, 3, 10)}),
        "fee_lapsed": ("handler", {"effective_date": D(2026, 5, 6)}),
        "draft_answer": ("handler", {"effective_date": D(2026, 3, 10), "data": GRANTED}),
        "approve_review": ("reviewer", {"effective_date": D(2026, 3, 11)}),
        "return_for_revision": ("reviewer", {"reason": "请补充获取方式", "effective_date": D(2026, 3, 11)}),
        "answer": ("reviewer", {"effective_date": D(2026, 3, 12)}),
        "deliver": ("registrar", {"effective_date": D(2026, 3, 13), "data": {"evidence": "当面领取并签收"}}),
        "archive": ("registrar", {"effective_date": D(2026, 3, 16)}),
        "withdraw": ("registrar", {"reason": "申请人书面撤回", "effective_date": D(2026, 3, 3)}),
    }[action]


ACTIONS = list(TRANSITIONS)


def test_table_covers_every_action():
    assert set(ACTIONS) >= {
        "accept",
        "request_correction",
        "receive_correction",
        "deem_abandoned",
        "start_consultation",
        "end_consultation",
        "request_extension",
        "approve_extension",
        "reject_extension",
        "issue_fee_notice",
        "record_payment",
        "fee_lapsed",
        "draft_answer",
        "approve_review",
        "return_for_revision",
        "answer",
        "deliver",
        "archive",
        "withdraw",
    }


@pytest.mark.parametrize("action", ACTIONS)
def test_allowed_from_each_source_state(action, agency, staff):
    t = TRANSITIONS[action]
    who, kw = good_call(staff, action)
    for source in (s for s in t.sources if s in PATHS):
        app = reach(agency, staff, source)
        if action == "receive_explanation":  # needs the Art. 35 request on record first
            who_x, kw_x = good_call(staff, "request_explanation")
            app = go(app, staff, "request_explanation", who_x, **kw_x)
        n_before = app.events.count()
        kw2 = dict(kw)
        last = app.events.last().effective_date
        if kw2.get("effective_date") and kw2["effective_date"] < last:
            kw2["effective_date"] = last
        # buttons: every action the service accepts is offered, except a payment recorded after
        # the pay-by date has passed in real time (allowed_actions judges against today)
        if action != "record_payment":
            assert action in allowed_actions(app, staff[who])
        done = transition(app, action, staff[who], **kw2)
        assert done.state == (t.target or source)
        assert done.events.count() == n_before + 1
        ev = done.events.last()
        assert (ev.action, ev.from_state, ev.to_state, ev.actor) == (action, source, done.state, staff[who])
        assert ev.effective_date == kw2.get("effective_date", ev.effective_date)


@pytest.mark.parametrize("action", ACTIONS)
def test_refused_in_wrong_state(action, agency, staff):
    t = TRANSITIONS[action]
    wrong = next(s for s in ALL_STATES if s not in t.sources)
    app = reach(agency, staff, wrong)
    who, kw = good_call(staff, action)
    n = app.events.count()
    with pytest.raises(TransitionError) as ei:
        transition(app, action, staff[who], **kw)
    assert ei.value.code == "state"
    assert "不能执行" in ei.value.message
    app.refresh_from_db()
    assert app.state == wrong and app.events.count() == n


@pytest.mark.parametrize("action", ACTIONS)
def test_refused_for_wrong_role_supervisor_and_other_agency(action, agency, staff):
    t = TRANSITIONS[action]
    source = next(s for s in t.sources if s in PATHS)
    if action == "deem_abandoned":
        source = "correction_requested"
    app = reach(agency, staff, source)
    who, kw = good_call(staff, action)
    others = [
        r for r in (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN) if r not in t.roles
    ]
    actors = [staff["supervisor"], staff["outsider"]]
    if others:
        actors.append(make_user(f"only_{others[0]}_{action}", agency, others[0]))
    if APPLICANT not in t.roles:
        actors.append(None)
    for actor in actors:
        with pytest.raises(TransitionError) as ei:
            transition(app, action, actor, **kw)
        assert ei.value.code == "role", (action, actor)
        assert action not in allowed_actions(app, actor)
    app.refresh_from_db()
    assert app.state == source


def test_supervisor_and_outsider_have_no_actions(agency, staff):
    app = new_app(agency, staff)
    assert allowed_actions(app, staff["supervisor"]) == []
    assert allowed_actions(app, staff["outsider"]) == []
    assert "accept" in allowed_actions(app, staff["registrar"])
    assert allowed_actions(app, None) == ["withdraw"]


def test_full_happy_path_with_refusal_needing_head(agency, staff):
    app = new_app(agency, staff)
    app = go(
        app, staff, "accept", "registrar", effective_date=D(2026, 3, 3), data={"handler": staff["handler"].pk}
    )
    assert app.handler == staff["handler"]
    app = go(app, staff, "draft_answer", "handler", effective_date=D(2026, 3, 10), data=REFUSAL)
    assert app.outcome == "withheld_state_secret" and "国家秘密" in app.answer_text
    app = go(app, staff, "approve_review", "reviewer", effective_date=D(2026, 3, 11))
    assert "answer" not in allowed_actions(app, staff["reviewer"])
    assert "answer" in allowed_actions(app, staff["head"])
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "answer", "reviewer", effective_date=D(2026, 3, 12))
    assert "负责人" in ei.value.message
    app = go(app, staff, "answer", "head", effective_date=D(2026, 3, 12))
    assert (app.state, app.answered_on, app.closed_on) == ("answered", D(2026, 3, 12), D(2026, 3, 12))
    app = go(app, staff, "deliver", "registrar", effective_date=D(2026, 3, 13), data={"evidence": "EMS 签收"})
    assert app.delivered_on == D(2026, 3, 13)
    app = go(app, staff, "archive", "registrar", effective_date=D(2026, 3, 16))
    assert app.archived_on == D(2026, 3, 16)
    assert [e.action for e in app.events.all()] == [
        "submit",
        "accept",
        "draft_answer",
        "approve_review",
        "answer",
        "deliver",
        "archive",
    ]
    assert app.due_date == D(2026, 3, 30)  # kept after closing: answered in time
    from gongkai.letters.models import GeneratedDocument

    reply = GeneratedDocument.objects.get(application=app, kind="reply")
    assert "国家秘密" in reply.rendered_text and reply.outcome == "withheld_state_secret"


def test_procedural_letters_are_generated(agency, staff):
    from gongkai.letters.models import GeneratedDocument

    app = reach(agency, staff, "in_handling")
    app = go(
        app,
        staff,
        "request_correction",
        "handler",
        effective_date=D(2026, 3, 4),
        data={"items": "请明确文号"},
    )
    app = go(app, staff, "receive_correction", "registrar", effective_date=D(2026, 3, 6))
    app = go(
        app, staff, "start_consultation", "handler", effective_date=D(2026, 3, 9), data={"party": "某公司"}
    )
    app = go(app, staff, "end_consultation", "handler", effective_date=D(2026, 3, 12))
    app = go(
        app,
        staff,
        "issue_fee_notice",
        "handler",
        effective_date=D(2026, 3, 13),
        data={"method": "by_volume", "pages": 40},
    )
    app = go(app, staff, "record_payment", "handler", effective_date=D(2026, 3, 16))
    app = go(app, staff, "request_extension", "handler", reason="需会商", effective_date=D(2026, 3, 17))
    app = go(app, staff, "approve_extension", "head", reason="同意", effective_date=D(2026, 3, 18))
    kinds = list(
        GeneratedDocument.objects.filter(application=app).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["correction", "consultation", "fee_notice", "extension"]
    fee = GeneratedDocument.objects.get(application=app, kind="fee_notice")
    assert "100" in fee.rendered_text  # 31–40 pages: 10 × 10 元


def test_draft_answer_validates_required_facts(agency, staff):
    app = reach(agency, staff, "in_handling")
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "draft_answer", "handler", data={"outcome": "partial", "fields": {}})
    assert ei.value.code == "precondition" and "请填写" in ei.value.message
    with pytest.raises(TransitionError):
        go(app, staff, "draft_answer", "handler", data={"outcome": "other_fee_unpaid"})
    with pytest.raises(TransitionError):
        go(app, staff, "draft_answer", "handler", data={})


def test_correction_restarts_clock(agency, staff):
    app = new_app(agency, staff)
    assert app.due_date == D(2026, 3, 30)
    app = go(
        app,
        staff,
        "request_correction",
        "handler",
        effective_date=D(2026, 3, 4),
        data={"items": "请明确文号", "period_workdays": 10},
    )
    assert app.due_date is None and app.correction_requested_on == D(2026, 3, 4)
    assert app.correction_deadline == D(2026, 3, 18)
    ev = app.events.last()
    assert "warning" not in ev.data
    with pytest.raises(TransitionError) as ei:  # one-time notice
        go(
            go(app, staff, "receive_correction", "registrar", effective_date=D(2026, 3, 9)),
            staff,
            "request_correction",
            "handler",
            data={"items": "再补"},
        )
    assert "一次性" in ei.value.message
    app.refresh_from_db()
    assert app.correction_received_on == D(2026, 3, 9)
    # 20 working days counted afresh from 2026-03-09 -> 2026-04-07 (Qingming 4/4-4/6)
    assert app.due_date == D(2026, 4, 7)


def test_late_correction_notice_warns(agency, staff):
    app = new_app(agency, staff)
    app = go(
        app, staff, "request_correction", "handler", effective_date=D(2026, 3, 16), data={"items": "请明确"}
    )
    assert "7个工作日" in app.events.last().data["warning"]


def test_deem_abandoned_only_after_period(agency, staff):
    import time_machine

    app = reach(agency, staff, "correction_requested")
    on_deadline = dt.datetime.combine(
        app.correction_deadline, dt.time(12), tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    with time_machine.travel(on_deadline, tick=False):
        assert "deem_abandoned" not in allowed_actions(app, staff["handler"])
    with time_machine.travel(on_deadline + dt.timedelta(days=1), tick=False):
        assert "deem_abandoned" in allowed_actions(app, staff["handler"])
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "deem_abandoned", "handler", effective_date=app.correction_deadline)
    assert "尚未届满" in ei.value.message
    app = go(
        app, staff, "deem_abandoned", "handler", effective_date=app.correction_deadline + dt.timedelta(days=1)
    )
    assert (app.state, app.outcome) == ("closed", "other_no_correction")
    assert app.closed_on == app.correction_deadline + dt.timedelta(days=1)


def test_consultation_pauses_clock(agency, staff):
    app = reach(agency, staff, "consultation")  # started 2026-03-04
    assert app.due_date is None and app.pauses == [["2026-03-04", None]]
    app = go(app, staff, "end_consultation", "handler", effective_date=D(2026, 3, 10))
    # working days 3/4..3/10 (5 days) excluded: 2026-03-30 + 5 working days = 2026-04-07 (Qingming)
    assert app.pauses == [["2026-03-04", "2026-03-10"]]
    assert app.due_date == D(2026, 4, 7)
    assert app.events.last().data["due_date"] == "2026-04-07"


def test_extension_adds_days_and_is_capped(agency, staff):
    app = reach(agency, staff, "extension_pending")
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "approve_extension", "head", reason="同意", data={"days": 21})
    assert "20个工作日" in ei.value.message
    with pytest.raises(TransitionError):
        go(app, staff, "approve_extension", "head", data={"days": 10})  # reason required
    app = go(app, staff, "approve_extension", "head", reason="同意延期", effective_date=D(2026, 3, 23))
    assert app.extension_days == 15  # the requested days
    assert app.due_date == D(2026, 4, 21)  # 35 working days after 2026-03-02
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "request_extension", "handler", reason="再延")
    assert "已经延长" in ei.value.message


def test_fee_notice_flow_and_lapse(agency, staff, settings):
    settings.GONGKAI_FEE_PAUSES_CLOCK = True  # the administrator turned the unconfirmed rule on
    app = reach(agency, staff, "fee_pending")
    notice = FeeNotice.objects.get(application=app)
    assert notice.method == "by_volume" and notice.amount == 700  # 31–100 pages: 70 × 10
    assert notice.pay_by == D(2026, 4, 2)  # 20 working days after 2026-03-05
    assert app.pauses == [["2026-03-05", None]] and app.due_date is None
    with pytest.raises(TransitionError):
        go(app, staff, "fee_lapsed", "handler", effective_date=D(2026, 4, 2))
    app = go(app, staff, "fee_lapsed", "handler", effective_date=D(2026, 4, 3))
    assert (app.state, app.outcome, app.closed_on) == ("closed", "other_fee_unpaid", D(2026, 4, 3))
    notice.refresh_from_db()
    assert notice.lapsed_on == D(2026, 4, 3)


def test_fee_payment_resumes_clock(agency, staff, settings):
    settings.GONGKAI_FEE_PAUSES_CLOCK = True
    app = reach(agency, staff, "fee_pending")
    with pytest.raises(TransitionError):
        go(app, staff, "record_payment", "handler", effective_date=D(2026, 3, 10), data={"amount": "100"})
    app = go(app, staff, "record_payment", "handler", effective_date=D(2026, 3, 10))
    assert app.state == "in_handling" and app.pauses == [["2026-03-05", "2026-03-10"]]
    assert app.due_date == D(2026, 4, 3)  # 4 working days 3/5,6,9,10 excluded
    assert FeeNotice.objects.get(application=app).paid_amount == 700


def test_fee_by_count_uses_position_in_month(agency, staff):
    apps = [new_app(agency, staff, at(2026, 3, 2)) for _ in range(11)]
    app = go(apps[-1], staff, "accept", "handler", effective_date=D(2026, 3, 3))
    app = go(
        app, staff, "issue_fee_notice", "handler", effective_date=D(2026, 3, 5), data={"method": "by_count"}
    )
    n = FeeNotice.objects.get(application=app)
    assert (n.count_in_month, n.amount) == (11, 100)
    free = go(apps[0], staff, "accept", "handler", effective_date=D(2026, 3, 3))
    with pytest.raises(TransitionError) as ei:
        go(
            free,
            staff,
            "issue_fee_notice",
            "handler",
            effective_date=D(2026, 3, 5),
            data={"method": "by_count"},
        )
    assert "为零" in ei.value.message


def test_fee_waiver(agency, staff):
    app = reach(agency, staff, "in_handling")
    app = go(
        app,
        staff,
        "issue_fee_notice",
        "handler",
        effective_date=D(2026, 3, 5),
        data={"method": "by_volume", "pages": 250, "waiver_amount": "700", "waiver_reason": "困难群众"},
    )
    n = FeeNotice.objects.get(application=app)
    assert n.amount == 4000 and n.waived and n.waiver_reason == "困难群众"


def test_withdraw_by_applicant_and_registrar(agency, staff):
    from gongkai.applications.services import withdraw_by_applicant

    app = reach(agency, staff, "consultation")
    code = set_new_code(app)
    app.save(update_fields=["query_code_hash"])
    app = withdraw_by_applicant(app.tracking_number, code, "不再需要")
    assert (app.state, app.outcome) == ("withdrawn", "other_other")
    ev = app.events.last()
    assert ev.actor is None and ev.actor_label == "申请人"
    assert app.pauses[-1][1] is not None
    with pytest.raises(TransitionError):
        withdraw_by_applicant(app.tracking_number, "BADCODE1")
    closed = reach(agency, staff, "answered")
    with pytest.raises(TransitionError) as ei:
        transition(closed, "withdraw", None, reason="x")
    assert ei.value.code == "state"


@pytest.mark.date_sensitive
def test_effective_date_bounds(agency, staff):
    app = new_app(agency, staff)
    with pytest.raises(TransitionError):
        go(app, staff, "accept", "registrar", effective_date=D(2026, 3, 1))
    with pytest.raises(TransitionError):
        go(app, staff, "accept", "registrar", effective_date=dt.date.today() + dt.timedelta(days=2))
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "nonsense", "registrar")
    assert ei.value.code == "unknown"


def test_events_are_immutable_in_orm(agency, staff):
    app = reach(agency, staff, "in_handling")
    ev = app.events.first()
    ev.reason = "changed"
    with pytest.raises(ImmutableEventError):
        ev.save()
    with pytest.raises(ImmutableEventError):
        ev.delete()
    with pytest.raises(ImmutableEventError):
        ApplicationEvent.objects.filter(pk=ev.pk).update(reason="x")
    with pytest.raises(ImmutableEventError):
        ApplicationEvent.objects.filter(pk=ev.pk).delete()


def test_events_are_immutable_in_database(agency, staff):
    if connection.vendor != "postgresql":
        pytest.fail("the trigger test needs PostgreSQL: set DATABASE_URL=postgres://…")
    app = reach(agency, staff, "in_handling")
    ev = app.events.first()
    for sql in (
        "UPDATE applications_applicationevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM applications_applicationevent WHERE id = %s",
    ):
        with pytest.raises(IntegrityError) as ei:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, [ev.pk])
        assert "append-only" in str(ei.value)
    ev.refresh_from_db()
    assert ev.reason != "x"
    # appending still works
    go(app, staff, "start_consultation", "handler", effective_date=D(2026, 3, 4), data={"party": "甲"})
    assert app.events.count() == 3


def test_attachments_on_transition(agency, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = reach(agency, staff, "answered")
    f = SimpleUploadedFile("回执.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    app = go(
        app,
        staff,
        "deliver",
        "registrar",
        effective_date=D(2026, 3, 13),
        data={"evidence": "回执"},
        attachments=[f],
    )
    assert app.events.last().attachments.get().original_name == "回执.pdf"
    bad = SimpleUploadedFile("x.exe", b"MZ")
    app2 = reach(agency, staff, "in_handling")
    with pytest.raises(TransitionError) as ei:
        go(app2, staff, "start_consultation", "handler", data={"party": "甲"}, attachments=[bad])
    assert ei.value.field == "attachments"


def test_art35_explanation_and_delayed_deadline(agency, staff):
    app = reach(agency, staff, "in_handling")
    app = go(
        app,
        staff,
        "request_explanation",
        "handler",
        reason="本月已申请60件",
        effective_date=D(2026, 3, 10),
        data={"deadline": "2026-03-31"},
    )
    assert app.state == "in_handling" and app.events.last().data["deadline"] == "2026-03-31"
    with pytest.raises(TransitionError) as ei:
        go(
            app,
            staff,
            "set_delayed_answer",
            "head",
            reason="量大",
            effective_date=D(2026, 3, 20),
            data={"new_due": "2026-03-27"},
        )
    assert "应晚于2026年03月30日" in ei.value.message
    with pytest.raises(TransitionError) as ei:
        go(app, staff, "set_delayed_answer", "handler", reason="量大", data={"new_due": "2026-05-29"})
    assert ei.value.code == "role"
    app = go(
        app,
        staff,
        "set_delayed_answer",
        "head",
        reason="量大",
        effective_date=D(2026, 3, 20),
        data={"new_due": "2026-05-29"},
    )
    assert app.delayed_due_date == app.due_date == D(2026, 5, 29)
    assert "set_delayed_answer" not in allowed_actions(app, staff["head"])
    assert "request_extension" not in allowed_actions(app, staff["handler"])
    with pytest.raises(TransitionError):
        go(app, staff, "request_extension", "handler", reason="再延")


def test_transition_into_uncovered_year_stores_message(agency, staff, settings):
    settings.GONGKAI_PROVISIONAL_CALENDAR = False
    app = new_app(agency, staff, at(2026, 11, 20))
    assert app.due_date == D(2026, 12, 18)
    app = go(app, staff, "accept", "handler", effective_date=D(2026, 11, 23))
    app = go(app, staff, "request_extension", "handler", reason="档案量大", effective_date=D(2026, 11, 23))
    app = go(app, staff, "approve_extension", "head", reason="同意", effective_date=D(2026, 11, 23))
    assert app.extension_days == 20 and app.state == "in_handling"
    assert app.due_date is None and "2027年的法定节假日安排尚未录入" in app.due_date_error
    assert app.events.last().data["due_date_error"] == app.due_date_error


def test_transition_into_uncovered_year_gives_provisional_date(agency, staff):
    app = new_app(agency, staff, at(2026, 11, 20))
    app = go(app, staff, "accept", "handler", effective_date=D(2026, 11, 23))
    app = go(app, staff, "request_extension", "handler", reason="档案量大", effective_date=D(2026, 11, 23))
    app = go(app, staff, "approve_extension", "head", reason="同意", effective_date=D(2026, 11, 23))
    assert app.due_date == D(2027, 1, 18) and app.due_date_provisional and not app.due_date_error
    assert app.events.last().data["due_date_provisional"] is True
