"""``gongkai report --agency <id or name> --year YYYY [--template 2019|2021] [--subtree]
--format json|csv|docx|pdf|html [--output FILE] [--published]``

Computes the annual report from live data (default) or prints the agency's published version
(``--published``), in the chosen format. Without ``--output``, text formats go to stdout.
"""

from __future__ import annotations

import logging
import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.models import Agency
from gongkai.annual_reports.models import AnnualReport, Scope
from gongkai.annual_reports.services import compute_report, version_data
from gongkai.annual_reports.services.export import FORMATS, render
from gongkai.core import report_rules


class Command(BaseCommand):
    help = "Compute (or export the published) annual report 年度报告 of an agency for a year."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency id or exact name")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--template", choices=["2019", "2021"], default=None)
        parser.add_argument(
            "--subtree", action="store_true", help="本行政区域: the agency and all agencies below it"
        )
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--output", "-o", default=None, help="file to write (default stdout)")
        parser.add_argument("--published", action="store_true", help="export the current published version")
        parser.add_argument("--validate", action="store_true", help="print validation findings to stderr")

    def handle(self, *args, **opts):
        for noisy in ("weasyprint", "fontTools"):  # per-step INFO logs of the PDF renderer
            logging.getLogger(noisy).setLevel(logging.WARNING)
        key = str(opts["agency"]).strip()
        agency = Agency.objects.filter(pk=int(key)).first() if key.isdigit() else None
        agency = agency or Agency.objects.filter(name=key).first()
        if agency is None:
            raise CommandError(f"找不到机关：{key}")
        if opts["published"]:
            scope = Scope.SUBTREE if opts["subtree"] else Scope.SINGLE
            report = AnnualReport.objects.filter(agency=agency, year=opts["year"], scope=scope).first()
            if report is None or report.current_version is None:
                raise CommandError(f"{agency.name}{opts['year']}年度报告尚未发布")
            data = version_data(report.current_version)
        else:
            try:
                data = compute_report(agency, opts["year"], opts["template"], subtree=opts["subtree"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if opts["validate"]:
            for f in report_rules.validate(data):
                self.stderr.write(f"[{f.severity}] {f.rule}: {f.message}")
        content = render(data, opts["format"])
        if opts["output"]:
            with open(opts["output"], "wb") as fh:
                fh.write(content)
            self.stderr.write(f"wrote {opts['output']} ({len(content)} bytes)")
        elif opts["format"] in ("pdf", "docx"):
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode("utf-8").lstrip("\ufeff"), ending="")
