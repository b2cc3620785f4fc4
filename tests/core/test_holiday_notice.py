"""The State Council holiday notice parser, checked against the calendar package year by year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays as PKG_HOLIDAYS
from chinese_calendar.constants import workdays as PKG_WORKDAYS

from gongkai.core.holiday_notice import NoticeError, parse_notice
from gongkai.core.workdays import DayOverride, WorkCalendar

NOTICES = Path(__file__).resolve().parents[1] / "data" / "holiday_notices"
YEARS = sorted(int(p.stem) for p in NOTICES.glob("*.txt"))


def _governed(d: dt.date, year: int) -> bool:
    """Days the notice of ``year`` decides: its own year, except the last days of December, which
    the next year's notice governs (元旦 bridging)."""
    return d.year == year and not (d.month == 12 and d.day >= 29)


def test_several_years_of_wording():
    assert len(YEARS) >= 6 and {2017, 2023, 2024, 2025, 2026} <= set(YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_notice_reproduces_package_calendar(year):
    notice = parse_notice((NOTICES / f"{year}.txt").read_text("utf-8"))
    assert notice.year == year
    hol = {d for d in notice.holiday_days() if _governed(d, year)}
    work = {d for d in notice.workday_days() if _governed(d, year)}
    assert hol == {d for d in PKG_HOLIDAYS if _governed(d, year)}
    assert work == {d for d in PKG_WORKDAYS if _governed(d, year)}
    overrides = [DayOverride(d, n == "调休上班", n) for d, n in notice.names().items()]
    cal = WorkCalendar(overrides, complete_years=[year], use_package=False)
    d = dt.date(year, 1, 1)
    while _governed(d, year):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += dt.timedelta(days=1)


def test_2026_json_shape():
    j = parse_notice((NOTICES / "2026.txt").read_text("utf-8")).as_json()
    assert j["year"] == 2026
    assert j["workdays"] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    assert "2026-02-15" in j["holidays"] and "2026-02-23" in j["holidays"] and len(j["holidays"]) == 33


def test_wording_variants():
    text = """国务院办公厅关于2017年部分节假日安排的通知
一、元旦：1月1日放假，1月2日（星期一）补休。
二、春节：１月２７日至２月２日放假调休，共７天。1月22日（星期日）、2月4日（星期六）上班。"""
    n = parse_notice(text)  # full-width digits, 补休, range across months
    assert dt.date(2017, 1, 2) in n.holiday_days() and dt.date(2017, 2, 2) in n.holiday_days()
    assert n.workday_days() == [dt.date(2017, 1, 22), dt.date(2017, 2, 4)]


def test_exhortation_is_not_a_holiday():
    n = parse_notice((NOTICES / "2024.txt").read_text("utf-8"))
    assert dt.date(2024, 2, 9) not in n.holiday_days()  # 鼓励……在除夕（2月9日）休息


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "通知内容为空"),
        ("随便一段话，没有年份", "未找到通知标题中的年度"),
        (
            "国务院办公厅关于2026年部分节假日安排的通知\n经国务院批准，现通知如下。",
            "未识别出任何节日安排条目",
        ),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周五）放假。", "星期四"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日至3日放假，共4天。", "共4天"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月3日至1日放假。", "早于开始日期"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：2月30日放假。", "无效"),
        (
            "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。1月1日上班。",
            "既被列为放假又被列为上班",
        ),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：放假调休。", "没有可识别的日期"),
    ],
)
def test_malformed_text_gives_a_chinese_error(text, words):
    with pytest.raises(NoticeError) as ei:
        parse_notice(text)
    assert words in str(ei.value)
