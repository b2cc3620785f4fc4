"""Editable pages of the disclosure column (政府信息公开专栏): the 政府信息公开指南 (Art. 12) and
the 政府信息公开制度 page of each agency. Versioned: every save is a new row, never edited; the
column shows the newest version with its date (“最后更新”)."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency


class PageKind(models.TextChoices):
    GUIDE = "guide", _("政府信息公开指南")
    SYSTEM = "system", _("政府信息公开制度")


class ColumnPageVersion(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="column_pages")
    kind = models.CharField(_("栏目"), max_length=20, choices=PageKind.choices)
    number = models.PositiveIntegerField(_("版本"))
    body = models.TextField(_("内容"))
    fax = models.CharField(_("传真"), max_length=50, blank=True)  # Art. 12 names fax; Agency has none
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("更新时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专栏页面版本")
        verbose_name_plural = _("专栏页面版本")
        ordering = ["agency", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "number"], name="unique_column_page_version")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_kind_display()} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("column page versions are never edited; save a new version")
        super().save(*args, **kwargs)

    @classmethod
    def latest(cls, agency, kind) -> ColumnPageVersion | None:
        return cls.objects.filter(agency=agency, kind=kind).order_by("-number").first()

    @classmethod
    def add(cls, agency, kind, body: str, *, user=None, note: str = "", fax: str = "") -> ColumnPageVersion:
        with transaction.atomic():
            Agency.objects.select_for_update().filter(pk=agency.pk).first()  # serialise numbering
            last = cls.objects.filter(agency=agency, kind=kind).aggregate(n=Max("number"))["n"] or 0
            return cls.objects.create(
                agency=agency, kind=kind, number=last + 1, body=body, note=note, fax=fax, created_by=user
            )
