"""``gongkai holiday-notice FILE [--save]``: read a State Council holiday notice (节假日安排通知).

Prints the parsed year as JSON, ``{"year": …, "holidays": ["YYYY-MM-DD", …], "workdays": […]}``
(make-up working days under ``workdays``). ``--save`` enters it as the year's official calendar
(overrides + complete year) and re-derives every open case. ``FILE`` may be ``-`` for stdin.
Exit code 2 with a Chinese message when the text cannot be read; nothing is saved then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from gongkai.core.holiday_notice import NoticeError, parse_notice


class Command(BaseCommand):
    # No system checks: they import every URLconf and view (a second of start-up); the command
    # only reads the calendar/parses files and needs no URL, admin or template check.
    requires_system_checks = []
    help = (
        "解析国务院办公厅节假日安排通知，输出该年度放假日期和调休上班日期（JSON）；--save 录入为正式工作日历"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="通知全文的文本文件（UTF-8），- 表示标准输入")
        parser.add_argument(
            "--save", action="store_true", help="录入为该年度正式工作日历，并重新计算在办申请的期限"
        )

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (NoticeError, OSError, UnicodeDecodeError) as exc:
            (getattr(self, "stderr", None) or sys.stderr).write(f"错误：{exc}\n")
            raise SystemExit(2) from None

    def handle(self, *args, **o):
        path = o["file"]
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        notice = parse_notice(text)
        self.stdout.write(json.dumps(notice.as_json(), ensure_ascii=False))
        if o["save"]:
            from gongkai.workdays.services import enter_notice_text

            _, changed = enter_notice_text(text)
            self.stderr.write(f"已录入{notice.year}年节假日安排；{changed}件在办申请的答复期限已重新计算")
