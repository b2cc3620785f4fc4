"""Annual report services: compute from live data, draft, validate, publish, correct.

Write paths run in transactions and lock the report row. Permissions:
- edit a draft / recompute: any acting role in the report's agency (登记员 excepted);
- publish a report without validation errors: 负责人 (HEAD), 审核人 (REVIEWER) or 机关管理员 (ADMIN);
- publish while an error rule fails: only the 负责人 (HEAD), with a recorded reason.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.appeals.stats import counts_from_rows
from gongkai.core import report_rules
from gongkai.core.report_compute import build_report
from gongkai.core.report_data import ReportData
from gongkai.core.report_rules import ERROR, WARNING, Finding
from gongkai.core.report_schema import get_template, template_for_year
from gongkai.proactive.stats import section2_from_rows

from ..models import AnnualReport, ReportStatus, ReportVersion, Scope
from .stats import fee_line_from_rows, report_facts, section3_from_rows

log = logging.getLogger(__name__)

# Narrative sections edited by staff (1 总体情况, 5 存在的主要问题及改进情况, 6 其他需要报告的事项).
NARRATIVE_SECTIONS = tuple(s.key for s in get_template("2021").sections if s.kind == "text")
EDIT_ROLES = (Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN)
PUBLISH_ROLES = (Role.REVIEWER, Role.HEAD, Role.ADMIN)
YOY_THRESHOLD = 0.5
YOY_MIN_BASE = 10


class PublishBlocked(Exception):
    """Publishing refused: error findings and no head override."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        n = sum(1 for f in findings if f.severity == ERROR)
        super().__init__(f"报告有{n}项校验错误，不能发布；负责人可填写理由后带错发布。")


# -- computation --------------------------------------------------------------------------------
def scope_agency_ids(agency: Agency, subtree: bool):
    """Agency ids the report covers: the agency, or its whole subtree (a subquery)."""
    if subtree:
        return Agency.objects.filter(path__startswith=agency.path).values("pk")
    return [agency.pk]


def compute_report(
    agency: Agency,
    year: int,
    template_id: str | None = None,
    subtree: bool = False,
    text_sections: dict[str, str] | None = None,
) -> ReportData:
    """Sections 2, 3, 4 and the fee line from live data, in one database round trip
    (``stats.report_facts``), assembled by ``core.report_compute.build_report``."""
    t = get_template(template_id) if template_id else template_for_year(year)
    facts = report_facts(agency, year, t.id, subtree=subtree)
    data = build_report(
        agency.name,
        year,
        template_id=t.id,
        proactive=section2_from_rows(t.id, facts.documents, facts.art20),
        application_cell_counts=section3_from_rows(facts.applications, t.id),
        appeal_group_counts=counts_from_rows(facts.appeals),
        fee_line=fee_line_from_rows(facts.fees) if t.id == "2021" else None,
        text_sections=text_sections,
        meta={
            "agency_id": agency.pk,
            "scope": Scope.SUBTREE if subtree else Scope.SINGLE,
            "source": "computed",
        },
    )
    entered = {r["kind"] for r in facts.art20}
    for tb in t.proactive_tables:
        only_2019 = [c.key for c in tb.value_columns if c.key in ONLY_2019_COLUMNS]
        for row in tb.cell_rows if tb.key != "art20_1" and only_2019 else ():
            if row.key not in entered:  # nobody entered the item: not a 0
                data.blank_cells.setdefault(tb.key, {})[row.key] = list(only_2019)
    return data


def _only_2019_columns() -> frozenset[str]:
    """Section 2 columns only the 2019 template has (上一年项目数量, 本年增/减, 采购…)."""
    later = {c.key for tb in get_template("2021").proactive_tables for c in tb.value_columns}
    return frozenset(
        c.key for tb in get_template("2019").proactive_tables for c in tb.value_columns if c.key not in later
    )


ONLY_2019_COLUMNS = _only_2019_columns()


# -- previous year --------------------------------------------------------------------------------
@dataclass
class PreviousReport:
    data: ReportData
    source: str  # "platform" | "imported"
    label: str


