"""Working days left on an application's answer deadline (via the working-day engine)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from gongkai.applications.models import OPEN_STATES, PAUSED_STATES
from gongkai.applications.services.deadlines import get_calendar
from gongkai.core.workdays import CalendarNotCovered

SOON_WORKDAYS = 3  # rows due within this many working days are highlighted


def today() -> dt.date:
    """The local date the queue and the clock count from (one place, so tests can pin it)."""
    return timezone.localdate()


@dataclass(frozen=True)
class Clock:
    left: int | None  # working days in (today, due]; negative when overdue; None when unknown
    overdue: bool
    due_soon: bool
    paused: bool
    note: str  # Chinese explanation when ``left`` is None

    @property
    def overdue_days(self) -> int:
        return -self.left if (self.overdue and self.left is not None) else 0

    @property
    def overdue_label(self) -> str:
        """「超期 N 个工作日」; 「已超期」 when the deadline has passed but no working day since."""
        n = self.overdue_days
        return f"超期 {n} 个工作日" if n > 0 else "已超期（期限已届满）"

    @property
    def css(self) -> str:
        return "overdue" if self.overdue else ("due-soon" if self.due_soon else "")


def clock_for(app, on: dt.date | None = None, calendar=None) -> Clock:
    """The clock of ``app`` as seen on day ``on`` (default: :func:`today`)."""
    today = on or globals()["today"]()
    if app.state not in OPEN_STATES:
        return Clock(None, False, False, False, "已办结")
    if app.state in PAUSED_STATES:
        return Clock(None, False, False, True, "暂停计时")
    if app.due_date is None:
        if app.state == "correction_requested":
            return Clock(None, False, False, True, "待补正，期限自收到补正之日起重新计算")
        return Clock(None, False, False, False, app.due_date_error or "期限待计算")
    cal = calendar if calendar is not None else get_calendar()
    overdue = app.due_date < today
    try:
        left = cal.workdays_between(today, app.due_date)
    except CalendarNotCovered as exc:
        return Clock(None, overdue, False, False, str(exc))
    return Clock(left, overdue, (not overdue) and left <= SOON_WORKDAYS, False, "")
