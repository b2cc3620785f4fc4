"""``gongkai recover-imports [--older-than MINUTES]`` — finish import items left pending.

A worker killed mid-batch (machine restart, OOM killer) leaves its items pending. Celery workers
run this recovery when they start (``worker_ready``); run it by hand or from cron as well.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongkai.report_import.batch import recover_stale


class Command(BaseCommand):
    help = "恢复长时间停留在“待处理”的导入文件（重新处理或重新派发）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            metavar="MINUTES",
            help="only batches started at least this long ago (default: GONGKAI_IMPORT_STALE_MINUTES, 10)",
        )

    def handle(self, *args, **opt):
        done = recover_stale(opt["older_than"])
        if not done:
            self.stdout.write("没有需要恢复的导入批次")
        for batch_id, n in done.items():
            self.stdout.write(f"批次{batch_id}：重新处理 {n} 个待处理文件")
