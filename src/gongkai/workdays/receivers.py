"""Model signal receivers: invalidate the calendar cache and announce the change."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .calendar import invalidate
from .models import CalendarOverride, CalendarYear
from .signals import calendar_changed


def _changed(sender, instance, deleted: bool) -> None:
    invalidate()
    calendar_changed.send(sender=sender, instance=instance, deleted=deleted)


def _on_save(sender, instance, **kwargs):
    _changed(sender, instance, False)


def _on_delete(sender, instance, **kwargs):
    _changed(sender, instance, True)


def connect() -> None:
    for model in (CalendarOverride, CalendarYear):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"gongkai.workdays.save.{model.__name__}")
        post_delete.connect(
            _on_delete, sender=model, dispatch_uid=f"gongkai.workdays.delete.{model.__name__}"
        )
