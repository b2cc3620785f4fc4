"""Workbench queue, case page visibility, highlighting and filters."""

import datetime as dt

import pytest
from django.urls import reverse
from wb_helpers import PINNED_TODAY, make_app

from gongkai.applications.services.deadlines import get_calendar
from gongkai.workbench import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: PINNED_TODAY)
    return PINNED_TODAY


def _received_for_due(due_target_left: int) -> dt.date:
    """A receipt date whose 20-working-day deadline is ``due_target_left`` working days after today."""
    cal = get_calendar()
    due = cal.add_workdays(PINNED_TODAY, due_target_left)
    d = due - dt.timedelta(days=1)
    while cal.add_workdays(d, 20) > due:
        d -= dt.timedelta(days=1)
    assert cal.add_workdays(d, 20) == due
    return d


@pytest.fixture
def cases(tree, staff):
    city, dept, other = tree
    reg = staff["registrar"]
    overdue = make_app(dept, dt.date(2026, 1, 5), registrar=reg, name="王超期")
    soon = make_app(
        dept,
        _received_for_due(2),
        registrar=reg,
        name="李将到期",
        channel="letter",
        applicant_type="legal_research",
        description="科研项目经费文件",
    )
    normal = make_app(dept, dt.date(2026, 2, 27), registrar=reg, name="赵正常", channel="email")
    foreign = make_app(other, dt.date(2026, 2, 27), registrar=staff["other_handler"], name="外机关申请人")
    return {"overdue": overdue, "soon": soon, "normal": normal, "foreign": foreign}


def test_anonymous_is_sent_to_chinese_login(client):
    r = client.get(reverse("workbench:queue"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("workbench:login"))
    html = client.get(reverse("workbench:login")).content.decode()
    assert "工作人员登录" in html and "用户名" in html and "密码" in html


def test_login_with_wrong_password_shows_chinese_error(client, staff):
    r = client.post(reverse("workbench:login"), {"username": "handler", "password": "nope"})
    assert "用户名或密码不正确" in r.content.decode()
    r = client.post(reverse("workbench:login"), {"username": "handler", "password": "pw-123456"})
    assert r.status_code == 302


def test_queue_lists_own_agency_with_highlighting(client, staff, cases, pinned):
    client.force_login(staff["handler"])
    r = client.get(reverse("workbench:queue"))
    html = r.content.decode()
    assert r.status_code == 200
    for col in ("受理编号", "申请人", "机关", "状态", "收到日期", "答复期限", "剩余工作日"):
        assert col in html
    assert "王超期" in html and "李将到期" in html and "赵正常" in html
    assert "外机关申请人" not in html
    rows = {row["app"].applicant_name: row["clock"] for row in r.context["rows"]}
    assert rows["王超期"].overdue and rows["王超期"].css == "overdue"
    assert rows["李将到期"].left == 2 and rows["李将到期"].css == "due-soon"
    assert rows["赵正常"].css == "" and rows["赵正常"].left > 3
    assert f'<tr class="overdue" data-id="{cases["overdue"].pk}">' in html
    assert f'<tr class="due-soon" data-id="{cases["soon"].pk}">' in html
    # sorted by due date, earliest first
    assert [row["app"].pk for row in r.context["rows"]] == [
        cases["overdue"].pk,
        cases["soon"].pk,
        cases["normal"].pk,
    ]
    assert "有 <strong>1</strong> 件申请已超过答复期限" in html


def test_working_days_left_match_the_engine(client, staff, cases, pinned):
    client.force_login(staff["handler"])
    r = client.get(reverse("workbench:queue"))
    cal = get_calendar()
    for row in r.context["rows"]:
        assert row["clock"].left == cal.workdays_between(PINNED_TODAY, row["app"].due_date)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"channel": "letter"}, {"李将到期"}),
        ({"applicant_type": "legal_research"}, {"李将到期"}),
        ({"overdue": "on"}, {"王超期"}),
        ({"q": "科研项目"}, {"李将到期"}),
        ({"q": "赵正"}, {"赵正常"}),
        ({"handler": "none"}, {"王超期", "李将到期", "赵正常"}),
        ({"handler": "me"}, set()),
    ],
)
def test_queue_filters(client, staff, cases, pinned, params, expected):
    client.force_login(staff["handler"])
    r = client.get(reverse("workbench:queue"), params)
    assert {row["app"].applicant_name for row in r.context["rows"]} == expected


