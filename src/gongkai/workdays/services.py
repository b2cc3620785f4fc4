"""Write paths for the official calendar (every change in a transaction).

Saving through these functions (or the admin) sends ``calendar_changed`` via model signals.
Bulk entry of a whole notice sends it once at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .calendar import invalidate
from .models import CalendarOverride, CalendarYear
from .signals import calendar_changed


def notify_calendar_changed(instance=None) -> None:
    """Invalidate the cache and send ``calendar_changed`` (for bulk edits that bypass signals)."""
    invalidate()
    calendar_changed.send(sender=CalendarOverride, instance=instance, deleted=False)


@transaction.atomic
def set_override(day: dt.date, is_workday: bool, name: str = "", source: str = "") -> CalendarOverride:
    obj, _ = CalendarOverride.objects.update_or_create(
        date=day, defaults={"is_workday": is_workday, "name": name, "source": source}
    )
    return obj


@transaction.atomic
def delete_override(day: dt.date) -> bool:
    obj = CalendarOverride.objects.filter(date=day).first()
    if obj is None:
        return False
    obj.delete()
    return True


@transaction.atomic
def enter_year_notice(
    year: int,
    holidays: Iterable[tuple[dt.date, dt.date, str]],
    makeup_workdays: Iterable[tuple[dt.date, str]] = (),
    *,
    notice_reference: str = "",
    notice_url: str = "",
    user=None,
    complete: bool = True,
) -> CalendarYear:
    """Enter one State Council holiday notice: holiday spans ``(first, last, name)`` (all days
    inclusive become rest days) and make-up working days ``(date, name)``; declare the year
    complete. Sends ``calendar_changed`` once."""
    rows: dict[dt.date, CalendarOverride] = {}
    for first, last, name in holidays:
        d = first
        while d <= last:
            rows[d] = CalendarOverride(date=d, is_workday=False, name=name, source=notice_reference)
            d += dt.timedelta(days=1)
    for d, name in makeup_workdays:
        rows[d] = CalendarOverride(date=d, is_workday=True, name=name or "调休上班", source=notice_reference)
    CalendarOverride.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["date"],
        update_fields=["is_workday", "name", "source"],
    )
    cy, _ = CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "complete": complete,
            "notice_reference": notice_reference,
            "notice_url": notice_url,
            "entered_by": user,
            "entered_at": timezone.now(),
        },
    )  # post_save on CalendarYear already notifies; bulk rows are covered by it
    return cy


def enter_notice_text(text: str, *, user=None, notice_url: str = "") -> tuple[CalendarYear, int]:
    """Parse a pasted State Council notice and enter it (one transaction); returns the year row
    and the number of open cases whose due date changed. Raises
    :class:`gongkai.core.holiday_notice.NoticeError` (Chinese message) and saves nothing when the
    text cannot be read."""
    from gongkai.applications.services.deadlines import rederive_open_cases
    from gongkai.core.holiday_notice import parse_notice

    from .calendar import get_calendar

    notice = parse_notice(text)
    title = f"国务院办公厅关于{notice.year}年部分节假日安排的通知"
    with transaction.atomic():
        cy = enter_year_notice(
            notice.year,
            [(s.first, s.last, s.name) for s in notice.holidays],
            notice.workdays,
            notice_reference=title,
            notice_url=notice_url,
            user=user,
        )
    # the receivers re-derive after the change too; this explicit pass reports the count
    changed = rederive_open_cases(calendar=get_calendar())
    return cy, changed
