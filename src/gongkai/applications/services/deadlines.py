"""Glue between applications and the working-day engine (gongkai.core.workdays).

The answer deadline (答复期限, Art. 33) is DERIVED from the clock inputs stored on the
application — received date (Art. 31), correction received date (Art. 30 restarts the clock),
pause intervals (Art. 33 ¶3: consultation time excluded; fee window, see below) and approved
extension days (≤ 20) — and cached in ``Application.due_date``. It is re-derived on every workflow
event and, for all open cases, whenever the calendar changes (``calendar_changed`` signal).

When the calendar does not cover a needed year the Chinese message of
:class:`~gongkai.core.workdays.CalendarNotCovered` goes to ``due_date_error`` and ``due_date`` is
cleared — never guessed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from ..models import OPEN_STATES, Application

logger = logging.getLogger(__name__)

ANSWER_WORKDAYS = 20  # Art. 33 ¶2
MAX_EXTENSION_WORKDAYS = 20  # Art. 33 ¶2
CORRECTION_NOTICE_WORKDAYS = 7  # Art. 30
FEE_PAYMENT_WORKDAYS = 20  # Fee Measures (secondary sources): from the day after receipt of the notice
SOON_WORKDAYS = 3  # digest: due within this many working days


def get_calendar():
    """The current official calendar (H1's cached calendar with administrator overrides)."""
    try:
        from gongkai.workdays import get_calendar as _get
    except ImportError:  # the workdays app without its service yet: package data only
        from gongkai.core.workdays import WorkCalendar

        return WorkCalendar()
    return _get()


def _d(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def clock_start(app: Application) -> dt.date:
    """Start of the 20-working-day answer period: receipt, or receipt of the correction (Art. 30)."""
    return app.correction_received_on or app.received_date


def pause_intervals(app: Application) -> list[tuple[dt.date, dt.date | None]]:
    return [(_d(p[0]), _d(p[1]) if len(p) > 1 else None) for p in (app.pauses or [])]


def compute_due_date(app: Application, calendar=None) -> dt.date | None:
    """Answer deadline for the stored clock inputs; ``None`` while the clock is stopped.

    Counting: the start day itself never counts (the n-th working day strictly after it). Inside a
    pause ``[a, b]`` the working days ``a < d <= b`` do not count (the day the consultation letter
    is sent counts as an ordinary day; the day the opinion is received is excluded). An open pause
    (no end) means the clock is stopped: no due date until it resumes. Raises
    ``CalendarNotCovered``.
    """
    cal = calendar if calendar is not None else get_calendar()
    if app.state == "correction_requested":
        return None
    start = clock_start(app)
    pauses = [(a, b) for a, b in pause_intervals(app) if b is None or b > start]
    if any(b is None for _a, b in pauses):
        return None
    total = ANSWER_WORKDAYS + int(app.extension_days or 0)
    due = cal.add_workdays(start, total)
    # Shift by the working days excluded by each pause that begins before the running deadline.
    for a, b in sorted(pauses):
        lo = max(a, start)
        if lo >= due:
            continue
        excluded = cal.workdays_between(lo, b)
        if excluded > 0:
            due = cal.add_workdays(due, excluded)
    return due


def correction_notice_deadline(app: Application, calendar=None) -> dt.date:
    """Last day to send the one-time correction notice: 7 working days after receipt (Art. 30)."""
    cal = calendar if calendar is not None else get_calendar()
    return cal.add_workdays(app.received_date, CORRECTION_NOTICE_WORKDAYS)


def fee_pay_by(issued_on: dt.date, calendar=None) -> dt.date:
    """20 working days counted from the day after receipt of the fee notice (FM, secondary)."""
    cal = calendar if calendar is not None else get_calendar()
    return cal.add_workdays(issued_on, FEE_PAYMENT_WORKDAYS)


def derive(app: Application, calendar=None) -> tuple[dt.date | None, str]:
    """``(due_date, due_date_error)`` for the application's current clock inputs."""
    from gongkai.core.workdays import CalendarNotCovered

    if app.state not in OPEN_STATES:
        return app.due_date, app.due_date_error
    try:
        return compute_due_date(app, calendar), ""
    except CalendarNotCovered as exc:
        return None, str(exc)[:200]


def rederive(app: Application, *, save: bool = True, calendar=None) -> Application:
    """Re-derive and cache ``due_date``/``due_date_error`` on ``app`` (saved if ``save``)."""
    due, err = derive(app, calendar)
    changed = (due, err) != (app.due_date, app.due_date_error)
    app.due_date, app.due_date_error = due, err
    if save and changed and app.pk:
        Application.objects.filter(pk=app.pk).update(due_date=due, due_date_error=err)
    return app


def rederive_open_cases(agency_ids=None, calendar=None) -> int:
    """Re-derive every open case (after a calendar change); returns the number of rows changed."""
    cal = calendar if calendar is not None else get_calendar()
    qs = Application.objects.filter(state__in=OPEN_STATES)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    changed = 0
    with transaction.atomic():
        for app in qs.select_for_update().only(
            "id", "state", "received_date", "correction_received_on", "pauses", "extension_days", "due_date",
            "due_date_error",
        ):
            due, err = derive(app, cal)
            if (due, err) != (app.due_date, app.due_date_error):
                Application.objects.filter(pk=app.pk).update(due_date=due, due_date_error=err)
                changed += 1
    logger.info("re-derived due dates of open applications after calendar change: %d changed", changed)
    return changed


def on_calendar_changed(sender=None, **kwargs):
    """Receiver of ``gongkai.workdays.calendar_changed``."""
    rederive_open_cases()


def connect_signals() -> None:
    try:
        from gongkai.workdays import calendar_changed
    except ImportError:
        logger.warning("gongkai.workdays.calendar_changed not available; due dates re-derived on events only")
        return
    calendar_changed.connect(on_calendar_changed, dispatch_uid="gongkai.applications.rederive_due_dates")
