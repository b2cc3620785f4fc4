"""Supervision dashboard (监督概览): hand-counted figures, subtotals, visibility, drill-down."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.appeals.models import Appeal
from gongkai.applications.models import Application
from gongkai.applications.services.deadlines import get_calendar
from gongkai.workbench import clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)  # a Monday
_serial = itertools.count(1)


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def _app(
    agency, received, state, *, due=None, answered=None, outcome="", closed=None, correction_received=None
):
    n = next(_serial)
    return Application.objects.create(
        agency=agency,
        year=received.year,
        serial=n,
        tracking_number=f"{agency.tracking_prefix}〔{received.year}〕{n:04d}号",
        applicant_type="natural_person",
        applicant_name=f"申请人{n}",
        description="某项政府信息",
        channel="in_person",
        submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10))),
        received_date=received,
        receipt_basis="in_person",
        state=state,
        due_date=due,
        answered_on=answered,
        outcome=outcome,
        closed_on=closed if closed is not None else answered,
        correction_received_on=correction_received,
    )


@pytest.fixture
def region(db, django_user_model):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    district = Agency.objects.create(
        name="某市东区人民政府", kind=AgencyKind.GOVERNMENT, parent=city, tracking_prefix="东政依申"
    )
    street = Agency.objects.create(
        name="某市东区东街街道办事处",
        kind=AgencyKind.STREET_OFFICE,
        parent=district,
        tracking_prefix="东街依申",
    )
    cal = get_calendar()
    apps = {
        # 教育局
        "a_overdue": _app(dept, dt.date(2026, 1, 5), "in_handling", due=dt.date(2026, 2, 2)),
        "a_soon": _app(dept, dt.date(2026, 2, 3), "registered", due=cal.add_workdays(TODAY, 2)),
        "a_paused": _app(dept, dt.date(2026, 2, 10), "consultation"),
        "a_on_time": _app(
            dept,
            dt.date(2026, 1, 5),
            "answered",
            due=dt.date(2026, 2, 2),
            answered=dt.date(2026, 1, 20),
            outcome="granted",
        ),
        "a_late": _app(
            dept,
            dt.date(2026, 1, 6),
            "delivered",
            due=dt.date(2026, 2, 3),
            answered=dt.date(2026, 2, 10),
            outcome="withheld_state_secret",
        ),
        "a_closed": _app(
            dept, dt.date(2026, 1, 10), "closed", outcome="other_no_correction", closed=dt.date(2026, 2, 15)
        ),
        "a_last_year": _app(
            dept,
            dt.date(2025, 6, 2),
            "archived",
            due=dt.date(2025, 6, 30),
            answered=dt.date(2025, 6, 20),
            outcome="granted",
        ),
        # 东街街道
        "s_overdue": _app(street, dt.date(2026, 1, 20), "in_handling", due=dt.date(2026, 2, 20)),
        "s_partial": _app(
            street,
            dt.date(2026, 2, 2),
            "answered",
            due=dt.date(2026, 3, 3),
            answered=dt.date(2026, 2, 25),
            outcome="partial",
        ),
        # 东区政府
        "d_open": _app(district, dt.date(2026, 2, 26), "in_handling", due=cal.add_workdays(TODAY, 10)),
    }
    Appeal.objects.create(
        kind="review",
        agency=dept,
        filed_date=dt.date(2025, 12, 1),
        decided_date=dt.date(2026, 2, 1),
        outcome="corrected",
    )
    Appeal.objects.create(
        kind="lit_direct",
        agency=dept,
        filed_date=dt.date(2025, 11, 1),
        decided_date=dt.date(2026, 1, 15),
        outcome="upheld",
    )
    Appeal.objects.create(
        kind="review", agency=dept, filed_date=dt.date(2026, 2, 1)
    )  # pending: not in the rate
    users = {}
    for name, agency, role in [
        ("city_sup", city, Role.SUPERVISOR),
        ("east_sup", district, Role.SUPERVISOR),
        ("edu_handler", dept, Role.HANDLER),
    ]:
        u = django_user_model.objects.create_user(name, password="pw-123456")
        Membership.objects.create(user=u, agency=agency, role=role)
        users[name] = u
    users["nobody"] = django_user_model.objects.create_user("nobody", password="pw-123456")
    return {"city": city, "dept": dept, "district": district, "street": street, "apps": apps, "users": users}


def _rows(resp):
    return {(r.agency.pk, r.kind): r.figures for r in resp.context["rows"]}


def test_hand_counted_figures_and_subtotals(client, region, pinned):
    client.force_login(region["users"]["city_sup"])
    r = client.get(reverse("workbench:supervision"), {"year": 2026})
    assert r.status_code == 200
    rows = _rows(r)
    city, dept, district, street = region["city"], region["dept"], region["district"], region["street"]

    a = rows[(dept.pk, "agency")]
    assert (a.open, a.overdue, a.due_soon, a.stopped) == (3, 1, 1, 1)
    assert (a.received, a.answered, a.on_time) == (6, 2, 1)
    assert a.on_time_rate == 33.3  # a_overdue is still open past its deadline: late too
    # working days (receipt, answer]: 5→20 Jan = 11; 6 Jan→10 Feb = 25 (hand count) → 18.0
    assert a.avg_days == 18.0
    cal = get_calendar()
    assert cal.workdays_between(dt.date(2026, 1, 5), dt.date(2026, 1, 20)) == 11
    assert cal.workdays_between(dt.date(2026, 1, 6), dt.date(2026, 2, 10)) == 25
    assert (a.concluded, a.refusals, a.other) == (3, 1, 1)
    assert a.refusal_share == 33.3 and a.other_share == 33.3
    assert (a.appeals_decided, a.appeals_corrected, a.appeals_corrected_rate) == (2, 1, 50.0)

    s = rows[(street.pk, "agency")]
    assert (s.open, s.overdue, s.due_soon, s.stopped, s.received, s.answered, s.on_time) == (
        1,
        1,
        0,
        0,
        2,
        1,
        1,
    )
    # 2 Feb → 25 Feb 2026: Feb 3–6 (4), 9–13 (5), Sat 14 Feb make-up workday (1), 15–23 holiday, 24–25 (2)
    assert s.avg_days == 12.0
    assert s.refusal_share == 100.0 and s.appeals_corrected_rate is None

    d = rows[(district.pk, "agency")]
    assert (d.open, d.overdue, d.due_soon, d.received) == (1, 0, 0, 1)

    sub = rows[(district.pk, "subtotal")]
    assert (sub.open, sub.overdue, sub.due_soon, sub.received, sub.answered, sub.on_time) == (
        2,
        1,
        0,
        3,
        1,
        1,
    )
    assert sub.on_time_rate == 50.0  # s_overdue open past its deadline

    total = rows[(city.pk, "total")]
    assert (total.open, total.overdue, total.due_soon, total.stopped) == (5, 2, 1, 1)
    assert (total.received, total.answered, total.on_time) == (9, 3, 2)
    assert total.on_time_rate == 40.0  # 2 on time of 3 answered + 2 open past their deadline
    assert total.avg_days == round((11 + 25 + 12) / 3, 1)
    assert total.appeals_corrected_rate == 50.0

    # tree order: city, dept, district, street, district subtotal, city total
    order = [(row.agency.pk, row.kind) for row in r.context["rows"]]
    assert order == [
        (city.pk, "agency"),
        (dept.pk, "agency"),
        (district.pk, "agency"),
        (street.pk, "agency"),
        (district.pk, "subtotal"),
        (city.pk, "total"),
    ]
    html = r.content.decode()
    assert "监督概览" in html and "33.3%" in html and "40.0%" in html
    assert "echarts-6.1.0/echarts.min.js" in html
    # read-only: no POST forms other than logout
    assert html.count('method="post"') == 1


def test_year_selector(client, region, pinned):
    client.force_login(region["users"]["city_sup"])
    rows = _rows(client.get(reverse("workbench:supervision"), {"year": 2025}))
    a = rows[(region["dept"].pk, "agency")]
    assert (a.received, a.answered, a.on_time, a.concluded) == (1, 1, 1, 1)
    assert a.open == 3  # current figures do not depend on the year
    assert a.appeals_decided == 0


def test_monthly_chart_data(client, region, pinned):
    client.force_login(region["users"]["city_sup"])
    r = client.get(reverse("workbench:supervision"), {"year": 2026})
    months = r.context["charts"]["months"]
    assert months["received"][:3] == [5, 4, 0]
    assert months["answered"][0] == 1 and months["answered"][1] == 2
    assert months["received"][5] is None  # months still to come are not zero
    overdue = dict(
        zip(r.context["charts"]["overdue"]["names"], r.context["charts"]["overdue"]["values"], strict=True)
    )
    assert overdue == {"某市教育局": 1, "某市东区东街街道办事处": 1}


def test_district_supervisor_sees_only_subtree(client, region, pinned):
    client.force_login(region["users"]["east_sup"])
    r = client.get(reverse("workbench:supervision"))
    assert r.status_code == 200
    shown = {row.agency.pk for row in r.context["rows"]}
    assert shown == {region["district"].pk, region["street"].pk}
    assert "某市教育局" not in r.content.decode()
    assert client.get(reverse("workbench:supervision_agency", args=[region["dept"].pk])).status_code == 404
    assert client.get(reverse("workbench:supervision_agency", args=[region["city"].pk])).status_code == 404
    r = client.get(reverse("workbench:supervision_agency", args=[region["street"].pk]))
    assert r.status_code == 200 and {row.agency.pk for row in r.context["rows"]} == {region["street"].pk}


def test_city_supervisor_focus_on_district(client, region, pinned):
    client.force_login(region["users"]["city_sup"])
    r = client.get(reverse("workbench:supervision_agency", args=[region["district"].pk]), {"year": 2026})
    rows = _rows(r)
    assert set(rows) == {
        (region["district"].pk, "agency"),
        (region["street"].pk, "agency"),
        (region["district"].pk, "total"),
    }
    assert rows[(region["district"].pk, "total")].open == 2


def test_acting_staff_see_own_agency_others_404(client, region, pinned):
    client.force_login(region["users"]["edu_handler"])
    r = client.get(reverse("workbench:supervision"))
    assert r.status_code == 200
    assert {row.agency.pk for row in r.context["rows"]} == {region["dept"].pk}
    assert client.get(reverse("workbench:supervision_agency", args=[region["street"].pk])).status_code == 404
    client.force_login(region["users"]["nobody"])
    assert client.get(reverse("workbench:supervision")).status_code == 404
    client.logout()
    r = client.get(reverse("workbench:supervision"))
    assert r.status_code == 302 and reverse("workbench:login") in r["Location"]


def test_drill_down_to_overdue_queue(client, region, pinned):
    client.force_login(region["users"]["city_sup"])
    r = client.get(reverse("workbench:supervision"), {"year": 2026})
    row = next(x for x in r.context["rows"] if x.kind == "agency" and x.agency == region["dept"])
    assert row.overdue_url == f"{reverse('workbench:queue')}?agency={region['dept'].pk}&overdue=1"
    q = client.get(row.overdue_url).content.decode()
    assert region["apps"]["a_overdue"].tracking_number in q
    assert region["apps"]["a_soon"].tracking_number not in q
    assert region["apps"]["s_overdue"].tracking_number not in q
    q = client.get(row.queue_url).content.decode()
    assert region["apps"]["a_soon"].tracking_number in q
    assert row.report_url  # link to the agency's annual reports


def test_superuser_sees_everything(client, region, pinned, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-123456")
    client.force_login(admin)
    r = client.get(reverse("workbench:supervision"), {"year": 2026})
    assert len({row.agency.pk for row in r.context["rows"]}) == 4
    assert r.context["total"].open == 5


def test_nav_link_only_for_supervisors(client, region):
    client.force_login(region["users"]["city_sup"])
    assert "监督概览" in client.get(reverse("workbench:queue")).content.decode()
    client.force_login(region["users"]["edu_handler"])
    assert "监督概览" not in client.get(reverse("workbench:queue")).content.decode()


@pytest.mark.parametrize("scan_min", [0, 10_000])
def test_single_statement_equals_orm_queries(region, monkeypatch, scan_min):
    """The one-statement year figures (PostgreSQL, scan or index scope) equal the ORM queries."""
    from gongkai.workbench.views import supervision as sv

    monkeypatch.setattr(sv, "SCAN_SCOPE_MIN", scan_min)
    ids = [region[k].pk for k in ("city", "dept", "district", "street")]
    cal = get_calendar()
    paused = _app(region["dept"], dt.date(2026, 1, 5), "answered", due=dt.date(2026, 2, 9),
                  answered=dt.date(2026, 1, 30), outcome="granted")  # fmt: skip
    # a consultation inside the span, one reaching back before the clock start, one past the answer
    paused.pauses = [["2026-01-12", "2026-01-16"], ["2026-01-01", "2026-01-06"], ["2026-01-29", "2026-02-03"]]
    paused.save(update_fields=["pauses"])
    _app(region["street"], dt.date(2026, 2, 20), "correction_requested")
    for year in (2025, 2026):
        per, months = sv.year_figures(ids, year, cal, TODAY)
        expected = sv.year_counts(ids, year, TODAY)
        for agency_id, vals in sv.current_counts(ids, TODAY, cal).items():
            expected.setdefault(agency_id, {}).update(vals)
        for agency_id, (gross, net, n) in sv.answer_days(ids, year, cal).items():
            expected.setdefault(agency_id, {}).update(days_sum=gross, days_net_sum=net, days_n=n)
        for agency_id, vals in expected.items():
            for k, v in vals.items():
                assert per[agency_id][k] == v, (year, agency_id, k)
        assert months == sv.monthly(ids, year)
    # 19 working days 01-05→01-30, less 01-12..16 (5), 01-06 (1), 01-29..30 (2): 11 net
    assert sv.answer_days([region["dept"].pk], 2026, cal)[region["dept"].pk] == (
        11 + 25 + 19,
        11 + 25 + 11,
        3,
    )
