"""A report imported again: the same file (same SHA-256, never stored twice) or the same report in
another file (same agency, year and cells — e.g. the PDF and then the DOCX of one report)."""

from __future__ import annotations

from django.db import transaction

from .models import ImportedReport


def _cells(report: ImportedReport) -> dict:
    return {k: v for k, v in (report.tables or {}).items() if v}


def earlier_copies(report: ImportedReport) -> list[ImportedReport]:
    """Reports imported before ``report`` with the same agency, year and the same cells."""
    cells = _cells(report)
    if not cells:
        return []
    others = ImportedReport.objects.filter(agency_id=report.agency_id, year=report.year).exclude(pk=report.pk)
    return [o for o in others.order_by("imported_at", "pk") if _cells(o) == cells]


def resolve(report: ImportedReport, choice: str) -> ImportedReport | None:
    """Apply the user's choice for a report that repeats earlier ones; return the report kept.

    ``replace``: the new import replaces the earlier copies; ``keep``: both stay; ``cancel``: the
    new import is removed (the earlier one stays)."""
    if choice not in ("replace", "keep", "cancel"):
        raise ValueError(choice)
    with transaction.atomic():
        if choice == "replace":
            for old in earlier_copies(report):
                old.delete()
            return report
        if choice == "cancel":
            earlier = earlier_copies(report)
            report.delete()
            return earlier[0] if earlier else None
        return report
