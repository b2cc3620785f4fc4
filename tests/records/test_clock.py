"""Art. 26: published within 20 working days of being formed or changed (working-day engine)."""

import datetime as dt

import pytest
from records_fixtures import draft, publish

from gongkai.records.models import Record
from gongkai.records.services import clock, lifecycle
from gongkai.workdays import services as calendar_services

pytestmark = pytest.mark.django_db
D = dt.date


def test_due_date_skips_the_national_day_holiday(agencies, staff):
    # 2026-09-28 (Mon): 29, 30 Sep; 8, 9, 10 (adjusted Saturday) Oct; then 12–30 Oct → the 20th is 30 Oct.
    rec = draft(agencies["dept"], staff["handler"], written_on=D(2026, 9, 28))
    assert rec.publish_due == D(2026, 10, 30)
    assert clock.status(rec, today=D(2026, 10, 16)) == "running"
    assert clock.status(rec, today=D(2026, 10, 30)) == "due_soon"  # last day
    assert clock.status(rec, today=D(2026, 10, 27)) == "due_soon"
    assert clock.status(rec, today=D(2026, 10, 31)) == "overdue"
    # formed_on (changed) restarts the count
    rec = lifecycle.update_record(rec, {"formed_on": D(2026, 9, 30)}, actor=staff["handler"])
    assert rec.publish_due == D(2026, 11, 3)


def test_published_late_is_flagged(agencies, staff):
    rec = publish(agencies["dept"], staff, written_on=D(2026, 9, 28), on=D(2026, 11, 2))
    assert rec.publish_due == D(2026, 10, 30)
    assert clock.status(rec, today=D(2026, 11, 30)) == "published_late"
    ok = publish(agencies["dept"], staff, written_on=D(2026, 9, 28), on=D(2026, 10, 30))
    assert clock.status(ok, today=D(2026, 11, 30)) == "published"


def test_uncovered_year_is_never_guessed_and_is_rederived_when_entered(
    agencies, staff, django_capture_on_commit_callbacks, settings
):
    settings.GONGKAI_PROVISIONAL_CALENDAR = False  # strict: no provisional (暂定) estimate
    rec = draft(agencies["dept"], staff["handler"], written_on=D(2026, 12, 10))
    assert rec.publish_due is None
    assert "2027年" in rec.publish_due_error
    assert clock.status(rec, today=D(2026, 12, 11)) == "unknown"
    # The administrator enters 2027 (here: a complete year without holidays, for the test).
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.enter_year_notice(2027, [], [], notice_reference="测试")
    rec = Record.objects.get(pk=rec.pk)
    assert rec.publish_due is not None and rec.publish_due_error == ""


def test_queues_overdue_and_due_soon(agencies, staff):
    dept = agencies["dept"]
    late = draft(dept, staff["handler"], written_on=D(2026, 9, 28))
    soon = draft(dept, staff["handler"], written_on=D(2026, 10, 28))
    draft(dept, staff["handler"], written_on=D(2026, 11, 20))
    today = D(2026, 11, 2)
    assert set(Record.objects.filter(clock.overdue_q(today)).values_list("pk", flat=True)) == {late.pk}
    assert set(Record.objects.filter(clock.due_soon_q(today)).values_list("pk", flat=True)) == set()
    today = D(2026, 11, 20)
    assert soon.publish_due == D(2026, 11, 25)
    assert set(Record.objects.filter(clock.due_soon_q(today)).values_list("pk", flat=True)) == {soon.pk}
