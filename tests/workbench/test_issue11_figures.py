"""Issue 11, supervision figures (items 31–33): overdue on non-working days, on-time rate with
open cases past their deadline, average working days net of paused time, cases awaiting 补正,
past-year wording."""

import datetime as dt

import pytest
from django.urls import reverse
from test_supervision import _app, _rows, pinned, region  # noqa: F401  (fixtures)

from gongkai.applications.services.deadlines import get_calendar
from gongkai.applications.services.digest import deadline_digest, format_digest
from gongkai.workbench import clock
from gongkai.workbench.views import supervision

pytestmark = pytest.mark.django_db

SUNDAY = dt.date(2026, 12, 6)
FRIDAY = dt.date(2026, 12, 4)


@pytest.mark.date_sensitive
def test_a_passed_deadline_is_overdue_on_a_sunday(region, monkeypatch, client):  # noqa: F811
    dept = region["dept"]
    friday = _app(dept, dt.date(2026, 11, 5), "in_handling", due=FRIDAY)
    groups = deadline_digest(SUNDAY, agency_ids=[dept.pk])
    items = {i.application_id: i for g in groups for i in g.items}
    assert items[friday.pk].overdue
    text = format_digest(groups, SUNDAY)
    assert "今日到期" not in text and "已超期0个工作日" not in text
    assert "已超期（期限已届满）" in text
    # the case list says the same, never 「超期 0 个工作日」
    c = clock.clock_for(friday, on=SUNDAY)
    assert c.overdue and c.overdue_label == "已超期（期限已届满）"
    monkeypatch.setattr(clock, "today", lambda: SUNDAY)
    client.force_login(region["users"]["edu_handler"])
    html = client.get(reverse("workbench:queue")).content.decode()
    assert "超期 0 个工作日" not in html and "已超期（期限已届满）" in html
    monday = dt.date(2026, 12, 7)
    assert clock.clock_for(friday, on=monday).overdue_label == "超期 1 个工作日"


def test_on_time_rate_counts_open_cases_past_their_deadline(client, region, pinned):  # noqa: F811
    client.force_login(region["users"]["city_sup"])
    rows = _rows(client.get(reverse("workbench:supervision"), {"year": 2026}))
    a = rows[(region["dept"].pk, "agency")]
    # answered 2 (1 on time) + a_overdue (due 02-02, still open on 03-02): 1 of 3 on time
    assert (a.answered, a.on_time, a.late_open) == (2, 1, 1)
    assert a.on_time_rate == 33.3
    total = rows[(region["city"].pk, "total")]
    assert (total.answered, total.on_time, total.late_open, total.on_time_rate) == (3, 2, 2, 40.0)


def test_average_days_net_of_paused_time_and_correction_column(client, region, pinned):  # noqa: F811
    dept = region["dept"]
    paused = _app(dept, dt.date(2026, 1, 5), "answered", due=dt.date(2026, 2, 9), answered=dt.date(2026, 1, 30),
                  outcome="granted")  # fmt: skip
    paused.pauses = [["2026-01-12", "2026-01-16"]]  # consultation: 5 working days excluded
    paused.save(update_fields=["pauses"])
    _app(dept, dt.date(2026, 2, 20), "correction_requested")
    cal = get_calendar()
    assert cal.workdays_between(dt.date(2026, 1, 5), dt.date(2026, 1, 30)) == 19
    client.force_login(region["users"]["city_sup"])
    r = client.get(reverse("workbench:supervision"), {"year": 2026})
    a = _rows(r)[(dept.pk, "agency")]
    # answered: 11 and 25 working days (no pause) and 19 gross / 14 net
    assert a.avg_days_gross == round((11 + 25 + 19) / 3, 1)
    assert a.avg_days == round((11 + 25 + 14) / 3, 1)
    assert a.awaiting_correction == 1 and (a.open, a.overdue, a.due_soon, a.stopped) == (4, 1, 1, 1)
    html = r.content.decode()
    total = r.context["total"]
    assert total.avg_days < total.avg_days_gross
    assert "扣除暂停计时" in html and f"不扣除暂停计时的平均用时为 {total.avg_days_gross} 个工作日" in html
    # the portable path (other databases) gives the same numbers
    gross, net, n = supervision.answer_days([dept.pk], 2026, cal)[dept.pk]
    assert (gross, net, n) == (11 + 25 + 19, 11 + 25 + 14, 3)
    ycounts = supervision.year_counts([dept.pk], 2026, pinned)[dept.pk]
    assert ycounts["late_open"] == 1


def test_past_year_pages_do_not_say_this_year(client, region, pinned):  # noqa: F811
    client.force_login(region["users"]["city_sup"])
    html = client.get(reverse("workbench:supervision"), {"year": 2025}).content.decode()
    assert "本年" not in html
    assert "2025年收到" in html and "2025年<br>答复" in html
    html = client.get(reverse("workbench:supervision"), {"year": 2026}).content.decode()
    assert "本年收到" in html
