"""Letter templates (文书模板) and generated documents (已生成文书) of disclosure applications.

- :class:`LetterTemplate`: ONE model for every kind of letter (答复告知书, 补正告知书, ...). A row with
  ``agency=None`` is the platform default of its kind (loaded by a data migration); an agency may
  override a kind for itself and its subtree. Resolution: the agency's own active template, then
  the nearest ancestor's, then the platform default (:meth:`LetterTemplateQuerySet.resolve`).
  Text fields use Django template syntax; the context is documented in
  :mod:`gongkai.letters.services` (``CONTEXT_DOC``).
- :class:`GeneratedDocument`: a rendered letter (DOCX + PDF + plain text + the context snapshot)
  stored with the case. Immutable once created: ``save()`` refuses updates, ``delete()`` refuses.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.files import RandomUploadTo


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("政府信息公开申请受理回执")
    CORRECTION = "correction", _("补正告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULTATION = "consultation", _("征求意见函")
    FEE_NOTICE = "fee_notice", _("收费通知书")
    EXPLANATION_REQUEST = "explanation_request", _("说明理由通知书")  # Art. 35
    DELAYED_ANSWER = "delayed_answer", _("延迟答复告知书")  # Art. 35
    REPLY = "reply", _("政府信息公开申请答复告知书")


class ImmutableDocumentError(Exception):
    pass


class LetterTemplateQuerySet(models.QuerySet):
    def defaults(self):
        return self.filter(agency__isnull=True)

    def resolve(self, agency, kind: str) -> LetterTemplate:
        """The template used for ``agency``: its own, else the nearest ancestor's, else the default.

        Raises ``LetterTemplate.DoesNotExist`` if not even a platform default exists.
        """
        candidates = list(
            self.filter(kind=kind, active=True)
            .filter(models.Q(agency__isnull=True) | models.Q(agency__in=_ancestor_ids(agency)))
            .select_related("agency")
        )
        if not candidates:
            raise LetterTemplate.DoesNotExist(f"no active letter template of kind {kind!r}")
        # deepest agency first (longest materialised path), the default (None) last
        candidates.sort(key=lambda t: -len(t.agency.path) if t.agency_id else 1)
        return candidates[0]


def _ancestor_ids(agency) -> list[int]:
    if agency is None:
        return []
    if agency.path:
        return [int(p) for p in agency.path.strip("/").split("/") if p]
    return [agency.pk]


class LetterTemplate(models.Model):
    """A letter template of one kind, for one agency (and its subtree) or the platform default."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("适用机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letter_templates",
        help_text=_("留空为平台默认模板；设置后对本机关及其下级机关生效。"),
    )
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    name = models.CharField(_("模板名称"), max_length=100, blank=True)
    title = models.CharField(
        _("标题"), max_length=200, help_text=_("可使用模板语法，如 {{ answer.key }} 条件。")
    )
    doc_number = models.CharField(_("文号"), max_length=200, blank=True, default="{{ tracking_number }}")
    addressee = models.CharField(_("主送（称谓）"), max_length=200, default="{{ applicant_name }}")
    body = models.TextField(
        _("正文"), help_text=_("Django 模板语法；段落之间空一行。可用变量见文书服务说明。")
    )
    notes = models.TextField(_("附注"), blank=True, help_text=_("每行一条，如联系人、联系电话。"))
    cc = models.CharField(_("抄送"), max_length=300, blank=True, help_text=_("多个单位用顿号或逗号分隔。"))
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="unique_letter_template_per_agency"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(agency__isnull=True),
                name="unique_default_letter_template",
            ),
        ]

    def __str__(self) -> str:
        owner = self.agency.name if self.agency_id else "平台默认"
        return f"{self.get_kind_display()}（{owner}）"

    def clean(self):
        from .services import compile_template

        errors = {}
        for f in ("title", "doc_number", "addressee", "body", "notes", "cc"):
            try:
                compile_template(getattr(self, f) or "")
            except Exception as exc:  # noqa: BLE001 - template syntax errors of any kind
                errors[f] = _("模板语法错误：%(err)s") % {"err": exc}
        if errors:
            raise ValidationError(errors)


class GeneratedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableDocumentError("generated documents are immutable")

    def delete(self):
        raise ImmutableDocumentError("generated documents are immutable")


def document_path(instance, filename: str) -> str:
    """Kept for old migrations; files are stored under random names (:class:`RandomUploadTo`)."""
    return f"letters/{instance.application.agency_id}/{instance.application_id}/{filename}"


class GeneratedDocument(models.Model):
    """A letter generated for one application: DOCX + PDF + text + context snapshot (immutable)."""

    # The app database role may not change or delete these rows (issued letters); see gongkai.ops.dbroles.
    db_frozen_rows = True

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("申请"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices, db_index=True)
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("所用模板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=200, blank=True)
    issue_date = models.DateField(_("成文日期"))
    outcome = models.CharField(_("办理结果"), max_length=40, blank=True)
    # Stored under random names (letters/ab/<uuid>.pdf); served only by views that check access.
    docx = models.FileField(_("Word 文件"), upload_to=RandomUploadTo("letters"), max_length=300)
    pdf = models.FileField(_("PDF 文件"), upload_to=RandomUploadTo("letters"), max_length=300)
    rendered_text = models.TextField(_("文书全文"))
    context = models.JSONField(_("生成时数据快照"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = GeneratedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("已生成文书")
        verbose_name_plural = _("已生成文书")
        ordering = ["application", "created_at", "pk"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number or self.application_id}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableDocumentError("generated documents are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError("generated documents are immutable")
