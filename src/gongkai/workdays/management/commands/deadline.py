"""``gongkai deadline``: compute statutory deadlines of one application (期限计算).

Example::

    uv run gongkai deadline --received 2026-09-28 --extension-days 20 \\
        --pause 2026-10-09..2026-10-15 --json

Exit code 2 with a Chinese message on stderr on bad input or when the calendar does not cover a
needed year — strict by default; ``--provisional`` computes such a year from the statutory
holidays (暂定) and the JSON then carries ``"provisional": true``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from gongkai.core.deadlines import (
    ANSWER_WORKDAYS,
    MAX_EXTENSION_WORKDAYS,
    CalendarNotCovered,
    ClockInputs,
    Pause,
    PauseKind,
    compute_deadlines,
)
from gongkai.core.workdays import WorkCalendar


class _Usage(Exception):
    pass


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _Usage(f"日期格式错误：{text!r}，应为YYYY-MM-DD") from None


def _pause(text: str, kind: PauseKind) -> Pause:
    if ".." not in text:
        raise _Usage(f"暂停期间格式错误：{text!r}，应为 开始..结束（结束可留空表示尚未结束）")
    a, b = text.split("..", 1)
    start = _date(a)
    end = _date(b) if b.strip() else None
    if end is not None and end < start:
        raise _Usage(f"暂停期间结束日期早于开始日期：{text}")
    return Pause(start, end, kind)


def _fmt(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


class Command(BaseCommand):
    # No system checks: they import every URLconf and view (a second of start-up); the command
    # only reads the calendar/parses files and needs no URL, admin or template check.
    requires_system_checks = []
    help = (
        "计算政府信息公开申请的法定期限（《政府信息公开条例》第30、33条）：补正告知期限（7个工作日）、"
        "答复期限（20个工作日）、延长后的答复期限。收到申请当日不计入；调休上班日计入；"
        "暂停期间（征求第三方或其他机关意见）起止日均不计入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help="收到申请之日 YYYY-MM-DD（条例第31条）")
        parser.add_argument(
            "--correction-received",
            default=None,
            help="收到补正申请之日 YYYY-MM-DD：答复期限自该日起重新计算（第30条）",
        )
        parser.add_argument(
            "--extension-days",
            type=int,
            default=MAX_EXTENSION_WORKDAYS,
            help=f"延长的工作日数，0–{MAX_EXTENSION_WORKDAYS}；默认{MAX_EXTENSION_WORKDAYS}（法定最长延期），"
            "extended_due 按此计算；0 表示不延期（extended_due 为 null）",
        )
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="START..END",
            help="征求意见暂停期间（第33条第3款），起止日均不计入；END 留空表示尚未结束（期限暂不能确定）；可重复",
        )
        parser.add_argument(
            "--fee-pause",
            action="append",
            default=[],
            metavar="START..END",
            help="收费通知至缴费期间；设置 GONGKAI_FEE_PAUSES_CLOCK 开启（默认关闭）或指定 --fee-pauses-clock 时不计入答复期限（该规则尚未经官方文本确认）",
        )
        parser.add_argument(
            "--fee-pauses-clock",
            action="store_true",
            default=None,
            help="收费通知期间不计入答复期限（默认取设置 GONGKAI_FEE_PAUSES_CLOCK）",
        )
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="某年度节假日安排尚未录入时，按《全国年节及纪念日放假办法》的法定节假日暂定计算（结果标注暂定）；"
            "默认不计算并报错",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="输出JSON：received、correction_notice_due、due、extended_due、provisional",
        )

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (_Usage, CalendarNotCovered, ValueError) as exc:
            err = getattr(self, "stderr", None)
            (err or sys.stderr).write(f"错误：{exc}\n")
            raise SystemExit(2) from None

    def _calendar(self, provisional: bool) -> WorkCalendar:
        from gongkai.workdays.calendar import build_calendar

        try:
            # One calendar per run: read it straight from the database (the shared cache's
            # version check would only add a Redis client to the start-up).
            cal = build_calendar()
        except DatabaseError:
            self.stderr.write(
                "警告：数据库不可用或尚未迁移，仅使用 chinese-calendar 内置数据（管理员录入的节假日调整未计入）"
            )
            cal = WorkCalendar()
        if provisional:
            return WorkCalendar(cal.overrides.values(), cal.complete_years, provisional=True)
        return cal.strict()

    def handle(self, *args, **o):
        ext = o["extension_days"]
        if not 0 <= ext <= MAX_EXTENSION_WORKDAYS:
            raise _Usage(f"延长答复期限应为0至{MAX_EXTENSION_WORKDAYS}个工作日")
        pauses = [_pause(p, PauseKind.CONSULTATION) for p in o["pause"]]
        pauses += [_pause(p, PauseKind.FEE) for p in o["fee_pause"]]
        ci = ClockInputs(
            received=_date(o["received"]),
            correction_received=_date(o["correction_received"]) if o["correction_received"] else None,
            extension_days=ext,
            pauses=tuple(pauses),
        )
        from gongkai.workdays import fee_pauses_clock

        fee_rule = fee_pauses_clock() if o["fee_pauses_clock"] is None else o["fee_pauses_clock"]
        d = compute_deadlines(self._calendar(o["provisional"]), ci, fee_pauses_clock=fee_rule)
        if o["json"]:
            self.stdout.write(json.dumps(d.as_dict(), ensure_ascii=False))
            return
        lines = [
            f"收到申请之日：{_fmt(d.received)}",
            f"补正告知期限（7个工作日）：{_fmt(d.correction_notice_due)}",
        ]
        if ci.correction_received:
            lines.append(f"收到补正申请之日（答复期限重新起算）：{_fmt(ci.correction_received)}")
        for p in d.pauses:
            lines.append(f"暂停（{p.kind.label}）：{_fmt(p.start)} 至 {_fmt(p.end) if p.end else '尚未结束'}")
        if d.paused_since and d.final_due is None:
            lines.append(
                f"期限自{_fmt(d.paused_since)}起中止，恢复计算后尚余"
                f"{ANSWER_WORKDAYS + ext - d.counted_before_pause}个工作日"
            )
        lines.append(f"答复期限（20个工作日）：{_fmt(d.due)}")
        if ext:
            lines.append(f"延长后的答复期限（延长{ext}个工作日）：{_fmt(d.extended_due)}")
        if d.provisional:
            from gongkai.core.workdays import PROVISIONAL_NOTE

            lines.append(f"注：{PROVISIONAL_NOTE}")
        self.stdout.write("\n".join(lines))
