"""A report imported again: the same file (same SHA-256, never stored twice) or the same report in
another file (same agency, year and cells — e.g. the PDF and then the DOCX of one report).

The user chooses for each repeat (a single upload, each file of a batch, or the command line):

- ``replace``: the new import stays, the earlier copies are removed;
- ``keep``: both stay;
- ``cancel``: the new import is removed, the earlier one stays.

Batch items that pointed at a removed report point at the one kept, and the choice is recorded on
the item (who, when, and in words which reports were kept or removed). "Earlier" means imported
before (lower id): two copies inside one batch are a repeat too, the later file repeating the
earlier one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import DuplicateChoice, ImportedReport, ImportItem, ItemStatus

CHOICES = tuple(c.value for c in DuplicateChoice)


def _cells(report: ImportedReport) -> dict:
    return {k: v for k, v in (report.tables or {}).items() if v}


def _cells_key(report: ImportedReport) -> str | None:
    cells = _cells(report)
    return json.dumps(cells, sort_keys=True, ensure_ascii=False, default=str) if cells else None


def earlier_copies(report: ImportedReport, among: QuerySet | None = None) -> list[ImportedReport]:
    """Reports imported before ``report`` (``among`` them, default all) with the same agency,
    year and cells, oldest first."""
    key = _cells_key(report)
    if key is None:
        return []
    qs = ImportedReport.objects.all() if among is None else among
    others = qs.filter(agency_id=report.agency_id, year=report.year, pk__lt=report.pk)
    return [o for o in others.order_by("pk") if _cells_key(o) == key]


def describe(report: ImportedReport) -> str:
    when = timezone.localtime(report.imported_at)
    return f"#{report.pk}「{report.source_name}」（{when:%Y-%m-%d %H:%M}导入）"


def _apply(
    report: ImportedReport, choice: str, earlier: list[ImportedReport]
) -> tuple[ImportedReport | None, str]:
    """(report kept, what was done in words); items pointing at a removed report are moved to
    the report kept."""
    if choice == DuplicateChoice.REPLACE:
        note = "替换：删除此前导入的" + "、".join(describe(o) for o in earlier) + "，保留本次导入"
        for old in earlier:
            ImportItem.objects.filter(report=old).update(report=report)
            old.delete()
        return report, note
    if choice == DuplicateChoice.CANCEL:
        kept = earlier[0] if earlier else None
        ImportItem.objects.filter(report=report).update(report=kept)
        gone = describe(report)
        report.delete()
        return kept, f"取消本次导入：删除{gone}，保留此前导入的{describe(kept) if kept else '报告'}"
    return report, "两份都保留（与此前导入的" + "、".join(describe(o) for o in earlier) + "相同）"


def _record(items, choice: str, note: str, user) -> None:
    now = timezone.now()
    for it in items:
        it.resolution, it.resolution_note, it.resolved_at = choice, note[:4000], now
        it.resolved_by = user if getattr(user, "pk", None) else None
        it.save(update_fields=["resolution", "resolution_note", "resolved_at", "resolved_by", "report"])


def resolve(report: ImportedReport, choice: str, user=None) -> ImportedReport | None:
    """Apply the user's choice for a report that repeats earlier ones (a single upload); return
    the report kept. The choice is recorded on the upload's item."""
    if choice not in CHOICES:
        raise ValueError(choice)
    with transaction.atomic():
        items = list(ImportItem.objects.select_for_update().filter(report=report, resolution=""))
        kept, note = _apply(report, choice, earlier_copies(report))
        for it in items:
            it.report = kept
        _record(items, choice, note, user)
        return kept


# -- batches ------------------------------------------------------------------------------------


@dataclass
class Repeat:
    """One file of a batch that repeats an earlier import."""

    item: ImportItem
    reason: str  # "file": same content (stored once); "cells": same agency, year and cells
    earlier: list[ImportedReport] = field(default_factory=list)

    @property
    def choosable(self) -> bool:
        return self.reason == "cells" and not self.item.resolution

    @property
    def reason_text(self) -> str:
        if self.reason == "file":
            return "同一文件（内容完全相同）此前已导入，只保存一份，未重复导入"
        return "机关、年度和各表数据与此前导入的报告完全相同"


def batch_repeats(batch, visible: QuerySet | None = None) -> list[Repeat]:
    """The files of ``batch`` that repeat an earlier import (in this batch or before), with the
    earlier imports each matches; resolved files are listed with their record. ``visible``: the
    reports the user may see (an earlier copy the user cannot see is not offered)."""
    items = list(
        ImportItem.objects.filter(batch=batch, status=ItemStatus.DONE)
        .select_related("report", "report__agency", "resolved_by")
        .order_by("id")
    )
    out: list[Repeat] = []
    mine = [it.report for it in items if it.report_id and not it.duplicate]
    pool = ImportedReport.objects.all() if visible is None else visible
    groups: dict[tuple, list[ImportedReport]] = defaultdict(list)
    if mine:
        for r in pool.filter(
            agency_id__in={r.agency_id for r in mine}, year__in={r.year for r in mine}
        ).order_by("pk"):
            key = _cells_key(r)
            if key is not None:
                groups[(r.agency_id, r.year, key)].append(r)
    for it in items:
        if it.duplicate:
            out.append(Repeat(it, "file", [it.report] if it.report_id else []))
        elif it.resolution:
            out.append(Repeat(it, "cells"))
        elif it.report_id:
            key = _cells_key(it.report)
            earlier = [
                r for r in groups.get((it.report.agency_id, it.report.year, key), []) if r.pk < it.report_id
            ]
            if key is not None and earlier:
                out.append(Repeat(it, "cells", earlier))
    return out


def resolve_batch(
    batch, choices: dict[int, str], user=None, visible: QuerySet | None = None
) -> dict[str, int]:
    """Apply the choices ``{item id: replace|keep|cancel}`` for the repeated files of ``batch`` in
    one transaction, in file order (a later file's choice sees what the earlier ones left), and
    record each. Returns the count per choice applied."""
    done = dict.fromkeys(CHOICES, 0)
    pool = ImportedReport.objects.all() if visible is None else visible
    with transaction.atomic():
        items = (
            ImportItem.objects.select_for_update(of=("self",))
            .filter(batch=batch, pk__in=list(choices), status=ItemStatus.DONE, duplicate=False, resolution="")
            .exclude(report=None)
            .order_by("id")
        )
        for it in items:
            choice = choices[it.pk]
            if choice not in CHOICES:
                raise ValueError(choice)
            report = ImportedReport.objects.filter(pk=it.report_id).first()
            earlier = earlier_copies(report, pool) if report is not None else []
            if not earlier:
                continue  # an earlier choice removed what it repeated
            kept, note = _apply(report, choice, earlier)
            it.report = kept
            _record([it], choice, note, user)
            done[choice] += 1
    return done
