"""Sample report files for the import and audit (年报导入与审核) of the demo.

Made by the platform's own renderers from the demo's published 2025 reports: a saved web page
(HTML), a DOCX, a PDF in which a total was altered (so the audit has something to find), and one
deliberately broken PDF. They are written to ``<media>/demo-samples/`` for a newcomer to upload,
and imported once as a batch so the import list is not empty.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from gongkai.agencies.models import Agency
from gongkai.annual_reports.models import AnnualReport, Scope
from gongkai.annual_reports.services.reports import version_data
from gongkai.core.report_render import render_docx, render_html, render_pdf

SAMPLE_YEAR = 2025
# (agency slug, file name, format); the PDF's Section 3 total is altered by ALTERED_BY
SAMPLES = (
    ("jb_health", "临江市江北区卫生健康委员会2025年年报（网页另存）.html", "html"),
    ("jn_hrss", "临江市江南区人力资源和社会保障局2025年年报.docx", "docx"),
    ("city_edu", "临江市教育局2025年年报（总计有误）.pdf", "pdf"),
)
BROKEN_NAME = "损坏的报告.pdf"
ALTERED_BY = 3


def samples_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "demo-samples"


def write_samples(agencies: dict[str, Agency], dest: Path | None = None) -> Path:
    dest = dest or samples_dir()
    dest.mkdir(parents=True, exist_ok=True)
    for slug, name, fmt in SAMPLES:
        report = AnnualReport.objects.select_related("current_version").get(
            agency=agencies[slug], year=SAMPLE_YEAR, scope=Scope.SINGLE
        )
        data = version_data(report.current_version)
        if fmt == "pdf":
            totals = data.tables["applications"]["results_total"]
            totals["total"] = int(totals["total"]) + ALTERED_BY
            (dest / name).write_bytes(render_pdf(data))
        elif fmt == "docx":
            (dest / name).write_bytes(render_docx(data))
        else:
            (dest / name).write_text(render_html(data), encoding="utf-8")
    pdf = (dest / SAMPLES[2][1]).read_bytes()
    (dest / BROKEN_NAME).write_bytes(pdf[: len(pdf) // 3])  # cut off: no cross-reference table, no end
    return dest


def import_samples(dest: Path) -> tuple[int, int]:
    """Import the sample directory as one batch; ``(imported, failed)``."""
    from gongkai.report_import.batch import create_batch, run_batch

    batch = create_batch(dest, label="示例报告（演示数据）", allow_create_agency=False)
    run_batch(batch)
    batch.refresh_from_db()
    return batch.done, batch.failed
