import datetime as dt

import pytest
from casework_fixtures import NATURAL, at
from django.core import mail
from django.core.management import call_command

from gongkai.applications.models import Application
from gongkai.applications.services import (
    deadline_digest,
    format_digest,
    rederive,
    submit_application,
    transition,
)
from gongkai.applications.tasks import deadline_digest as digest_task
from gongkai.workdays.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def new_app(agency, staff, when):
    return submit_application(
        agency, NATURAL, channel="in_person", actor=staff["registrar"], submitted_at=when
    )


def test_calendar_override_rederives_open_cases_only(agency, staff):
    open_app = new_app(agency, staff, at(2026, 3, 2))
    closed = new_app(agency, staff, at(2026, 3, 2))
    closed = transition(closed, "withdraw", staff["registrar"], reason="撤回", effective_date=D(2026, 3, 3))
    assert open_app.due_date == closed.due_date == D(2026, 3, 30)
    CalendarOverride.objects.create(date=D(2026, 3, 16), is_workday=False, name="测试假日")
    open_app.refresh_from_db()
    closed.refresh_from_db()
    assert open_app.due_date == D(2026, 3, 31)
    assert closed.due_date == D(2026, 3, 30)  # closed cases keep the deadline they were held to
    CalendarOverride.objects.filter(date=D(2026, 3, 16)).get().delete()
    open_app.refresh_from_db()
    assert open_app.due_date == D(2026, 3, 30)


def test_missing_year_then_entered(agency, staff, settings):
    settings.GONGKAI_PROVISIONAL_CALENDAR = False  # strict: no estimate for an uncovered year
    app = new_app(agency, staff, at(2026, 11, 20))
    Application.objects.filter(pk=app.pk).update(extension_days=20, state="in_handling")
    app.refresh_from_db()
    rederive(app)
    app.refresh_from_db()
    assert app.due_date is None and "2027年的法定节假日安排尚未录入" in app.due_date_error
    assert "管理员" not in app.due_date_error  # the stored text may reach citizens: no admin orders
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    app.refresh_from_db()
    assert app.due_date is None  # overrides alone do not cover a year
    CalendarYear.objects.create(year=2027, complete=True)
    app.refresh_from_db()
    # 40 working days after 2026-11-20 with 2027-01-01 a holiday: 2027-01-18
    assert app.due_date == D(2027, 1, 18) and app.due_date_error == ""
    assert not app.due_date_provisional


def test_provisional_year_then_official_notice_rederives(agency, staff):
    """Default: an uncovered year is computed from the statutory holidays and marked 暂定; entering
    the official notice re-derives the date (here the notice moves it) and clears the mark."""
    app = new_app(agency, staff, at(2026, 11, 20))
    Application.objects.filter(pk=app.pk).update(extension_days=20, state="in_handling")
    app.refresh_from_db()
    rederive(app)
    app.refresh_from_db()
    # statutory holidays only: 2027-01-01 off, 40th working day after 2026-11-20 is 2027-01-18
    assert app.due_date == D(2027, 1, 18) and app.due_date_provisional and app.due_date_error == ""
    from gongkai.workdays.services import enter_year_notice

    # a (made-up) notice that also gives 2027-01-04..05 off moves the deadline by two working days
    enter_year_notice(2027, [(D(2027, 1, 1), D(2027, 1, 5), "元旦")], [])
    app.refresh_from_db()
    assert app.due_date == D(2027, 1, 20) and not app.due_date_provisional


def test_digest_lists_due_soon_and_overdue_per_handler(agency, staff):
    soon = new_app(agency, staff, at(2026, 3, 2))  # due 2026-03-30
    soon = transition(
        soon,
        "accept",
        staff["registrar"],
        effective_date=D(2026, 3, 3),
        data={"handler": staff["handler"].pk},
    )
    overdue = new_app(agency, staff, at(2026, 2, 2))  # due 2026-03-09 (Spring Festival)
    later = new_app(agency, staff, at(2026, 3, 20))  # due 2026-04-20: not listed on 2026-03-25
    paused = new_app(agency, staff, at(2026, 2, 2))
    paused = transition(
        paused,
        "request_correction",
        staff["handler"],
        effective_date=D(2026, 2, 3),
        data={"items": "请明确文号"},
    )
    groups = deadline_digest(D(2026, 3, 25))
    by_handler = {g.handler_name: g for g in groups}
    assert set(by_handler) == {"handler", "（未指定承办人）"}
    h = by_handler["handler"]
    assert [(i.tracking_number, i.workdays_left) for i in h.items] == [(soon.tracking_number, 3)]
    u = by_handler["（未指定承办人）"]
    assert [i.tracking_number for i in u.overdue] == [overdue.tracking_number]
    assert u.overdue[0].workdays_left < 0
    listed = {i.tracking_number for g in groups for i in g.items}
    assert later.tracking_number not in listed and paused.tracking_number not in listed
    text = format_digest(groups, D(2026, 3, 25))
    assert "承办人：handler" in text and "剩余3个工作日" in text and "已超期" in text


def test_digest_task_emails_handlers_and_command_prints(agency, staff, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff["handler"].email = "handler@example.cn"
    staff["handler"].save()
    app = new_app(agency, staff, at(2026, 3, 2))
    transition(
        app, "accept", staff["registrar"], effective_date=D(2026, 3, 3), data={"handler": staff["handler"].pk}
    )
    assert digest_task.name == "gongkai.applications.tasks.deadline_digest"
    summary = digest_task.apply(kwargs={"today": "2026-03-27"}).get()
    assert summary == {"date": "2026-03-27", "handlers": 1, "cases": 1, "overdue": 0, "emails_sent": 1}
    assert mail.outbox[0].to == ["handler@example.cn"] and "答复期限提醒" in mail.outbox[0].subject
    call_command("deadline_digest", "--date", "2026-04-01")
    out = capsys.readouterr().out
    assert (
        "政府信息公开申请答复期限提醒（2026年04月01日）" in out
        and "已超期" in out
        and app.tracking_number in out
    )


def test_digest_empty(db):
    assert "没有3个工作日内到期或已超期的申请" in format_digest(
        deadline_digest(D(2026, 3, 25)), D(2026, 3, 25)
    )
