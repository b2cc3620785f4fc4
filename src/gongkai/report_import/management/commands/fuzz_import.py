"""``gongkai fuzz-import [N] [--workers 2] [--seed 8] [--json]`` — N malformed files through import.

Use a scratch database: the run creates batches, items and (for files that still parse) reports.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from gongkai.report_import.fuzz import run


class Command(BaseCommand):
    help = "用大量畸形文件（txt/html/docx/pdf/zip）测试年报导入：不崩溃、不遗留待处理"

    def add_arguments(self, parser):
        parser.add_argument("count", nargs="?", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opt):
        last = [0.0]

        def progress(counts):
            if time.monotonic() - last[0] > 60:
                last[0] = time.monotonic()
                self.stderr.write(f"{time.strftime('%H:%M:%S')} {counts}")

        res = run(opt["count"], workers=opt["workers"], seed=opt["seed"], progress=progress)
        if opt["json"]:
            self.stdout.write(json.dumps(res, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(
                f"{res['files']} 个文件（{res['by_kind']}），{res['items']} 个导入项：{res['outcomes']}；"
                f"崩溃 {res['crashed']}，遗留待处理 {res['pending']}；生成 {res['generate_s']} s，导入 {res['import_s']} s；"
                f"解析子进程峰值内存 {res['peak_child_rss_mb']} MB，本进程 {res['peak_self_rss_mb']} MB"
            )
        return None