def previous_report(agency: Agency, year: int, scope: str = Scope.SINGLE) -> PreviousReport | None:
    """Last year's published report of the agency: the platform's own (same scope), else a
    published report imported by ``report_import``."""
    prev = (
        AnnualReport.objects.filter(agency=agency, year=year - 1, scope=scope, current_version__isnull=False)
        .select_related("current_version")
        .first()
    )
    if prev is not None:
        return PreviousReport(
            ReportData.from_dict(prev.current_version.data), "platform", f"本平台发布的{year - 1}年度报告"
        )
    try:
        from gongkai.report_import.models import ImportedReport
    except ImportError:  # report_import not installed
        return None
    imp = ImportedReport.objects.filter(agency=agency, year=year - 1).order_by("-imported_at").first()
    if imp is None:
        return None
    parsed = imp.parsed or {}
    try:
        data = ReportData.from_dict(
            {
                "template_id": imp.template_id or template_for_year(year - 1).id,
                "agency_name": agency.name,
                "year": year - 1,
                "tables": parsed.get("tables") or {},
                "text_sections": parsed.get("text_sections") or {},
                "blank_cells": parsed.get("blank_cells") or {},
            }
        )
    except (ValueError, KeyError) as exc:
        log.warning("imported report %s not usable for carry-over: %s", imp.pk, exc)
        return None
    return PreviousReport(data, "imported", f"导入的已发布{year - 1}年度报告（{imp.source_name}）")


def validate_data(data: ReportData, previous: PreviousReport | None) -> list[Finding]:
    """H5a's rules, the carry-over check and year-on-year warnings against ``previous``."""
    findings = report_rules.validate(
        data, previous.data if previous else None, yoy_threshold=YOY_THRESHOLD, yoy_min_base=YOY_MIN_BASE
    )
    expected = template_for_year(data.year)
    if data.template_id != expected.id:
        findings.append(
            Finding(
                "template.year_mismatch",
                WARNING,
                f"{data.year}年度报告应使用{expected.id}年版格式，当前使用的是{data.template_id}年版格式。",
            )
        )
    not_entered = [
        (tk, rk)
        for tk, rows in data.blank_cells.items()
        if data.template.table(tk).section == "proactive"
        for rk in rows
    ]
    if not_entered and data.meta.get("source") == "computed":
        labels = "、".join(data.template.table(tk).row(rk).label or rk for tk, rk in not_entered)
        findings.append(
            Finding(
                "proactive.not_entered",
                WARNING,
                f"第二部分以下事项无人填写，2019年版特有的栏目显示为空白（未填写），而不是0：{labels}。"
                "发布前请在“第二十条事项统计”中填写（确为0的请填0）。",
                table=not_entered[0][0],
            )
        )
    if previous is None:
        findings.append(
            Finding(
                "cross_year.no_previous",
                WARNING,
                f"未找到{data.year - 1}年度已发布报告，未核对“上年结转”与上年“结转下年度继续办理”是否一致。",
            )
        )
    return findings


def _store_findings(version: ReportVersion, findings: list[Finding]) -> None:
    version.findings = [f.to_dict() for f in findings]
    version.error_count = sum(1 for f in findings if f.severity == ERROR)
    version.warning_count = sum(1 for f in findings if f.severity == WARNING)


# -- drafts -----------------------------------------------------------------------------------------
def _require(user, agency: Agency, roles, message: str) -> None:
    if user is not None and not access.has_role(user, agency.pk, *roles):
        raise PermissionDenied(message)


def _prefill_texts(report: AnnualReport) -> dict[str, str]:
    if report.current_version_id:
        src = report.current_version.data.get("text_sections") or {}
    else:
        prev = previous_report(report.agency, report.year, report.scope)
        src = prev.data.text_sections if prev else {}
    return {k: src.get(k, "") for k in NARRATIVE_SECTIONS}


def get_or_create_draft(
    agency: Agency, year: int, *, subtree: bool = False, template_id: str | None = None, user=None
) -> tuple[AnnualReport, ReportVersion]:
    """The report's editable draft, created (data computed, narratives pre-filled from the last
    published version or from last year's report) when there is none."""
    _require(user, agency, EDIT_ROLES, "您没有编制该机关年度报告的权限。")
    scope = Scope.SUBTREE if subtree else Scope.SINGLE
    with transaction.atomic():
        report, _ = AnnualReport.objects.get_or_create(
            agency=agency,
            year=year,
            scope=scope,
            defaults={"template_id": template_id or template_for_year(year).id},
        )
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("agency", "current_version")
            .get(pk=report.pk)
        )
        draft = report.draft
        if draft is not None:
            return report, draft
        number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        draft = ReportVersion(report=report, number=number, created_by=_user(user))
        _fill(draft, report, _prefill_texts(report))
        draft.save()
    return report, draft


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _fill(version: ReportVersion, report: AnnualReport, texts: dict[str, str]) -> ReportData:
    data = compute_report(
        report.agency, report.year, report.template_id, report.scope == Scope.SUBTREE, texts
    )
    version.data = data.to_dict()
    version.computed_at = timezone.now()
    _store_findings(version, validate_data(data, previous_report(report.agency, report.year, report.scope)))
    return data


