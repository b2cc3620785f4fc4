"""Glue between applications and the working-day engine (gongkai.core.workdays).

The answer deadline (答复期限, Art. 33) is DERIVED from the clock inputs stored on the
application — received date (Art. 31), correction received date (Art. 30 restarts the clock),
pause intervals (Art. 33 ¶3: consultation time excluded; fee window, see below) and approved
extension days (≤ 20) — and cached in ``Application.due_date``. It is re-derived on every workflow
event and, for all open cases, whenever the calendar changes (``calendar_changed`` signal).

When a needed year has no official holiday notice yet, the provisional calendar (setting
``GONGKAI_PROVISIONAL_CALENDAR``, on by default) computes the date from the statutory holidays and
``due_date_provisional`` is set (shown as 暂定 everywhere); the date is re-derived the moment the
notice is entered. With the setting off (or out of range) the Chinese message of
:class:`~gongkai.core.workdays.CalendarNotCovered` goes to ``due_date_error`` and ``due_date`` is
cleared — never guessed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from contextlib import contextmanager

from django.db import transaction

from gongkai.core import deadlines as core_deadlines
from gongkai.core.deadlines import ClockInputs, Deadlines, Pause, PauseKind, compute_deadlines

from ..models import OPEN_STATES, Application

logger = logging.getLogger(__name__)

ANSWER_WORKDAYS = core_deadlines.ANSWER_WORKDAYS  # Art. 33 ¶2
MAX_EXTENSION_WORKDAYS = core_deadlines.MAX_EXTENSION_WORKDAYS  # Art. 33 ¶2
CORRECTION_NOTICE_WORKDAYS = core_deadlines.CORRECTION_NOTICE_WORKDAYS  # Art. 30
SOON_WORKDAYS = 3  # digest: due within this many working days


_local = threading.local()


@contextmanager
def using_calendar(calendar):
    """Within the block, :func:`get_calendar` returns ``calendar`` (one calendar per transition:
    inside a transaction the workdays app would rebuild it from the database on every call)."""
    previous = getattr(_local, "calendar", None)
    _local.calendar = calendar
    try:
        yield calendar
    finally:
        _local.calendar = previous


def get_calendar():
    """The current official calendar (H1's cached calendar with administrator overrides)."""
    pinned = getattr(_local, "calendar", None)
    if pinned is not None:
        return pinned
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


def fee_pauses_clock() -> bool:
    """Whether a fee notice stops the answer clock until payment (NOT confirmed, configurable).

    Setting ``GONGKAI_FEE_PAUSES_CLOCK``; default: ``gongkai.core.fees.FEE_NOTICE_PAUSES_CLOCK``.
    Read when the fee notice is issued: if off, no pause is recorded for it.
    """
    from django.conf import settings

    from gongkai.core import fees

    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", fees.FEE_NOTICE_PAUSES_CLOCK))


def pause_intervals(app: Application) -> list[tuple[dt.date, dt.date | None]]:
    """The stored pauses ``[[start, end|None], ...]`` as dates (every stored pause stops the clock)."""
    return [(_d(p[0]), _d(p[1]) if len(p) > 1 else None) for p in (app.pauses or [])]


def clock_inputs(app: Application) -> ClockInputs:
    return ClockInputs(
        received=app.received_date,
        correction_received=app.correction_received_on,
        extension_days=int(app.extension_days or 0),
        pauses=tuple(Pause(a, b, PauseKind.CONSULTATION) for a, b in pause_intervals(app)),
    )


def compute(app: Application, calendar=None) -> Deadlines:
    """H1's engine on the application's clock inputs (raises ``CalendarNotCovered``)."""
    cal = calendar if calendar is not None else get_calendar()
    return compute_deadlines(cal, clock_inputs(app))


def compute_due_date(app: Application, calendar=None) -> dt.date | None:
    """Binding answer deadline for the stored clock inputs; ``None`` while the clock is stopped
    (awaiting correction, or an open consultation / fee pause). Raises ``CalendarNotCovered``."""
    if app.state == "correction_requested":
        return None
    if app.delayed_due_date:  # Art. 35 reasonable delayed deadline replaces the Art. 33 one
        return app.delayed_due_date
    return compute(app, calendar).final_due


def working_days_left(app: Application, today: dt.date, calendar=None) -> int | None:
    """Working days left to the binding deadline (0 = due today, negative = overdue); ``None``
    while awaiting correction."""
    if app.state == "correction_requested":
        return None
    if app.delayed_due_date:
        cal = calendar if calendar is not None else get_calendar()
        d = app.delayed_due_date
        return cal.workdays_between(today, d) if d >= today else -cal.workdays_between(d, today)
    return compute(app, calendar).working_days_left(today)


def correction_notice_deadline(app: Application, calendar=None) -> dt.date:
    """Last day to send the one-time correction notice: 7 working days after receipt (Art. 30)."""
    cal = calendar if calendar is not None else get_calendar()
    return core_deadlines.correction_notice_due(cal, app.received_date)


def fee_pay_by(notice_received_on: dt.date, calendar=None) -> dt.date:
    """20 working days counted from the day after receipt of the fee notice (FM, secondary)."""
    cal = calendar if calendar is not None else get_calendar()
    return core_deadlines.fee_payment_due(cal, notice_received_on)


def add_workdays(start: dt.date, n: int, calendar=None) -> dt.date:
    cal = calendar if calendar is not None else get_calendar()
    return cal.add_workdays(start, n)


def derive(app: Application, calendar=None) -> tuple[dt.date | None, str, bool]:
    """``(due_date, due_date_error, due_date_provisional)`` for the current clock inputs."""
    if app.state not in OPEN_STATES:
        return app.due_date, app.due_date_error, app.due_date_provisional
    cal = calendar if calendar is not None else get_calendar()
    try:
        due = compute_due_date(app, cal)
    except core_deadlines.CalendarNotCovered as exc:
        return None, str(exc)[:200], False
    if due is None:  # clock stopped: nothing dated to mark
        return None, "", False
    return due, "", cal.provisional_between(app.received_date, due)


def _stored(app: Application) -> tuple[dt.date | None, str, bool]:
    return app.due_date, app.due_date_error, app.due_date_provisional


def rederive(app: Application, *, save: bool = True, calendar=None) -> Application:
    """Re-derive and cache the due date fields on ``app`` (saved if ``save``)."""
    derived = derive(app, calendar)
    changed = derived != _stored(app)
    app.due_date, app.due_date_error, app.due_date_provisional = derived
    if save and changed and app.pk:
        Application.objects.filter(pk=app.pk).update(
            due_date=derived[0], due_date_error=derived[1], due_date_provisional=derived[2]
        )
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
            "id",
            "state",
            "received_date",
            "correction_received_on",
            "pauses",
            "extension_days",
            "delayed_due_date",
            "due_date",
            "due_date_error",
            "due_date_provisional",
        ):
            derived = derive(app, cal)
            if derived != _stored(app):
                Application.objects.filter(pk=app.pk).update(
                    due_date=derived[0], due_date_error=derived[1], due_date_provisional=derived[2]
                )
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
