"""Art. 44 (条例第四十四条): information that several applicants request is turned into proactive
disclosure. A :class:`Proposal` groups applications asking for the same information (by text
similarity, within one agency or across a region) once they come from enough different
applicants; the agency decides once — publish (a record is drafted) or not, with a reason — and
each step is a :class:`ProposalEvent` (append-only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.trail import TrailEvent

PROPOSED = "proposed"
PUBLISH = "publish"
DECLINE = "decline"
STATE_CHOICES = [(PROPOSED, "待决定"), (PUBLISH, "决定主动公开"), (DECLINE, "决定不主动公开")]
SCOPE_CHOICES = [("agency", "本机关"), ("region", "本地区")]


class Proposal(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("建议对象机关"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(_("范围"), max_length=10, choices=SCOPE_CHOICES, default="agency")
    title = models.CharField(_("所涉信息"), max_length=300)
    terms = models.CharField(_("共同词语"), max_length=300, blank=True)
    applications = models.ManyToManyField("applications.Application", related_name="frequent_proposals")
    applicant_count = models.PositiveIntegerField(_("不同申请人数"))
    state = models.CharField(_("决定"), max_length=20, choices=STATE_CHOICES, default=PROPOSED)
    reason = models.TextField(_("决定理由"), blank=True)
    record = models.ForeignKey(
        "records.Record",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("公开的记录"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转主动公开建议")
        verbose_name_plural = _("转主动公开建议")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ProposalEvent(TrailEvent):
    # The app database role may not change or delete these rows (append-only event trail).
    db_frozen_rows = True

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")

    class Meta(TrailEvent.Meta):
        pass
