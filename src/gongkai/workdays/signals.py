"""``calendar_changed``: sent whenever the official calendar data change.

Sent (synchronously, inside the saving transaction) after any save/delete of a
:class:`~gongkai.workdays.models.CalendarOverride` or :class:`~gongkai.workdays.models.CalendarYear`,
and by :func:`gongkai.workdays.services.notify_calendar_changed` after bulk edits.
Keyword arguments: ``sender`` (the model class), ``instance`` (or ``None`` for bulk),
``deleted`` (bool). Receivers should call :func:`gongkai.workdays.get_calendar` to obtain the new
calendar — the applications app connects a receiver that re-derives the due date of every open
case.
"""

from __future__ import annotations

from django.dispatch import Signal

calendar_changed = Signal()
