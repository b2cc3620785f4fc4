"""The application event log (办理记录): the audit log and the case timeline in one.

Every state change and every clock event appends one row. Rows are never edited or deleted:
``save()`` refuses updates, ``delete()`` refuses, and on PostgreSQL a trigger refuses UPDATE and
DELETE at the database level too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class ImmutableEventError(Exception):
    pass


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("application events are append-only")

    def delete(self):
        raise ImmutableEventError("application events are append-only")


class ApplicationEvent(models.Model):
    # The app database role may not change or delete these rows (append-only event trail); see gongkai.ops.dbroles.
    db_frozen_rows = True

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(_("操作人说明"), max_length=100, blank=True)  # 申请人 / 系统 when no user
    at = models.DateTimeField(_("操作时间"))
    effective_date = models.DateField(_("事件日期"), null=True, blank=True)  # legally relevant date (clock)
    reason = models.TextField(_("理由或说明"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["application", "seq"]
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="unique_event_seq")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableEventError("application events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("application events are append-only")

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq} {self.action}"
