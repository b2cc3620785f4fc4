"""Annual reports (政府信息公开工作年度报告) produced on the platform, with immutable versions.

- :class:`AnnualReport`: one report of one agency for one year, either for the agency alone
  (``single``) or for its whole subtree (``subtree``, 本行政区域 — a local government's report
  covering its departments and lower governments).
- :class:`ReportVersion`: the data (``core.report_data.ReportData.to_dict()``: tables, narrative
  sections 1/5/6, fee line), the validation findings and the publication record. A version is a
  draft until published; once published it never changes (``save()``/``delete()`` refuse and a
  correction is a new version with a change note).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency


class FrozenVersionError(Exception):
    """A published report version cannot be changed or deleted."""


class Scope(models.TextChoices):
    SINGLE = "single", _("本机关")
    SUBTREE = "subtree", _("本行政区域（含下级机关）")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("报告机关"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    template_id = models.CharField(
        _("报告格式"), max_length=4, choices=[("2019", "2019年版"), ("2021", "2021年版")]
    )
    scope = models.CharField(_("统计范围"), max_length=10, choices=Scope.choices, default=Scope.SINGLE)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    current_version = models.ForeignKey(
        "ReportVersion",
        verbose_name=_("现行发布版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "scope"], name="unique_annual_report")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年政府信息公开工作年度报告"

    @property
    def title(self) -> str:
        from gongkai.core.report_render.layout import report_title_parts

        return "".join(report_title_parts(self.agency.name, self.year, self.scope == Scope.SUBTREE))

    def statutory_deadline(self) -> dt.date:
        """Art. 49: departments by 31 January, local governments by 31 March of the next year."""
        return statutory_deadline(self.agency, self.year)

    @property
    def draft(self) -> ReportVersion | None:
        return self.versions.filter(published_at__isnull=True).order_by("-number").first()

    @property
    def published_versions(self):
        return self.versions.filter(published_at__isnull=False).order_by("number")


def statutory_deadline(agency: Agency, year: int) -> dt.date:
    return dt.date(year + 1, 3, 31) if agency.is_local_government else dt.date(year + 1, 1, 31)


class VersionQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse to touch published versions (drafts are free)."""

    def update(self, **kwargs):
        if self.filter(published_at__isnull=False).exists():
            raise FrozenVersionError("已发布的年度报告版本不能修改，请发布更正版本。")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(published_at__isnull=False).exists():
            raise FrozenVersionError("已发布的年度报告版本不能删除。")
        return super().delete()


class ReportVersion(models.Model):
    # The app database role may not change or delete these rows (once published); see gongkai.ops.dbroles.
    db_frozen_rows = "published_at IS NOT NULL"

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("年度报告"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    data = models.JSONField(_("报告数据"), default=dict)
    findings = models.JSONField(_("校验结果"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    warning_count = models.PositiveIntegerField(_("提示数"), default=0)
    computed_at = models.DateTimeField(_("数据计算时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    override_reason = models.TextField(_("带错发布理由"), blank=True)
    change_note = models.TextField(_("更正说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def save(self, *args, **kwargs):
        if (
            self.pk is not None
            and ReportVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise FrozenVersionError("已发布的年度报告版本不能修改，请发布更正版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published_at is not None:
            raise FrozenVersionError("已发布的年度报告版本不能删除。")
        return super().delete(*args, **kwargs)


class ReportRendition(models.Model):
    """A published version rendered once (页面、HTML、PDF、DOCX、CSV、JSON), served as stored.

    A published version never changes, so neither do its renditions: they are written once
    (append-only) and keyed by ``revision``, the renderer's revision
    (:data:`gongkai.annual_reports.services.renditions.REVISION`); a new revision renders again.
    """

    db_frozen_rows = True

    version = models.ForeignKey(
        ReportVersion, verbose_name=_("年度报告版本"), on_delete=models.PROTECT, related_name="renditions"
    )
    fmt = models.CharField(_("格式"), max_length=10)
    revision = models.CharField(_("渲染版本"), max_length=20)
    content = models.BinaryField(_("内容"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度报告渲染结果")
        verbose_name_plural = _("年度报告渲染结果")
        constraints = [
            models.UniqueConstraint(fields=["version", "fmt", "revision"], name="unique_report_rendition")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.fmt}"
