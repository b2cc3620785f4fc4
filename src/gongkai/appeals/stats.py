"""Section 4 of the annual report (四、政府信息公开行政复议、行政诉讼情况) from :class:`Appeal` rows.

Counting rule (chosen here; the reference does not state one, see the report notes):

- a case decided in year Y is counted in Y under its result (结果维持 / 结果纠正 / 其他结果);
- a case filed on or before 31 Dec Y and not decided by 31 Dec Y is counted in Y as 尚未审结, and
  again in every following year-end it is still open, until the year it is decided
  (the same carry-forward logic as Section 3's 结转下年度继续办理);
- each 总计 is the sum of its four columns.
So a case filed in 2023 and decided in 2024 is 尚未审结 in the 2023 report and, e.g., 结果维持 in
the 2024 report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, QuerySet

from gongkai.core.report_compute import review_litigation_table
from gongkai.core.report_schema import get_template

from .models import Appeal, AppealKind, AppealOutcome


def appeals_queryset(agency_ids, year: int):
    """GROUP BY (kind, outcome) with the cases decided in ``year`` and those open at 31 Dec."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    decided = Q(decided_date__range=(start, end))
    pending = Q(filed_date__lte=end) & (Q(decided_date__isnull=True) | Q(decided_date__gt=end))
    return (
        Appeal.objects.filter(agency_id__in=agency_ids)
        .filter(decided | pending)
        .values("kind", "outcome")
        .annotate(n_decided=Count("pk", filter=decided), n_pending=Count("pk", filter=pending))
        .order_by()
    )


def counts_from_rows(rows) -> Counter:
    """``{(kind, outcome): n}`` from the rows of :func:`appeals_queryset`."""
    counts: Counter = Counter()
    for r in rows:
        n_decided, n_pending = int(r["n_decided"] or 0), int(r["n_pending"] or 0)
        if n_decided and r["outcome"] != AppealOutcome.PENDING:
            counts[(r["kind"], r["outcome"])] += n_decided
        if n_pending:
            counts[(r["kind"], AppealOutcome.PENDING.value)] += n_pending
    return counts


def appeal_group_counts(agency_ids, year: int) -> Counter:
    """GROUP BY (kind, outcome) for ``year``: ``{(kind, outcome): n}`` with outcome ``pending``
    for cases open at 31 Dec Y. ``agency_ids``: list or queryset of ids."""
    return counts_from_rows(appeals_queryset(agency_ids, year))


def section4(agency_ids, year: int, template_id: str = "2021") -> dict[str, dict[str, dict[str, int]]]:
    """``{"review_litigation": {"count": {column_key: n}}}`` with the schema's keys, totals filled."""
    ids = agency_ids if isinstance(agency_ids, QuerySet) else list(agency_ids)
    table = review_litigation_table(template_id, appeal_group_counts(ids, year))
    return {get_template(template_id).review_litigation.key: table}


# Every (kind, outcome) maps to a declared column: checked at import time.
_COLS = {c.key for c in get_template("2021").review_litigation.value_columns}
assert all(f"{k}_{o}" in _COLS for k in AppealKind.values for o in AppealOutcome.values)
