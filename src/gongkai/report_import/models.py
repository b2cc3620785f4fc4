"""Imported published annual reports (已发布年度报告导入) and import batches (批量导入).

An :class:`ImportedReport` is one published report read by the parser
(``gongkai.core.report_parse``): its tables under the stable keys of ``report_schema``, its text
sections, the parts the parser could not find and the audit findings (审核发现的问题).
The file content's SHA-256 is unique, so importing the same file twice yields one report.

An :class:`ImportBatch` is a directory or a zip of report files; each file is one
:class:`ImportItem`. Items carry their own status, which is what makes a batch resumable: a
rerun processes only the items still pending, and each item is claimed under a row lock, so
several workers (or a rerun while old tasks are still queued) never process a file twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency


class ReportStatus(models.TextChoices):
    PASSED = "passed", _("未发现问题")
    FLAGGED = "flagged", _("存在问题")


class ImportedReport(models.Model):
    """A published annual report read back into the template's cells (已导入的年度报告)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("行政机关"), on_delete=models.PROTECT, related_name="imported_reports"
    )
    agency_name_printed = models.CharField(_("报告所署机关名称"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("报告年度"), db_index=True)
    template_id = models.CharField(_("报告格式"), max_length=4, blank=True)  # "2019" | "2021" | ""
    source_name = models.CharField(_("来源文件"), max_length=500)
    sha256 = models.CharField(_("内容SHA-256"), max_length=64, unique=True)
    # {"tables", "text_sections", "fees", "missing", "blank_cells"} as the parser returned them.
    parsed = models.JSONField(_("解析结果"), default=dict)
    findings = models.JSONField(_("审核发现"), default=list)
    finding_count = models.PositiveIntegerField(_("问题数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    missing_count = models.PositiveIntegerField(_("缺失部分数"), default=0)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PASSED
    )
    batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已导入年度报告")
        verbose_name_plural = _("已导入年度报告")
        ordering = ["agency__name", "-year", "-imported_at"]
        indexes = [models.Index(fields=["agency", "year"], name="ri_report_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告"

    @property
    def tables(self) -> dict:
        return self.parsed.get("tables") or {}

    @property
    def missing(self) -> list:
        return self.parsed.get("missing") or []


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    RUNNING = "running", _("处理中")
    INTERRUPTED = "interrupted", _("已中断")
    FINISHED = "finished", _("已完成")


class SourceKind(models.TextChoices):
    DIRECTORY = "directory", _("目录")
    ZIP = "zip", _("压缩包")


class ImportBatch(models.Model):
    """A batch of report files: a directory or a zip (批量导入)."""

    source = models.CharField(_("来源"), max_length=1000)
    source_kind = models.CharField(_("来源类型"), max_length=10, choices=SourceKind.choices)
    label = models.CharField(_("名称"), max_length=300, blank=True)
    # When set, every report in the batch is attributed to this agency (web upload for one agency).
    agency = models.ForeignKey(
        Agency, verbose_name=_("指定机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allow_create_agency = models.BooleanField(_("允许新建机关"), default=True)
    total = models.PositiveIntegerField(_("文件总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"批次{self.pk}：{self.label or self.source}"

    @property
    def processed(self) -> int:
        return self.done + self.failed


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class DuplicateChoice(models.TextChoices):
    REPLACE = "replace", _("替换此前导入的报告")
    KEEP = "keep", _("两份都保留")
    CANCEL = "cancel", _("取消本次导入")


class ImportItem(models.Model):
    """One file of a batch (批次中的一个文件)."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="items"
    )
    path = models.CharField(_("文件路径"), max_length=1000)  # relative to the directory / zip member name
    sha256 = models.CharField(_("内容SHA-256"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    error = models.TextField(_("错误信息"), blank=True)
    duplicate = models.BooleanField(_("重复文件"), default=False)
    report = models.ForeignKey(
        ImportedReport,
        verbose_name=_("导入的报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    worker = models.CharField(_("处理进程"), max_length=200, blank=True)
    # The user's choice for a report that repeats an earlier import (see ``duplicates``): who,
    # when, what, and which reports it kept or removed, in words.
    resolution = models.CharField(
        _("重复处理方式"), max_length=10, choices=DuplicateChoice.choices, blank=True
    )
    resolution_note = models.TextField(_("重复处理记录"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["batch", "path"], name="ri_item_unique_path")]
        indexes = [models.Index(fields=["batch", "status"], name="ri_item_batch_status")]

    def __str__(self) -> str:
        return self.path
