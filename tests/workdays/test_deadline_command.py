"""``gongkai deadline`` management command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from gongkai.workdays.services import enter_year_notice


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("deadline", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_json_output_issue_example():
    out, err = run(
        "--received", "2026-09-28", "--extension-days", "20", "--pause", "2026-10-09..2026-10-15", "--json"
    )
    assert json.loads(out) == {
        "received": "2026-09-28",
        "correction_notice_due": "2026-10-13",
        "due": "2026-11-09",
        "extended_due": "2026-12-07",
        "provisional": False,
    }
    assert err == ""


@pytest.mark.django_db
def test_defaults_and_correction():
    # default --extension-days = 20 (statutory maximum)
    data = json.loads(run("--received", "2025-09-26", "--json")[0])
    assert data["due"] == "2025-10-30" and data["extended_due"] == "2025-11-27"
    data = json.loads(run("--received", "2025-09-26", "--extension-days", "0", "--json")[0])
    assert data["extended_due"] is None
    data = json.loads(
        run(
            "--received",
            "2025-09-26",
            "--correction-received",
            "2025-10-13",
            "--extension-days",
            "0",
            "--json",
        )[0]
    )
    assert data == {
        "received": "2025-09-26",
        "correction_notice_due": "2025-10-13",
        "due": "2025-11-10",
        "extended_due": None,
        "provisional": False,
    }


@pytest.mark.django_db
def test_open_pause_and_human_output():
    data = json.loads(run("--received", "2025-09-26", "--pause", "2025-10-20..", "--json")[0])
    assert data["due"] is None and data["extended_due"] is None
    out, _ = run("--received", "2025-09-26", "--pause", "2025-10-20..", "--extension-days", "0")
    assert "期限自2025年10月20日起中止，恢复计算后尚余9个工作日" in out
    out, _ = run("--received", "2026-09-28", "--pause", "2026-10-09..2026-10-15")
    assert "答复期限（20个工作日）：2026年11月9日" in out
    assert "延长后的答复期限（延长20个工作日）：2026年12月7日" in out
    assert "暂停（征求意见）：2026年10月9日 至 2026年10月15日" in out


@pytest.mark.django_db
def test_fee_pause_needs_flag(settings):
    settings.GONGKAI_FEE_PAUSES_CLOCK = False  # the rule is unconfirmed: off here, the flag turns it on
    base = [
        "--received",
        "2025-09-26",
        "--fee-pause",
        "2025-10-13..2025-10-17",
        "--extension-days",
        "0",
        "--json",
    ]
    assert json.loads(run(*base)[0])["due"] == "2025-10-30"
    assert json.loads(run(*base, "--fee-pauses-clock")[0])["due"] == "2025-11-06"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2026-12-10"], "2027年的法定节假日安排尚未录入"),
        (["--received", "2026-13-01"], "日期格式错误"),
        (["--received", "2026-10-01", "--pause", "2026-10-09"], "暂停期间格式错误"),
        (["--received", "2026-10-01", "--pause", "2026-10-09..2026-10-01"], "结束日期早于开始日期"),
        (["--received", "2026-10-01", "--extension-days", "30"], "延长答复期限应为0至20个工作日"),
        (["--received", "2026-10-09", "--correction-received", "2026-10-01"], "收到补正申请的日期不能早于"),
    ],
)
def test_errors_exit_2_with_chinese_message(args, message):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as ei:
        call_command("deadline", *args, "--json", stdout=out, stderr=err)
    assert ei.value.code == 2
    assert message in err.getvalue()
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_uses_db_overrides():
    enter_year_notice(
        2027, holidays=[(dt.date(2027, 1, 1), dt.date(2027, 1, 1), "元旦")], notice_reference="测试"
    )
    data = json.loads(run("--received", "2026-12-10", "--extension-days", "0", "--json")[0])
    assert data["due"] == "2027-01-08"


class _Rollback(Exception):
    pass


@pytest.mark.django_db
def test_falls_back_to_package_data_without_tables():
    with pytest.raises(_Rollback):
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("DROP TABLE workdays_calendaroverride")
            out, err = run("--received", "2026-09-28", "--extension-days", "0", "--json")
            raise _Rollback
    assert json.loads(out)["due"] == "2026-10-30"
    assert "数据库不可用或尚未迁移" in err


@pytest.mark.django_db
def test_fee_rule_setting_and_deadlines_for(settings):
    from gongkai.core.deadlines import ClockInputs, Pause, PauseKind
    from gongkai.workdays import deadlines_for

    base = [
        "--received",
        "2025-09-26",
        "--fee-pause",
        "2025-10-13..2025-10-17",
        "--extension-days",
        "0",
        "--json",
    ]
    ci = ClockInputs(
        dt.date(2025, 9, 26), pauses=(Pause(dt.date(2025, 10, 13), dt.date(2025, 10, 17), PauseKind.FEE),)
    )
    settings.GONGKAI_FEE_PAUSES_CLOCK = False
    assert json.loads(run(*base)[0])["due"] == "2025-10-30"
    assert deadlines_for(ci).due == dt.date(2025, 10, 30)
    settings.GONGKAI_FEE_PAUSES_CLOCK = True
    assert json.loads(run(*base)[0])["due"] == "2025-11-06"
    assert deadlines_for(ci).due == dt.date(2025, 11, 6)


@pytest.mark.django_db
def test_strict_by_default_provisional_on_request(capsys):
    """A deadline that needs an uncovered year: non-zero exit with a clear message; with
    --provisional the statutory-holiday estimate, flagged in the JSON."""
    with pytest.raises(SystemExit) as ei:
        run("--received", "2026-12-10", "--extension-days", "0", "--json")
    assert ei.value.code == 2
    data = json.loads(run("--received", "2026-12-10", "--extension-days", "0", "--provisional", "--json")[0])
    assert data["due"] == "2027-01-08" and data["provisional"] is True
    text = run("--received", "2026-12-10", "--extension-days", "0", "--provisional")[0]
    assert "暂定" in text
