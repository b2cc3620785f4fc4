"""The record event log (办理记录): every transition and edit, append-only.

``save()`` refuses updates, ``delete()`` refuses, and on PostgreSQL a trigger refuses UPDATE and
DELETE at the database level too (migration ``0003``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .record import Record


class ImmutableEventError(Exception):
    pass


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("record events are append-only")

    def delete(self):
        raise ImmutableEventError("record events are append-only")


class RecordEvent(models.Model):
    # The app database role may not change or delete these rows (append-only event trail); see gongkai.ops.dbroles.
    db_frozen_rows = True

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("操作"), max_length=40)
    label = models.CharField(_("操作名称"), max_length=60, blank=True)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(_("操作人说明"), max_length=100, blank=True)
    role = models.CharField(_("操作角色"), max_length=20, blank=True)
    at = models.DateTimeField(_("操作时间"))
    effective_date = models.DateField(_("事件日期"), null=True, blank=True)
    reason = models.TextField(_("理由或说明"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("记录办理日志")
        verbose_name_plural = _("记录办理日志")
        ordering = ["record", "seq"]
        constraints = [models.UniqueConstraint(fields=["record", "seq"], name="unique_record_event_seq")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableEventError("record events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("record events are append-only")

    def __str__(self) -> str:
        return f"{self.record_id}#{self.seq} {self.action}"
