"""Entering the official calendar in one step: paste the notice, confirm, every open case re-derived;
``gongkai holiday-notice``; letters with provisional dates; 暂定 in the queue and case page."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.applications.services import submit_application, transition
from gongkai.workdays.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db
D = dt.date
NOTICES = Path(__file__).resolve().parents[1] / "data" / "holiday_notices"

# A notice for 2027 in the official wording (the real one is not out yet): 元旦 1–3 Jan off.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。2月13日（周六）上班。
国务院办公厅
2026年11月20日"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def december():
    """Mid-December 2026: deadlines reach 2027, whose notice is not out yet."""
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 14, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        yield


def _december_case(agency, staff):
    from casework_fixtures import NATURAL, at

    return submit_application(
        agency, NATURAL, channel="in_person", actor=staff["registrar"], submitted_at=at(2026, 12, 10)
    )


def test_command_prints_json_and_saves(tmp_path, agency, staff):
    app = _december_case(agency, staff)
    assert app.due_date == D(2027, 1, 8) and app.due_date_provisional
    f = tmp_path / "notice.txt"
    f.write_text(NOTICE_2027, "utf-8")
    out, err = StringIO(), StringIO()
    call_command("holiday_notice", str(f), stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert data["year"] == 2027 and data["workdays"] == ["2027-02-13"] and "2027-01-01" in data["holidays"]
    assert not CalendarYear.objects.exists()  # without --save nothing is stored
    call_command("holiday_notice", str(f), "--save", stdout=StringIO(), stderr=err)
    assert CalendarYear.objects.get(year=2027).complete
    app.refresh_from_db()
    assert app.due_date == D(2027, 1, 8) and not app.due_date_provisional  # same date, now official
    assert "重新计算" in err.getvalue()


def test_command_refuses_malformed_text(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周一）放假。", "utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as ei:
        call_command("holiday_notice", str(f), "--save", stdout=StringIO(), stderr=err)
    assert ei.value.code == 2 and "星期五" in err.getvalue()
    assert not CalendarOverride.objects.exists() and not CalendarYear.objects.exists()


def test_admin_paste_parse_confirm(client, agency, staff, django_user_model):
    app = _december_case(agency, staff)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    url = reverse("admin:workdays_calendaryear_notice")
    assert "录入节假日通知" in client.get(reverse("admin:workdays_calendaryear_changelist")).content.decode()
    r = client.post(url, {"text": "一段无关文字"})
    assert "未找到通知标题中的年度" in r.content.decode()
    # the 2026 notice reproduces the package's 2026 calendar (parsed, shown, nothing saved yet)
    r = client.post(url, {"text": (NOTICES / "2026.txt").read_text("utf-8")})
    html = r.content.decode()
    assert (
        "2026年节假日安排（解析结果，尚未保存）" in html
        and "2026-02-15（周日） 至 2026-02-23（周一）" in html
    )
    assert not CalendarYear.objects.exists()
    # a notice that adds 4–5 Jan 2027: confirm → saved, the open case re-derived at once
    text = NOTICE_2027.replace(
        "1月1日（周五）至3日（周日）放假，共3天", "1月1日（周五）至5日（周二）放假，共5天"
    )
    r = client.post(url, {"text": text})
    assert "2027-01-01（周五） 至 2027-01-05（周二）" in r.content.decode()
    r = client.post(url, {"text": text, "confirm": "1"}, follow=True)
    assert "已录入2027年节假日安排" in r.content.decode()
    app.refresh_from_db()
    assert app.due_date == D(2027, 1, 12) and not app.due_date_provisional


def test_letters_with_changed_provisional_dates_are_listed(client, agency, staff):
    from gongkai.letters.services import generate_document

    app = _december_case(agency, staff)
    doc = generate_document(app, "receipt", staff["registrar"])
    assert "2027年1月8日（暂定）" in doc.rendered_text and "暂定" in doc.rendered_text
    assert doc.context["provisional_dates"] == {"答复期限": "2027-01-08"}
    client.force_login(staff["handler"])
    case_url = reverse("workbench:case", args=[app.pk])
    html = client.get(case_url).content.decode()
    assert "（暂定）" in html and 'id="provisional-letters"' not in html
    from gongkai.workdays.services import enter_notice_text

    enter_notice_text(NOTICE_2027.replace("至3日（周日）放假，共3天", "至4日（周一）放假，共4天"))
    app.refresh_from_db()
    assert app.due_date == D(2027, 1, 11) and not app.due_date_provisional
    html = client.get(case_url).content.decode()
    assert 'id="provisional-letters"' in html and "2027年1月8日（暂定）" in html and "2027年1月11日" in html
    doc.refresh_from_db()
    assert "2027年1月8日（暂定）" in doc.rendered_text  # nothing issued is altered


def test_queue_and_api_mark_provisional(client, agency, staff):
    app = _december_case(agency, staff)
    transition(
        app,
        "accept",
        staff["registrar"],
        effective_date=D(2026, 12, 10),
        data={"handler": staff["handler"].pk},
    )
    client.force_login(staff["handler"])
    html = client.get(reverse("workbench:queue")).content.decode()
    assert "2027-01-08" in html and "（暂定）" in html
    assert Application.objects.filter(due_date_provisional=True).count() == 1
