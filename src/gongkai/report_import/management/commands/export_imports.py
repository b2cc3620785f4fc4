"""``gongkai export-imports OUT.csv|OUT.parquet [--batch ID] [--agency ID] [--year Y]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.report_import.export import export
from gongkai.report_import.models import ImportedReport


class Command(BaseCommand):
    help = "导出已导入年度报告的全部单元格（每格一行）为 CSV 或 Parquet"

    def add_arguments(self, parser):
        parser.add_argument("out", help="output file, .csv or .parquet")
        parser.add_argument("--batch", type=int, help="only reports of this import batch")
        parser.add_argument("--agency", type=int, action="append", help="only this agency (repeatable)")
        parser.add_argument("--year", type=int, action="append", help="only this year (repeatable)")

    def handle(self, *args, **opt):
        qs = ImportedReport.objects.all()
        if opt["batch"]:
            qs = qs.filter(items__batch_id=opt["batch"]).distinct()
        if opt["agency"]:
            qs = qs.filter(agency_id__in=opt["agency"])
        if opt["year"]:
            qs = qs.filter(year__in=opt["year"])
        try:
            n = export(qs, opt["out"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"exported {n} cells of {qs.count()} reports to {opt['out']}")
