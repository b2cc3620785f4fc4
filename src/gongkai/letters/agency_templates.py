"""An agency's own letter templates (本机关文书模板), managed by its administrator (机关管理员).

- :func:`template_overview` lists every letter kind with the template in force for the agency
  (its own, an ancestor's, or the platform default).
- :func:`create_own_template` copies the template in force into the agency's own row;
  :func:`update_own_template` validates every text field as Django template syntax (the same
  check as the letters admin, :meth:`LetterTemplate.clean`) and saves; :func:`revert_to_default`
  deletes the agency's own row so the ancestor's or platform default applies again.
- :func:`preview` renders the template in force (or unsaved text) on the agency's most recent
  suitable application, else on a sample case (nothing stored).

Each change runs in a transaction and appends an :class:`~gongkai.agencies.models.AgencyChange`.
Errors are :class:`TemplateEditError` (Chinese messages) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyChange, AgencyChangeAction
from gongkai.core import fees as core_fees
from gongkai.core.official_doc import Letter

from .models import LetterKind, LetterTemplate
from .services import LetterError, build_context, render_letter

TEXT_FIELDS = ("title", "doc_number", "addressee", "body", "notes", "cc")
EDITABLE_FIELDS = ("name",) + TEXT_FIELDS


class TemplateEditError(ValueError):
    """Invalid template input; ``errors`` maps field name → Chinese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class KindStatus:
    kind: str
    label: str
    own: LetterTemplate | None  # the agency's own template
    effective: LetterTemplate | None  # the template in force (own, ancestor's or default)

    @property
    def source(self) -> str:
        if self.own is not None:
            return "own"
        if self.effective is None:
            return "missing"
        return "default" if self.effective.agency_id is None else "inherited"

    @property
    def source_label(self) -> str:
        return {
            "own": "本机关模板",
            "default": "平台默认模板",
            "inherited": f"沿用{self.effective.agency.name if self.effective and self.effective.agency_id else '上级机关'}模板",
            "missing": "无可用模板",
        }[self.source]


def _check(actor, agency: Agency) -> None:
    from gongkai.agencies.services import can_administer

    if not can_administer(actor, agency):
        raise PermissionDenied("您不是该机关的机关管理员，不能修改文书模板")


