"""``gongkai import-batch DIR_OR_ZIP [--workers N] [--resume BATCH_ID] [--export out.csv|out.parquet]``.

Imports every report file (.txt .html .htm .docx .pdf) of a directory or zip as one batch.
Ctrl-C stops it; ``--resume BATCH_ID`` continues with the files not yet processed.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gongkai.agencies.models import Agency
from gongkai.report_import import batch as batch_mod
from gongkai.report_import.export import export
from gongkai.report_import.models import ImportBatch, ImportedReport, ItemStatus
from gongkai.report_import.services import ImportRejected


class Command(BaseCommand):
    help = "批量导入已发布的政府信息公开工作年度报告（目录或zip），可中断后用 --resume 继续"

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="report directory or zip file")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="eager mode: local processes; with a broker: chunks kept in flight = 2 x N",
        )
        parser.add_argument("--resume", type=int, metavar="BATCH_ID", help="continue an interrupted batch")
        parser.add_argument(
            "--retry-failed", action="store_true", help="with --resume: retry failed files too"
        )
        parser.add_argument("--chunk-size", type=int, default=batch_mod.DEFAULT_CHUNK)
        parser.add_argument("--limit", type=int, help="process at most N files this run (then stop)")
        parser.add_argument(
            "--agency", type=int, metavar="AGENCY_ID", help="attribute every report to this agency"
        )
        parser.add_argument(
            "--no-create-agency",
            action="store_true",
            help="fail files whose agency is not found instead of creating it",
        )
        parser.add_argument("--timeout", type=float, help="seconds to wait for remote workers")
        parser.add_argument(
            "--export", metavar="OUT", help="write the batch's cells to out.csv or out.parquet"
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--on-duplicate",
            choices=("leave", "replace", "keep", "skip"),
            default="leave",
            help="files repeating an earlier import (same agency, year and cells): replace the earlier, "
            "keep both, skip (remove this batch's copy), or leave the choice to the batch page (default)",
        )

    def handle(self, *args, **opt):
        if opt["resume"]:
            try:
                b = ImportBatch.objects.get(pk=opt["resume"])
            except ImportBatch.DoesNotExist:
                raise CommandError(f"batch {opt['resume']} does not exist") from None
            if opt["retry_failed"]:
                n = batch_mod.reset_failed(b)
                self.stdout.write(f"retrying {n} failed files")
        elif opt["source"]:
            agency = Agency.objects.filter(pk=opt["agency"]).first() if opt["agency"] else None
            if opt["agency"] and agency is None:
                raise CommandError(f"agency {opt['agency']} does not exist")
            try:
                b = batch_mod.create_batch(
                    opt["source"], agency=agency, allow_create_agency=not opt["no_create_agency"]
                )
            except ImportRejected as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"batch {b.pk}: {b.total} files in {b.source}")
        else:
            raise CommandError("give a directory or zip, or --resume BATCH_ID")

        start = batch_mod.item_counts(b)
        bar = (
            None
            if opt["no_progress"]
            else tqdm(
                total=b.total,
                initial=start[ItemStatus.DONE] + start[ItemStatus.FAILED],
                unit="file",
                desc=f"batch {b.pk}",
                file=sys.stderr,
                dynamic_ncols=True,
            )
        )

        def progress(c):
            if bar is not None:
                bar.n = c[ItemStatus.DONE] + c[ItemStatus.FAILED]
                bar.set_postfix(failed=c[ItemStatus.FAILED], refresh=False)
                bar.refresh()

        try:
            res = batch_mod.run_batch(
                b,
                workers=opt["workers"],
                chunk_size=opt["chunk_size"],
                limit=opt["limit"],
                progress=progress,
                timeout=opt["timeout"],
            )
        except KeyboardInterrupt:
            if bar is not None:
                bar.close()
            c = batch_mod.item_counts(b)
            self.stderr.write(
                f"interrupted: {c[ItemStatus.DONE]} done, {c[ItemStatus.FAILED]} failed, "
                f"{c[ItemStatus.PENDING]} pending. Continue with: gongkai import-batch --resume {b.pk}"
            )
            sys.exit(130)
        finally:
            if bar is not None:
                bar.close()
        c = res.counts
        self.stdout.write(
            f"batch {b.pk} {res.batch.status}: {c[ItemStatus.DONE]} done, {c[ItemStatus.FAILED]} failed, "
            f"{c[ItemStatus.PENDING]} pending"
        )
        if c[ItemStatus.PENDING]:
            self.stdout.write(f"continue with: gongkai import-batch --resume {b.pk}")
        self._repeats(b, opt["on_duplicate"])
        if opt["export"]:
            qs = ImportedReport.objects.filter(items__batch=b).distinct()
            n = export(qs, opt["export"])
            self.stdout.write(f"exported {n} cells to {opt['export']}")

    def _repeats(self, b, how: str) -> None:
        """List the files repeating an earlier import and apply ``--on-duplicate`` to them."""
        from gongkai.report_import.duplicates import batch_repeats, describe, resolve_batch

        open_ = [r for r in batch_repeats(b) if r.choosable]
        if not open_:
            return
        self.stdout.write(f"{len(open_)} 份报告与此前导入的报告重复（机关、年度和各表数据相同）：")
        for r in open_:
            self.stdout.write(f"  {r.item.path}：与{'、'.join(describe(e) for e in r.earlier)}重复")
        if how == "leave":
            self.stdout.write(
                f"请在批次页面（批次 {b.pk}）选择处理方式，或用 --resume {b.pk} --on-duplicate=… 处理"
            )
            return
        choice = {"skip": "cancel"}.get(how, how)
        done = resolve_batch(b, {r.item.pk: choice for r in open_})
        self.stdout.write(f"已按 --on-duplicate={how} 处理 {done[choice]} 份")