def test_queue_q_matches_tracking_number_and_sort_desc(client, staff, cases, pinned):
    client.force_login(staff["handler"])
    r = client.get(reverse("workbench:queue"), {"q": cases["normal"].tracking_number})
    assert [row["app"].pk for row in r.context["rows"]] == [cases["normal"].pk]
    r = client.get(reverse("workbench:queue"), {"sort": "-due"})
    assert [row["app"].pk for row in r.context["rows"]] == [
        cases["normal"].pk,
        cases["soon"].pk,
        cases["overdue"].pk,
    ]


def test_state_tabs_with_counts(client, staff, cases, pinned):
    from gongkai.applications.services.workflow import transition

    transition(cases["normal"], "accept", staff["handler"], effective_date=dt.date(2026, 2, 27))
    client.force_login(staff["handler"])
    r = client.get(reverse("workbench:queue"))
    tabs = {t["key"]: t["count"] for t in r.context["tabs"]}
    assert tabs["open"] == 3 and tabs["registered"] == 2 and tabs["in_handling"] == 1 and tabs["all"] == 3
    r = client.get(reverse("workbench:queue"), {"state": "in_handling"})
    assert [row["app"].pk for row in r.context["rows"]] == [cases["normal"].pk]
    assert "办理中" in r.content.decode()


def test_queue_agency_filter_for_supervisor(client, staff, cases, pinned, tree):
    city, dept, other = tree
    client.force_login(staff["supervisor"])
    r = client.get(reverse("workbench:queue"))
    assert {row["app"].applicant_name for row in r.context["rows"]} == {
        "王超期",
        "李将到期",
        "赵正常",
        "外机关申请人",
    }
    r = client.get(reverse("workbench:queue"), {"agency": other.pk})
    assert {row["app"].applicant_name for row in r.context["rows"]} == {"外机关申请人"}


def test_pagination(client, staff, tree, pinned, monkeypatch):
    import importlib

    queue_mod = importlib.import_module("gongkai.workbench.views.queue")

    monkeypatch.setattr(queue_mod, "PAGE_SIZE", 2)
    for i in range(5):
        make_app(tree[1], dt.date(2026, 2, 2), registrar=staff["registrar"], name=f"申请人{i}")
    client.force_login(staff["handler"])
    r = client.get(reverse("workbench:queue"))
    assert len(r.context["rows"]) == 2 and "第 1 / 3 页" in r.content.decode()
    r = client.get(reverse("workbench:queue"), {"page": 3})
    assert len(r.context["rows"]) == 1


def test_other_agency_case_is_404_not_403(client, staff, cases):
    client.force_login(staff["handler"])
    foreign = cases["foreign"]
    assert client.get(reverse("workbench:case", args=[foreign.pk])).status_code == 404
    r = client.post(reverse("workbench:case_action", args=[foreign.pk, "accept"]), {})
    assert r.status_code == 404
    assert client.get(reverse("workbench:case", args=[cases["normal"].pk])).status_code == 200
    assert client.get(reverse("workbench:case", args=[999999])).status_code == 404


def test_supervisor_reads_but_has_no_actions(client, staff, cases):
    client.force_login(staff["supervisor"])
    r = client.get(reverse("workbench:case", args=[cases["normal"].pk]))
    assert r.status_code == 200
    assert r.context["actions"] == []
    assert "您当前没有可执行的操作" in r.content.decode()
    r = client.post(reverse("workbench:case_action", args=[cases["normal"].pk, "accept"]), {})
    assert r.status_code == 302
    cases["normal"].refresh_from_db()
    assert cases["normal"].state == "registered"


def test_register_link_only_for_intake_roles(client, staff):
    client.force_login(staff["registrar"])
    assert "登记申请</a>" in client.get(reverse("workbench:queue")).content.decode()
    client.force_login(staff["reviewer"])
    assert "登记申请</a>" not in client.get(reverse("workbench:queue")).content.decode()