def _kind(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise TemplateEditError({"kind": "未知的文书类型"}) from None


def template_overview(agency: Agency) -> list[KindStatus]:
    """Every letter kind with the agency's own template and the template in force."""
    own = {t.kind: t for t in LetterTemplate.objects.filter(agency=agency)}
    out = []
    for kind in LetterKind:
        try:
            effective = LetterTemplate.objects.resolve(agency, kind.value)
        except LetterTemplate.DoesNotExist:
            effective = None
        out.append(KindStatus(kind.value, kind.label, own.get(kind.value), effective))
    return out


def own_template(agency: Agency, kind: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(agency=agency, kind=_kind(kind).value).first()


def validate_fields(data: dict) -> dict[str, str]:
    """Cleaned text fields, or :class:`TemplateEditError` (same syntax check as the letters admin)."""
    clean = {f: str(data.get(f) or "").replace("\r\n", "\n") for f in EDITABLE_FIELDS if f in data}
    errors: dict[str, str] = {}
    if "title" in clean and not clean["title"].strip():
        errors["title"] = "标题不能为空"
    if "body" in clean and not clean["body"].strip():
        errors["body"] = "正文不能为空"
    probe = LetterTemplate(**{f: clean.get(f, "") for f in TEXT_FIELDS})
    try:
        probe.clean()
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            if field in clean:
                label = LetterTemplate._meta.get_field(field).verbose_name
                errors.setdefault(field, f"{label}：{'；'.join(msgs)}")
    for f in EDITABLE_FIELDS:
        if f in clean:
            max_len = LetterTemplate._meta.get_field(f).max_length
            if max_len and len(clean[f]) > max_len:
                errors.setdefault(
                    f, f"{LetterTemplate._meta.get_field(f).verbose_name}不能超过{max_len}个字符"
                )
    if errors:
        raise TemplateEditError(errors)
    return clean


def create_own_template(agency: Agency, kind: str, actor) -> LetterTemplate:
    """Copy the template in force (ancestor's or platform default) into the agency's own."""
    _check(actor, agency)
    kind = _kind(kind)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        if LetterTemplate.objects.filter(agency=agency, kind=kind.value).exists():
            raise TemplateEditError({"kind": f"本机关已有“{kind.label}”模板"})
        try:
            base = LetterTemplate.objects.resolve(agency, kind.value)
        except LetterTemplate.DoesNotExist:
            raise TemplateEditError({"kind": f"“{kind.label}”没有可复制的默认模板"}) from None
        tpl = LetterTemplate.objects.create(
            agency=agency,
            kind=kind.value,
            name=f"{agency.short_name or agency.name}{kind.label}",
            active=True,
            updated_by=actor if getattr(actor, "pk", None) else None,
            **{f: getattr(base, f) for f in TEXT_FIELDS},
        )
        origin = "平台默认模板" if base.agency_id is None else f"{base.agency.name}模板"
        AgencyChange.objects.create(
            agency=agency,
            actor=actor if getattr(actor, "pk", None) else None,
            action=AgencyChangeAction.TEMPLATE_CREATE,
            summary=f"由{origin}创建本机关“{kind.label}”模板",
            details={"kind": kind.value, "template": tpl.pk, "copied_from": base.pk},
        )
    return tpl


def update_own_template(agency: Agency, kind: str, actor, data: dict) -> LetterTemplate:
    """Validate and save the agency's own template of ``kind`` (nothing saved on error)."""
    _check(actor, agency)
    kind = _kind(kind)
    clean = validate_fields(data)
    with transaction.atomic():
        tpl = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind.value).first()
        if tpl is None:
            raise TemplateEditError({"kind": f"本机关尚无“{kind.label}”模板，请先从默认模板创建"})
        changed = {f: [getattr(tpl, f), v] for f, v in clean.items() if getattr(tpl, f) != v}
        if not changed:
            return tpl
        for f, (_old, new) in changed.items():
            setattr(tpl, f, new)
        tpl.updated_by = actor if getattr(actor, "pk", None) else None
        tpl.save()
        labels = "、".join(str(LetterTemplate._meta.get_field(f).verbose_name) for f in changed)
        AgencyChange.objects.create(
            agency=agency,
            actor=tpl.updated_by,
            action=AgencyChangeAction.TEMPLATE_UPDATE,
            summary=f"修改本机关“{kind.label}”模板：{labels}",
            details={"kind": kind.value, "template": tpl.pk, "changed": changed},
        )
    return tpl


def revert_to_default(agency: Agency, kind: str, actor) -> None:
    """Delete the agency's own template of ``kind``: the ancestor's or default applies again.
    The old text is kept in the change log; letters already generated are unaffected."""
    _check(actor, agency)
    kind = _kind(kind)
    with transaction.atomic():
        tpl = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind.value).first()
        if tpl is None:
            raise TemplateEditError({"kind": f"本机关没有自己的“{kind.label}”模板"})
        old = {f: getattr(tpl, f) for f in EDITABLE_FIELDS}
        tpl.delete()
        AgencyChange.objects.create(
            agency=agency,
            actor=actor if getattr(actor, "pk", None) else None,
            action=AgencyChangeAction.TEMPLATE_REVERT,
            summary=f"“{kind.label}”恢复使用默认模板",
            details={"kind": kind.value, "removed": old},
        )


# -- preview ---------------------------------------------------------------------------------------


