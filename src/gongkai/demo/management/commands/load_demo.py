"""``gongkai load_demo [--seed N] [--as-of YYYY-MM-DD] [--reset]``: load the demo region.

Idempotent: if the demo region is already there it does nothing (``--reset`` empties the
database first). Deterministic: the same seed and as-of date give the same data.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.demo import loader
from gongkai.demo.region import REGION

# The demo data run over 2024–2026; "today" for the demo is the real date, capped at the end of
# the generated period so that open cases stay meaningful. Deadlines that reach 2027 (no official
# holiday notice yet) are computed with the provisional calendar and shown as 暂定.
DEMO_LAST_DAY = dt.date(2026, 12, 31)


class Command(BaseCommand):
    help = "加载演示数据：临江市（两区、部门、街道）及 2024—2026 年的政府信息公开申请"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="演示数据截止日期（默认今天）"
        )
        parser.add_argument("--reset", action="store_true", help="先清空数据库再加载")

    def handle(self, *args, seed: int, as_of: dt.date | None, reset: bool, **options):
        as_of = as_of or min(dt.date.today(), DEMO_LAST_DAY)
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if Agency.objects.filter(name=REGION[0].name).exists():
            self.stdout.write("演示数据已存在，跳过加载（使用 --reset 重新生成）。")
            return
        if Agency.objects.exists():
            raise CommandError("数据库中已有非演示数据，拒绝加载演示数据（可用 --reset 清空后加载）。")
        started = time.perf_counter()
        with transaction.atomic():
            summary = loader.load(seed=seed, as_of=as_of, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据加载完成（{time.perf_counter() - started:.1f} 秒）：{summary}")
        )
