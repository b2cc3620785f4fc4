"""Report facts from the database: Section 3 as ONE GROUP BY, the fee line, and the gathering of
Sections 2–4 for a set of agencies.

Section 3 predicates (report year Y, period Y-01-01 … Y-12-31; the same as
``core.report_compute``)::

    new_received      received_date BETWEEN start AND end
    carried_in        received_date <  start AND (closed_on IS NULL OR closed_on >= start)
    <outcome row>     closed_on BETWEEN start AND end              (grouped by outcome)
    carried_out       received_date <= end AND (closed_on IS NULL OR closed_on >  end)

All four are filtered aggregates of one ``GROUP BY applicant_type, outcome`` query; rows that
cannot count in Y (received after Y, or closed before Y) are excluded by the WHERE clause.
A case closed in Y with no outcome recorded (e.g. withdrawn, 撤回) is counted under the template's
last result row (（六）其他处理 / 3.其他).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gongkai.applications.models import Application, FeeNotice
from gongkai.core.report_data import FeeLine
from gongkai.core.report_schema import Template, get_template


def fallback_outcome(template: Template) -> str:
    """Row for a case closed without an outcome: the last leaf result row (其他处理 / 其他)."""
    return template.result_rows[-1].key


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def application_groups(agency_ids, year: int) -> list[dict]:
    """The GROUP BY: one dict per (applicant_type, outcome) with n_new, n_in, n_result, n_out.

    ``agency_ids`` may be a list or a queryset of ids (a subquery)."""
    start, end = _bounds(year)
    open_after_end = Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    return list(
        Application.objects.filter(agency_id__in=agency_ids, received_date__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("applicant_type", "outcome")
        .annotate(
            n_new=Count("pk", filter=Q(received_date__gte=start)),
            n_in=Count("pk", filter=Q(received_date__lt=start)),
            n_result=Count("pk", filter=Q(closed_on__lte=end)),
            n_out=Count("pk", filter=open_after_end),
        )
        .order_by()
    )


def section3_counts(agency_ids, year: int, template_id: str) -> Counter:
    """Leaf cell counts ``{(row_key, applicant_column): n}`` for ``core.report_compute``."""
    t = get_template(template_id)
    flow = t.application_flow
    other = fallback_outcome(t)
    counts: Counter = Counter()
    for g in application_groups(agency_ids, year):
        col = g["applicant_type"]
        if g["n_new"]:
            counts[(flow.new_received, col)] += g["n_new"]
        if g["n_in"]:
            counts[(flow.carried_in, col)] += g["n_in"]
        if g["n_out"]:
            counts[(flow.carried_out, col)] += g["n_out"]
        if g["n_result"]:
            counts[(g["outcome"] or other, col)] += g["n_result"]
    return counts


def fee_line(agency_ids, year: int) -> FeeLine:
    """收取信息处理费情况 of year Y: notices issued in Y (waived ones count as issued with amount
    0), the amount they notified, and the amount actually collected (paid in Y)."""
    start, end = _bounds(year)
    base = FeeNotice.objects.filter(application__agency_id__in=agency_ids)
    issued = base.filter(issued_on__range=(start, end)).aggregate(
        n=Count("pk"), amount=Sum("amount", filter=Q(waived=False))
    )
    paid = base.filter(paid_on__range=(start, end)).aggregate(amount=Sum("paid_amount"))
    return FeeLine(
        notices_issued=issued["n"] or 0,
        amount_notified=issued["amount"] or Decimal(0),
        amount_collected=paid["amount"] or Decimal(0),
    )
