"""gongkai.workdays: cached calendar from DB overrides, invalidation, calendar_changed, admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.workdays import calendar_changed, get_calendar, uncovered_years, upcoming_uncovered_years
from gongkai.workdays.models import CalendarOverride, CalendarYear
from gongkai.workdays.services import delete_override, enter_year_notice, set_override

D = dt.date


@pytest.fixture
def received_signals():
    got = []

    def receiver(sender, **kwargs):
        got.append((sender, kwargs.get("instance"), kwargs.get("deleted")))

    calendar_changed.connect(receiver)
    yield got
    calendar_changed.disconnect(receiver)


@pytest.mark.django_db(transaction=True)
def test_cache_is_reused_and_invalidated_by_override(received_signals):
    c1 = get_calendar()
    assert get_calendar() is c1  # cached outside transactions
    assert c1.is_workday(D(2026, 3, 2))
    set_override(D(2026, 3, 2), False, "测试放假", "测试")
    assert len(received_signals) == 1 and received_signals[0][0] is CalendarOverride
    c2 = get_calendar()
    assert c2 is not c1
    assert not c2.is_workday(D(2026, 3, 2))
    assert get_calendar() is c2
    assert delete_override(D(2026, 3, 2))
    assert received_signals[-1][2] is True
    c3 = get_calendar()
    assert c3 is not c2 and c3.is_workday(D(2026, 3, 2))


@pytest.mark.django_db
def test_admin_style_save_sends_signal_and_completes_2027(received_signals):
    assert uncovered_years([D(2026, 12, 10)], horizon_days=60) == [2027]
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    assert received_signals and received_signals[-1][1].name == "元旦"
    # overrides alone do not cover the year
    assert 2027 not in get_calendar().covered_years
    CalendarYear.objects.create(year=2027, complete=True, notice_reference="国办发明电测试")
    assert received_signals[-1][0] is CalendarYear
    cal = get_calendar()
    assert 2027 in cal.covered_years
    assert not cal.is_workday(D(2027, 1, 1))
    assert uncovered_years([D(2026, 12, 10)], horizon_days=60) == []
    assert upcoming_uncovered_years(D(2026, 11, 23), 120) == []
    assert upcoming_uncovered_years(D(2027, 11, 23), 120) == [2028]


@pytest.mark.django_db
def test_enter_year_notice_bulk(received_signals):
    user = get_user_model().objects.create_user("cal-admin")
    enter_year_notice(
        2027,
        holidays=[(D(2027, 1, 1), D(2027, 1, 3), "元旦"), (D(2027, 2, 6), D(2027, 2, 12), "春节")],
        makeup_workdays=[(D(2027, 2, 14), "调休上班")],
        notice_reference="国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
        user=user,
    )
    assert CalendarOverride.objects.filter(date__year=2027).count() == 3 + 7 + 1
    assert received_signals  # one notification for the whole notice
    cy = CalendarYear.objects.get(year=2027)
    assert cy.complete and cy.entered_by == user
    cal = get_calendar()
    assert cal.is_workday(D(2027, 2, 14)) and cal.day_name(D(2027, 2, 14)) == "调休上班"
    assert not cal.is_workday(D(2027, 2, 8)) and cal.day_name(D(2027, 2, 8)) == "春节"
    # re-entering (correction of the notice) updates instead of failing
    enter_year_notice(2027, holidays=[(D(2027, 2, 6), D(2027, 2, 13), "春节")], notice_reference="更正")
    assert CalendarOverride.objects.get(date=D(2027, 2, 13)).name == "春节"


@pytest.mark.django_db
def test_admin_pages_and_alert(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    resp = client.get(reverse("admin:workdays_calendaroverride_changelist"))
    assert resp.status_code == 200
    resp = client.get(reverse("admin:workdays_calendaryear_add"))
    assert resp.status_code == 200
    resp = client.post(
        reverse("admin:workdays_calendaryear_add"),
        {"year": 2027, "complete": "on", "notice_reference": "测试通知", "notice_url": ""},
    )
    assert resp.status_code == 302
    assert CalendarYear.objects.get(year=2027).entered_by == admin
    assert 2027 in get_calendar().covered_years


def test_verbose_names_are_chinese():
    assert CalendarOverride._meta.verbose_name == "日历调整"
    assert CalendarYear._meta.verbose_name == "年度节假日安排"
    assert CalendarOverride._meta.get_field("is_workday").verbose_name == "是否工作日"
