"""The append-only event trail shared by the smaller workflows (interpretations, consultations,
Art. 44 proposals): who, when, from, to, why — never edited. Each concrete model adds the
foreign key to what it records and ``db_frozen_rows = True`` (read from the class itself by
``gongkai.ops.dbroles``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrailEvent(models.Model):
    action = models.CharField(max_length=30)
    label = models.CharField(max_length=100)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("events are append-only")
        super().save(*args, **kwargs)


def append(
    model, owner: dict, action: str, label: str, before: str, after: str, actor=None, reason="", data=None
):
    """Append one event of ``model`` (``owner``: the foreign key, e.g. ``{"consultation": c}``)."""
    return model.objects.create(
        **owner,
        action=action,
        label=label,
        from_state=before,
        to_state=after,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        reason=reason or "",
        data=data or {},
    )