def recompute_draft(version: ReportVersion, user=None) -> ReportVersion:
    """Recompute a draft's tables from live data (narratives kept) and re-validate."""
    report = version.report
    _require(user, report.agency, EDIT_ROLES, "您没有编制该机关年度报告的权限。")
    with transaction.atomic():
        AnnualReport.objects.select_for_update().get(pk=report.pk)
        version.refresh_from_db()
        if version.is_published:
            raise ValidationError("已发布的版本不能重新计算。")
        _fill(version, report, version.data.get("text_sections") or {})
        version.save()
    return version


def update_narratives(version: ReportVersion, texts: dict[str, str], user=None) -> ReportVersion:
    """Save narrative sections 1, 5, 6 of a draft."""
    report = version.report
    _require(user, report.agency, EDIT_ROLES, "您没有编制该机关年度报告的权限。")
    unknown = set(texts) - set(NARRATIVE_SECTIONS)
    if unknown:
        raise ValidationError(f"没有这些文字章节：{sorted(unknown)}")
    with transaction.atomic():
        AnnualReport.objects.select_for_update().get(pk=report.pk)
        version.refresh_from_db()
        if version.is_published:
            raise ValidationError("已发布的版本不能修改，请创建更正版本。")
        data = dict(version.data)
        ts = dict(data.get("text_sections") or {})
        ts.update({k: (v or "").strip() for k, v in texts.items()})
        data["text_sections"] = ts
        version.data = data
        version.save()
    return version


def revalidate(version: ReportVersion) -> list[Finding]:
    """Validate a version's stored data now (against the current previous-year report)."""
    report = version.report
    return validate_data(
        ReportData.from_dict(version.data), previous_report(report.agency, report.year, report.scope)
    )


# -- publish ----------------------------------------------------------------------------------------
def publish(
    version: ReportVersion,
    user,
    *,
    override_reason: str = "",
    change_note: str = "",
    published_at=None,
) -> ReportVersion:
    """Publish a draft. Error findings block it unless the 负责人 gives ``override_reason``.
    A correction (a version after the first published one) requires ``change_note``.

    ``published_at`` records an earlier publication time, for a report that was published
    before it was entered on the platform (and for the demo's past years); default now. It
    cannot be in the future nor before an earlier published version of the same report."""
    report = version.report
    _require(user, report.agency, PUBLISH_ROLES, "您没有发布该机关年度报告的权限。")
    override_reason = (override_reason or "").strip()
    change_note = (change_note or "").strip()
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",)).select_related("agency").get(pk=report.pk)
        )
        version = ReportVersion.objects.get(pk=version.pk)
        if version.is_published:
            raise ValidationError("该版本已发布。")
        findings = revalidate(version)
        _store_findings(version, findings)
        if report_rules.has_errors(findings):
            if not override_reason:
                version.save()
                raise PublishBlocked(findings)
            if user is not None and not access.has_role(user, report.agency_id, Role.HEAD):
                raise PermissionDenied("存在校验错误时，只有负责人可以填写理由后发布。")
        else:
            override_reason = ""
        if report.current_version_id and not change_note:
            raise ValidationError("发布更正版本须填写更正说明。")
        now = timezone.now()
        if published_at is not None:
            if published_at > now:
                raise ValidationError("发布时间不能晚于当前时间。")
            last = report.versions.filter(published_at__isnull=False).order_by("-published_at").first()
            if last is not None and published_at < last.published_at:
                raise ValidationError("发布时间不能早于上一版本的发布时间。")
            now = published_at
        version.override_reason = override_reason
        version.change_note = change_note
        version.published_at = now
        version.published_by = _user(user)
        version.save()
        report.current_version = version
        report.status = ReportStatus.PUBLISHED
        if report.first_published_at is None:
            report.first_published_at = now
        report.save()
    log.info(
        "annual report %s published version %s (override=%s)",
        report.pk,
        version.number,
        bool(override_reason),
    )
    if settings.GONGKAI_PRERENDER_REPORTS:
        transaction.on_commit(functools.partial(_send_prerender, version.pk))
    return version


def _send_prerender(version_id: int) -> None:
    """Queue the rendering of a published version; if the queue is down, each rendition is
    stored on its first request instead."""
    from ..tasks import prerender_version

    try:
        prerender_version.delay(version_id)
    except Exception:  # noqa: BLE001 -- a broker outage must not fail the publication
        log.warning("could not queue rendering of report version %s", version_id, exc_info=True)


def start_correction(report: AnnualReport, user=None) -> ReportVersion:
    """A new draft version of a published report (copy of the current version, data recomputed)."""
    report = AnnualReport.objects.get(pk=report.pk)
    if not report.current_version_id:
        raise ValidationError("报告尚未发布，直接修改草稿即可。")
    _, draft = get_or_create_draft(
        report.agency, report.year, subtree=report.scope == Scope.SUBTREE, user=user
    )
    return draft


def version_data(version: ReportVersion) -> ReportData:
    return ReportData.from_dict(version.data)
