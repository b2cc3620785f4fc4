"""The Art. 26 clock (第二十六条): proactive information is published within 20 working days of
being formed or changed, counted by the working-day engine.

``publish_due`` is DERIVED from ``formed_on`` (else ``written_on``) and cached on the record; it is
re-derived on every save through the write paths and, for unpublished records, whenever the
official calendar changes. A year the calendar does not cover leaves ``publish_due`` empty and the
Chinese message in ``publish_due_error`` — never a guess.
Settings: ``GONGKAI_RECORD_PUBLISH_WORKDAYS`` (20), ``GONGKAI_RECORD_DUE_SOON_WORKDAYS`` (5).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q

from gongkai.core import record_lifecycle as lc
from gongkai.core.workdays import CalendarNotCovered

from ..models import Record

logger = logging.getLogger(__name__)


def publish_workdays() -> int:
    return int(getattr(settings, "GONGKAI_RECORD_PUBLISH_WORKDAYS", lc.PUBLISH_WORKDAYS))


def soon_workdays() -> int:
    return int(getattr(settings, "GONGKAI_RECORD_DUE_SOON_WORKDAYS", 5))


def get_calendar():
    from gongkai.workdays import get_calendar as _get

    return _get()


def applies(record: Record) -> bool:
    """The clock runs for information that is (or may still be) proactively disclosed."""
    return record.disclosure_attribute in ("", lc.PROACTIVE) and record.clock_start is not None


def derive(record: Record, calendar=None) -> None:
    """Set ``publish_due`` / ``publish_due_error`` on ``record`` (not saved)."""
    record.publish_due, record.publish_due_error = None, ""
    if not applies(record):
        return
    try:
        record.publish_due = lc.publish_due(
            calendar or get_calendar(), record.clock_start, publish_workdays()
        )
    except CalendarNotCovered as exc:
        record.publish_due_error = str(exc)[:200]


def status(record: Record, today: dt.date | None = None, calendar=None) -> str:
    """``published`` · ``published_late`` · ``overdue`` · ``due_soon`` · ``running`` · ``unknown`` ·
    ``""`` (the clock does not apply)."""
    if not applies(record) and record.publish_due is None:
        return ""
    from django.utils import timezone

    today = today or timezone.localdate()
    published = record.published_on if record.state in lc.DISCLOSED_STATES else None
    left = None
    if published is None and record.publish_due is not None and record.publish_due >= today:
        left = working_days_left(record.publish_due, today, calendar)
    return lc.clock_status(
        record.publish_due, today, published_on=published, days_left=left, soon=soon_workdays()
    )


def working_days_left(due: dt.date, today: dt.date, calendar=None) -> int | None:
    try:
        return (calendar or get_calendar()).workdays_between(today, due)
    except CalendarNotCovered:
        return None


def unpublished_clock_q() -> Q:
    """Records whose Art. 26 clock is running (not yet published, proactive or undecided)."""
    return Q(state__in=lc.UNPUBLISHED_STATES, disclosure_attribute__in=("", lc.PROACTIVE))


def due_soon_q(today: dt.date, calendar=None) -> Q:
    """Running clocks due within the due-soon window (calendar days bound computed by workdays)."""
    cal = calendar or get_calendar()
    try:
        horizon = cal.add_workdays(today, soon_workdays())
    except CalendarNotCovered:
        horizon = today + dt.timedelta(days=soon_workdays() * 2)
    return unpublished_clock_q() & Q(publish_due__gte=today, publish_due__lte=horizon)


def overdue_q(today: dt.date) -> Q:
    return unpublished_clock_q() & Q(publish_due__lt=today)


def rederive_all(calendar=None) -> int:
    """Re-derive the due date of every record whose clock is running (calendar changed)."""
    cal = calendar or get_calendar()
    changed = []
    for rec in Record.objects.filter(unpublished_clock_q()).only(
        "pk", "formed_on", "written_on", "disclosure_attribute", "publish_due", "publish_due_error"
    ):
        before = (rec.publish_due, rec.publish_due_error)
        derive(rec, cal)
        if (rec.publish_due, rec.publish_due_error) != before:
            changed.append(rec)
    Record.objects.bulk_update(changed, ["publish_due", "publish_due_error"], batch_size=1000)
    return len(changed)


def _on_calendar_changed(sender, **kwargs) -> None:
    from django.db import transaction

    def run():
        from gongkai.workdays import get_calendar as _get

        rederive_all(_get())

    transaction.on_commit(run)


def connect_signals() -> None:
    from gongkai.workdays.signals import calendar_changed

    calendar_changed.connect(_on_calendar_changed, dispatch_uid="records_rederive_publish_due")


def supervision_rows(agencies, today: dt.date, calendar=None) -> list[dict]:
    """Per agency (in the given order), records whose Art. 26 clock is overdue or due soon — for
    the supervision dashboard; only agencies with at least one."""
    from django.db.models import Count

    ids = [a.pk for a in agencies]
    overdue = dict(
        Record.objects.filter(overdue_q(today), agency_id__in=ids)
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    soon = dict(
        Record.objects.filter(due_soon_q(today, calendar), agency_id__in=ids)
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {"agency": a, "overdue": overdue.get(a.pk, 0), "due_soon": soon.get(a.pk, 0)}
        for a in agencies
        if overdue.get(a.pk) or soon.get(a.pk)
    ]
