"""Supervisor view of publication timeliness (年度报告按时发布情况).

Art. 49: departments (县级以上人民政府部门) publish by 31 January of Y+1; local governments'
reports by 31 March of Y+1 (``Agency.is_local_government``). For a local government the report
that counts is its region report (``subtree``) if there is one, else its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from gongkai.agencies.models import Agency

from ..models import AnnualReport, Scope, statutory_deadline

ON_TIME = "on_time"
LATE = "late"
MISSING_OVERDUE = "missing_overdue"
NOT_DUE = "not_due"
STATUS_LABELS = {
    ON_TIME: "按时发布",
    LATE: "逾期发布",
    MISSING_OVERDUE: "逾期未发布",
    NOT_DUE: "未发布（未到期）",
}


@dataclass
class TimelinessRow:
    agency: Agency
    deadline: dt.date
    report: AnnualReport | None
    published_on: dt.date | None
    status: str
    error_count: int | None  # validation errors of the published version (or of the draft)
    override: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def fails_validation(self) -> bool:
        return bool(self.error_count)


def timeliness(root: Agency, year: int, today: dt.date | None = None) -> list[TimelinessRow]:
    """One row per active agency of ``root``'s subtree, in tree order."""
    today = today or timezone.localdate()
    agencies = list(Agency.objects.filter(path__startswith=root.path, active=True).order_by("path"))
    reports: dict[int, list[AnnualReport]] = {}
    for r in (
        AnnualReport.objects.filter(agency__in=agencies, year=year)
        .select_related("current_version")
        .prefetch_related("versions")
    ):
        reports.setdefault(r.agency_id, []).append(r)
    rows = []
    for a in agencies:
        deadline = statutory_deadline(a, year)
        candidates = reports.get(a.pk, [])
        preferred = Scope.SUBTREE if a.is_local_government else Scope.SINGLE
        candidates.sort(key=lambda r: (r.first_published_at is None, r.scope != preferred))
        report = candidates[0] if candidates else None
        published_on = (
            timezone.localdate(report.first_published_at) if report and report.first_published_at else None
        )
        if published_on is not None:
            status = ON_TIME if published_on <= deadline else LATE
        else:
            status = MISSING_OVERDUE if today > deadline else NOT_DUE
        error_count = None
        override = False
        if report is not None:
            version = report.current_version
            if version is None:
                drafts = [v for v in report.versions.all() if not v.is_published]
                version = drafts[-1] if drafts else None
            if version is not None:
                error_count = version.error_count
                override = bool(version.override_reason)
        rows.append(TimelinessRow(a, deadline, report, published_on, status, error_count, override))
    return rows
