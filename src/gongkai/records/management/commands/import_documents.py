"""``gongkai import-documents PATH [--agency 机关] [--dry-run] [--async] [--chunk-size N] [--json]``.

``--fetch-remote`` also downloads attachments linked by http(s) URL that were not saved beside the
page (http/https only, a timeout and the attachment size cap).

PATH: a CSV/JSON manifest (or a folder holding ``manifest.csv`` / ``manifest.json``) with the
files beside it, or a folder of saved government document pages. ``--dry-run`` reports what
would be created or updated and every file's problems (in Chinese) without saving. Re-running
updates the records imported before instead of duplicating them. ``--async`` queues Celery tasks
of ``--chunk-size`` files each (for large sets; workers log each chunk's counts).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gongkai.records import importer


class Command(BaseCommand):
    help = "导入已有网站的政府信息文件（清单加文件，或保存的文件页面）"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--agency", default="", help="页面未标明或找不到发文机关时使用的机关（名称或编号）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不保存")
        parser.add_argument("--async", dest="run_async", action="store_true", help="分批交给 Celery 任务处理")
        parser.add_argument("--chunk-size", type=int, default=200)
        parser.add_argument("--json", action="store_true", help="报告以 JSON 输出")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--fetch-remote",
            action="store_true",
            help="下载页面中以 http/https 链接的附件（有超时和大小上限；默认只读取本地保存的附件）",
        )

    def handle(self, *args, path, agency, dry_run, run_async, chunk_size, json: bool, no_progress, **opt):
        fetch_remote = opt.get("fetch_remote", False)
        root = Path(path)
        if not root.exists():
            raise CommandError(f"路径不存在：{path}")
        default = importer.find_agency(agency) if agency else None
        if agency and default is None:
            raise CommandError(f"找不到机关：{agency}")
        kind, manifest, files = importer.source_of(root)
        if run_async and not dry_run:
            return self._queue(root, kind, manifest, files, default, chunk_size, fetch_remote)
        total = len(files) if kind == "pages" else None
        bar = tqdm(total=total, desc="读取", unit="件", disable=no_progress or total is None, file=sys.stderr)
        items, kind = importer.collect(root, progress=bar.update)
        bar.close()
        bar = tqdm(
            total=len(items),
            desc="检查" if dry_run else "导入",
            unit="件",
            disable=no_progress,
            file=sys.stderr,
        )
        counts = importer.run(
            items,
            default_agency=default,
            dry_run=dry_run,
            source=f"{kind}:{root.name}",
            progress=bar.update,
            base=importer.base_of(root),
            fetch_remote=fetch_remote,
        )
        bar.close()
        self._report(items, counts, dry_run, json)

    def _report(self, items, counts, dry_run, as_json):
        rows = importer.report_rows(items)
        summary = {importer.ACTION_LABELS[k]: n for k, n in counts.items()}
        if as_json:
            self.stdout.write(json_dumps({"dry_run": dry_run, "summary": summary, "items": rows}))
            return
        head = "试运行（未保存）" if dry_run else "导入完成"
        self.stdout.write(f"{head}：" + "，".join(f"{k} {n} 件" for k, n in summary.items()))
        for r in rows:
            if r["action"] != "未变化":
                line = f"  [{r['action']}] {r['source']}  {r['title']}"
                self.stdout.write(line + (f"  —— {r['message']}" if r["message"] else ""))

    def _queue(self, root, kind, manifest, files, default, chunk_size, fetch_remote=False):
        from gongkai.records.tasks import import_documents_chunk

        n = len(files) if kind == "pages" else len(importer.read_manifest(manifest))
        chunks = [(i, min(i + chunk_size, n)) for i in range(0, n, chunk_size)]
        for start, stop in chunks:
            import_documents_chunk.delay(
                str(root.resolve()), start, stop, default.pk if default else None, fetch_remote
            )
        self.stdout.write(f"已提交 {len(chunks)} 个导入任务（共 {n} 件，每批 {chunk_size} 件）")


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