def _sample_extra(kind: LetterKind, issue_date: dt.date) -> dict:
    """Facts a letter of ``kind`` needs, filled with sample values (preview only)."""
    extra: dict = {"issue_date": issue_date}
    if kind == LetterKind.CORRECTION:
        extra.update(
            correction_matters=["（示例）请明确所需政府信息的名称、文号或者其他特征性描述"],
            correction_deadline=issue_date + dt.timedelta(days=15),
        )
    elif kind == LetterKind.EXTENSION:
        extra.update(extension_reason="（示例）所需政府信息涉及面广，需要检索、汇总", extension_days=20)
    elif kind == LetterKind.CONSULTATION:
        extra.update(
            consultee="（示例）某有限公司", consultation_reply_due=issue_date + dt.timedelta(days=21)
        )
    elif kind == LetterKind.EXPLANATION_REQUEST:
        extra.update(
            explanation_deadline=issue_date + dt.timedelta(days=15),
            explanation_detail="（示例）申请数量明显超过合理范围",
        )
    elif kind == LetterKind.DELAYED_ANSWER:
        extra.update(
            delay_new_due=issue_date + dt.timedelta(days=60), delay_reason="（示例）申请数量明显超过合理范围"
        )
    elif kind == LetterKind.FEE_NOTICE:
        extra.update(
            fee_assessment=core_fees.assess(core_fees.FeeMethod.BY_VOLUME, pages=150),
            pay_by=issue_date + dt.timedelta(days=28),
        )
    elif kind == LetterKind.REPLY:
        extra.setdefault("outcome", "")
    return extra


def _sample_application(agency: Agency):
    """An unsaved sample case of ``agency`` (preview when the agency has no suitable case)."""
    from gongkai.applications.models import Application

    today = timezone.localdate()
    return Application(
        agency=agency,
        year=today.year,
        serial=1,
        tracking_number=f"{agency.tracking_prefix}〔{today.year}〕0001号",
        applicant_type="natural_person",
        applicant_name="张三（示例）",
        email="sample@example.com",
        postal_address="某市某区某路1号",
        description="（示例）本机关2025年度某专项资金的分配结果",
        channel="internet",
        submitted_at=timezone.now(),
        received_date=today,
        receipt_basis="online_confirmed",
        due_date=today + dt.timedelta(days=28),
        outcome="granted",
        answer_data={},
    )


def _candidates(agency: Agency, kind: LetterKind):
    from gongkai.applications.models import Application

    qs = Application.objects.filter(agency=agency).select_related("agency", "handler")
    if kind == LetterKind.REPLY:
        qs = qs.exclude(outcome="")
    elif kind == LetterKind.FEE_NOTICE:
        qs = qs.filter(fee_notices__isnull=False).distinct()
    return qs.order_by("-received_date", "-serial")[:5]


@dataclass(frozen=True)
class Preview:
    letter: Letter
    application: object | None  # the real case used, or None for the sample case
    template: LetterTemplate

    @property
    def source_label(self) -> str:
        if self.application is None:
            return "示例申请（本机关暂无合适的申请）"
        return f"本机关近期申请 {self.application.tracking_number}"


def preview(agency: Agency, kind: str, data: dict | None = None) -> Preview:
    """Render the agency's template in force of ``kind`` — or ``data`` (unsaved text, validated)
    — on a recent real application of the agency, else on a sample case. Nothing is stored."""
    kind = _kind(kind)
    if data is not None:
        clean = validate_fields(data)
        template = LetterTemplate(
            agency=agency, kind=kind.value, **{f: clean.get(f, "") for f in TEXT_FIELDS}
        )
    else:
        try:
            template = LetterTemplate.objects.resolve(agency, kind.value)
        except LetterTemplate.DoesNotExist:
            raise TemplateEditError({"kind": f"“{kind.label}”没有可用模板"}) from None
    issue_date = timezone.localdate()
    extra = _sample_extra(kind, issue_date)
    for app in list(_candidates(agency, kind)) + [None]:
        case = app if app is not None else _sample_application(agency)
        try:
            ctx = build_context(case, kind.value, extra=dict(extra), issue_date=issue_date)
        except LetterError:
            continue
        try:
            letter = render_letter(template, ctx)
        except Exception as exc:  # a template that compiles may still fail to render
            raise TemplateEditError({"body": f"模板渲染出错：{exc}"}) from exc
        return Preview(letter, app, template)
    raise TemplateEditError({"kind": f"无法为“{kind.label}”生成预览"})
