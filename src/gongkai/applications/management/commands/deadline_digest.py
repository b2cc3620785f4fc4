"""``gongkai deadline-digest``: print the answer-deadline digest (期限提醒) in Chinese."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from gongkai.applications.services.digest import deadline_digest, format_digest
from gongkai.applications.tasks import send_digest


class Command(BaseCommand):
    help = "列出3个工作日内到期或已超期的政府信息公开申请（按承办人分组）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="以该日期为“今天”（YYYY-MM-DD），默认今天")
        parser.add_argument("--within", type=int, default=3, help="提前提醒的工作日数（默认3）")
        parser.add_argument("--email", action="store_true", help="同时向承办人发送邮件")

    def handle(self, *args, **opts):
        today = None
        if opts.get("date"):
            try:
                today = dt.date.fromisoformat(opts["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD") from None
        groups = deadline_digest(today, within=opts["within"])
        self.stdout.write(format_digest(groups, today))
        if opts.get("email"):
            summary = send_digest(today, email=True)
            self.stdout.write(f"\n已发送提醒邮件{summary['emails_sent']}封。")
