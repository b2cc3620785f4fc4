"""Government information records (政府信息记录) and what they hang on.

- :class:`Topic`: the configurable topic taxonomy (主题分类), default close to the State Council
  policy library's list (data migration ``0002``).
- :class:`IssuerCode`: an agency's issuer code (索引号 prefix, e.g. its organisation or unified
  social credit code); when absent the agency's id, zero-padded to 9 digits, is used.
- :class:`IndexCounter`: per (agency, year) serial of 索引号, allocated gap-free and race-free.
- :class:`Record`: one disclosed item (规章, 行政规范性文件, other policy documents and the other
  Art. 20/21 categories) with the metadata government sites print, its lifecycle state and its
  Art. 26 clock. State changes go through ``records.services.lifecycle.transition`` only.
- :class:`RecordAttachment`: files (DOCX/PDF/images) with their extracted text for search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc
from gongkai.files import RandomUploadTo


class Topic(models.Model):
    """主题分类: a two-level taxonomy (top-level topics, optional sub-topics)."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name}／{self.name}" if self.parent_id else self.name


class IssuerCode(models.Model):
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="issuer_code")
    code = models.CharField(_("索引号机关代码"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("索引号机关代码")
        verbose_name_plural = _("索引号机关代码")

    def __str__(self) -> str:
        return f"{self.agency} {self.code}"


class IndexCounter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_record_index_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_serial}"


class Record(models.Model):
    """政府信息记录. Field names are shared with helpers building search, the column and
    interpretations on top of this model: keep them stable."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="records"
    )
    joint_agencies = models.ManyToManyField(
        Agency, verbose_name=_("联合发文机关"), blank=True, related_name="joint_records"
    )
    category = models.CharField(_("信息类别"), max_length=20, choices=lc.CATEGORY_CHOICES, default=lc.POLICY)
    title = models.CharField(_("标题"), max_length=500)
    doc_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    index_number = models.CharField(_("索引号"), max_length=100, blank=True, editable=False)
    index_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    index_serial = models.PositiveIntegerField(null=True, blank=True, editable=False)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    formed_on = models.DateField(
        _("形成或变更日期"),
        null=True,
        blank=True,
        help_text=_("条例第二十六条期限的起算日；默认等于成文日期"),
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    doc_type = models.CharField(_("文种"), max_length=20, choices=lc.DOC_TYPE_CHOICES, blank=True)
    keywords = models.CharField(_("主题词"), max_length=300, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    art_item = models.CharField(_("条例条项"), max_length=10, choices=lc.ART_ITEM_CHOICES, blank=True)
    disclosure_mode = models.CharField(
        _("公开方式"), max_length=20, choices=lc.DISCLOSURE_MODE_CHOICES, default="website"
    )
    disclosure_attribute = models.CharField(
        _("公开属性"), max_length=20, choices=lc.ATTRIBUTE_CHOICES, blank=True
    )
    attribute_reason = models.TextField(_("公开属性理由"), blank=True)
    attribute_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    validity = models.CharField(_("有效性"), max_length=20, choices=lc.VALIDITY_CHOICES, default=lc.IN_FORCE)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    validity_changed_on = models.DateField(_("修改、废止或失效日期"), null=True, blank=True)
    body = models.TextField(_("正文"), blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=lc.STATE_CHOICES, default=lc.DRAFT, db_index=True, editable=False
    )
    # 联审 checklist (recorded at review)
    secrecy_reviewed = models.BooleanField(_("已保密审查"), default=False)
    consultation_held = models.BooleanField(_("已征求意见"), default=False)
    consultation_note = models.TextField(_("未征求意见的理由"), blank=True)
    interpretation_ready = models.BooleanField(_("政策解读已同步准备"), default=False)
    interpretation_note = models.TextField(_("未同步解读的理由"), blank=True)
    # Art. 26 clock, derived (records.services.clock)
    publish_due = models.DateField(_("公开期限"), null=True, blank=True, editable=False)
    publish_due_error = models.CharField(max_length=200, blank=True, editable=False)
    # Art. 18 re-assessment of withheld records; periodic clean-up
    next_reassessment_on = models.DateField(_("下次复核日期"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近清理日期"), null=True, blank=True)
    needs_amendment = models.BooleanField(_("清理结论为需修改"), default=False)
    # import-documents: where the record came from (re-imports update instead of duplicating)
    source_key = models.CharField(_("导入来源标识"), max_length=300, blank=True, editable=False)
    source_url = models.URLField(_("原文网址"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息记录")
        verbose_name_plural = _("政府信息记录")
        ordering = ["-published_on", "-written_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"], condition=~Q(index_number=""), name="unique_record_index_number"
            ),
            models.UniqueConstraint(
                fields=["agency", "source_key"], condition=~Q(source_key=""), name="unique_record_source"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["agency", "category", "written_on"]),
            models.Index(fields=["state", "publish_due"]),
            models.Index(fields=["agency", "-published_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    @property
    def state_label(self) -> str:
        return lc.STATE_LABELS.get(self.state, self.state)

    @property
    def clock_start(self):
        """Art. 26: the day the information was formed or changed."""
        return self.formed_on or self.written_on

    @property
    def is_disclosed(self) -> bool:
        return self.state in lc.DISCLOSED_STATES

    def as_mapping(self) -> dict:
        """The record's field values for the pure lifecycle checks."""
        return {
            f.attname if f.is_relation else f.name: getattr(self, f.attname)
            for f in self._meta.concrete_fields
        } | {"id": self.pk}


def attachment_path(instance, filename):
    """Kept for old migrations; files are stored under random names (:class:`RandomUploadTo`)."""
    return f"records/{instance.record.agency_id}/{instance.record_id}/{filename}"


class RecordAttachment(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attachments")
    # Stored under a random name (records/ab/<uuid>.pdf); served only by the column's view.
    file = models.FileField(_("文件"), upload_to=RandomUploadTo("records"), max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    text = models.TextField(_("提取的文字"), blank=True)
    text_error = models.CharField(_("文字提取说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
