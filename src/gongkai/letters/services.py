"""Letter services: build the template context of a case, render, store DOCX + PDF.

Public API:

- ``generate_document(application, kind, actor, extra=None) -> GeneratedDocument``: render the
  agency's template of ``kind`` (falling back to the nearest ancestor's, then the platform
  default) and store DOCX + PDF + text + context snapshot with the case. Raises
  :class:`LetterError` (Chinese ``errors``) when facts the letter needs are missing and
  ``PermissionDenied`` when ``actor`` holds no acting role in the application's agency.
  ``actor=None`` means the system (e.g. an automatic receipt).
- ``build_context(application, kind, *, extra=None, issue_date=None) -> dict`` (see CONTEXT_DOC).
- ``preview_letter(application, kind, extra=None) -> Letter`` (nothing stored),
  ``render_letter(template, context) -> Letter``, ``compile_template(text)``.

``extra`` keys understood (all optional unless the kind needs them):

=========================== =====================================================================
issue_date                  成文日期 (default: today, Asia/Shanghai)
outcome                     answer key overriding ``application.outcome`` (e.g. preview of a draft)
answer_fields               facts of the decision sentence (``core.answers`` slots)
answer_variant              variant key (e.g. ``not_responsible_known``)
answer_extra_paragraphs     list of extra paragraphs after the decision
correction_matters          [str] 需要补正的事项 (correction: required)
correction_deadline         date 补正期限, or ``correction_period_workdays`` (int) counted from issue
correction_guidance         str 指导和释明
explanation_deadline        date (explanation_request: required, Art. 35); explanation_detail (str)
delay_new_due               date (delayed_answer: required, Art. 35); delay_reason (str)
extension_reason            str (extension: required); extension_days (1–20, default the case's);
extension_new_due           date (default: the case's due_date); extension_original_due (date);
                            extension_late (bool: approved after the original deadline passed,
                            head's recorded override; the notice then says so)
consultee                   str 被征求意见方 (consultation: required); consultee_is_agency (bool,
                            Art. 34 co-producer instead of Art. 32 third party);
                            consultation_subject (str)
fee_notice                  a FeeNotice (default: the case's latest); or ``fee_assessment`` (a
                            ``core.fees.FeeAssessment``) with ``pay_by``
payment_method              str 缴纳方式; pauses_clock (bool, default the setting
                            GONGKAI_FEE_PAUSES_CLOCK, off)
=========================== =====================================================================
Any other key is exposed at the top level of the context and under ``extra``. The short keys the
applications workflow passes are accepted as aliases per kind (``items``/``deadline`` for a
correction, ``days``/``reason`` for an extension, ``party``/``kind``/``reply_due`` for a
consultation, ``deadline``/``detail`` and ``new_due``/``reason`` for the Art. 35 letters,
``answer_data`` = ``{"variant", "fields"}`` for a reply).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core.official_doc import Letter, render_docx, render_pdf, render_text

from .context import (  # noqa: F401 - re-exported: callers import them from services
    build_context,
    default_court,
    default_reconsideration_body,
    derived_court,
    derived_reconsideration_body,
    provisional_letters,
    snapshot,
)
from .models import GeneratedDocument, LetterKind, LetterTemplate
from .rendering import (  # noqa: F401 - re-exported
    CONTEXT_DOC,
    LetterError,
    compile_template,
    quoted_request,
    render_letter,
)

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Generation


def _check_actor(application, actor) -> None:
    if actor is None:
        return
    from gongkai.agencies.access import roles_in

    if not roles_in(actor, application.agency_id):
        raise PermissionDenied("您没有办理该机关政府信息公开申请的权限")


def preview_letter(application, kind: str, extra: dict | None = None) -> Letter:
    template = LetterTemplate.objects.resolve(application.agency, kind)
    return render_letter(template, build_context(application, kind, extra=extra))


def generate_document(application, kind: str, actor, extra: dict | None = None) -> GeneratedDocument:
    """Render the letter of ``kind`` for ``application`` and store it with the case (immutable)."""
    _check_actor(application, actor)
    kind = LetterKind(kind).value
    template = LetterTemplate.objects.resolve(application.agency, kind)
    context = build_context(application, kind, extra=extra)
    letter = render_letter(template, context)
    if not letter.paragraphs:
        raise LetterError(["文书正文为空，请检查文书模板"])
    docx_bytes = render_docx(letter)
    pdf_bytes = render_pdf(letter)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    base = f"{kind}-{application.pk}-{stamp}"
    doc = GeneratedDocument(
        application=application,
        kind=kind,
        template=template,
        title=letter.title,
        doc_number=letter.doc_number,
        issue_date=letter.date,
        outcome=(context.get("answer") or {}).get("key", "") if kind == LetterKind.REPLY else "",
        rendered_text=render_text(letter),
        context=snapshot(context),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    doc.docx.save(f"{base}.docx", ContentFile(docx_bytes), save=False)
    doc.pdf.save(f"{base}.pdf", ContentFile(pdf_bytes), save=False)
    try:
        with transaction.atomic():
            doc.save()
    except Exception:
        for f in (doc.docx, doc.pdf):
            if f.name:
                f.storage.delete(f.name)
        raise
    logger.info("generated %s document %s for application %s", kind, doc.pk, application.pk)
    return doc
