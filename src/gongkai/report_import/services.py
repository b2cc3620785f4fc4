"""Write paths of the report import (年报导入): saving a parsed report, matching its agency.

``save_parsed_report(result)`` takes what ``gongkai.core.report_parse.parse_report`` returns and
stores it as an :class:`ImportedReport`, idempotently: the SHA-256 of the file content is unique,
so a second import of the same file returns the first report.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core.report_schema import CROSS_YEAR_CHECKS, get_template

from .models import ImportedReport, ReportStatus

log = logging.getLogger(__name__)


class ImportRejected(ValueError):
    """A parsed report that cannot be stored (no year, no agency, agency not allowed).

    The message is in Chinese: it is shown to the user and stored on the batch item.
    """


# -- agency matching ------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_PAREN_TRANS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）"})
# Offices that publish the report of their government (XX人民政府办公室 publishes for XX人民政府).
_OFFICE_SUFFIXES = ("办公室", "办公厅")


def normalize_agency_name(name: str) -> str:
    """Whitespace removed, brackets unified to full-width （）; nothing else changes."""
    return _SPACES.sub("", name or "").translate(_PAREN_TRANS)


def _government_key(norm: str) -> str | None:
    """Key under which a people's government and its general office are the same report author.

    ``XX人民政府办公室``/``XX人民政府办公厅``/``XX人民政府`` and ``XX政府`` all give ``XX人民政府``.
    Only names that contain a government are keyed, so ``XX局办公室`` is never merged with ``XX局``.
    """
    s = norm
    for suf in _OFFICE_SUFFIXES:
        if s.endswith(suf):
            s = s[: -len(suf)]
            break
    if s.endswith("人民政府"):
        return s
    if s.endswith("政府") and not s.endswith("人民政府") and len(s) > 2:
        return s[:-2] + "人民政府"
    return None


def _bare_key(norm: str) -> str:
    """Parenthesised asides removed: ``平潭综合实验区（管委会）`` -> ``平潭综合实验区``."""
    return re.sub(r"（[^（）]*）", "", norm)


def match_agency(name: str) -> Agency | None:
    """Find the agency a printed name designates, conservatively; None when unsure.

    Order: exact name; same name after whitespace/bracket normalisation; then the government
    office variants (``_government_key``); then parenthesised asides dropped. Each step after the
    first accepts only a unique candidate.
    """
    name = (name or "").strip()
    if not name:
        return None
    exact = Agency.objects.filter(name=name).first()
    if exact is not None:
        return exact
    norm = normalize_agency_name(name)
    # Candidates share at least the first two characters (region name); keeps the scan small.
    candidates = list(Agency.objects.filter(name__startswith=name[:2]).only("id", "name", "short_name"))
    if not candidates:
        candidates = list(Agency.objects.filter(name__contains=norm[:2]).only("id", "name", "short_name"))

    def unique(pred) -> Agency | None:
        hits = [a for a in candidates if pred(a)]
        return hits[0] if len(hits) == 1 else None

    found = unique(lambda a: normalize_agency_name(a.name) == norm)
    if found:
        return found
    gk = _government_key(norm)
    if gk:
        found = unique(lambda a: _government_key(normalize_agency_name(a.name)) == gk)
        if found:
            return found
    bk = _bare_key(norm)
    if len(bk) >= 4:
        found = unique(lambda a: _bare_key(normalize_agency_name(a.name)) == bk)
        if found:
            return found
    return None


def guess_agency_kind(name: str) -> str:
    n = normalize_agency_name(name)
    n = _bare_key(n) or n
    if n.endswith("街道办事处") or n.endswith("街道"):
        return AgencyKind.STREET_OFFICE
    if re.search(r"[乡镇]人民政府$", n):
        return AgencyKind.TOWNSHIP
    if n.endswith("人民政府") or n.endswith("政府") or n.endswith("管委会") or n.endswith("管理委员会"):
        return AgencyKind.GOVERNMENT
    if n.endswith("实验区") or n.endswith("新区") or n.endswith("开发区"):
        return AgencyKind.GOVERNMENT
    if re.search(r"(局|厅|委员会|委|办公室|办公厅|办|署|中心|院|所)$", n):
        return AgencyKind.DEPARTMENT
    return AgencyKind.OTHER


_REGION_SUFFIX = re.compile(r"^(.{2,}?)(省|自治区|市|自治州|州|盟|地区|区|县|旗)")


def derive_tracking_prefix(name: str, kind: str) -> str:
    """A tracking-number prefix for an agency created from an import (e.g. 平潭政依申).

    The region's first two characters, ``政`` for governments or the department's first
    character after the region, then ``依申``. Administrators edit it when the agency goes live.
    """
    n = _bare_key(normalize_agency_name(name)) or normalize_agency_name(name)
    m = _REGION_SUFFIX.match(n)
    region = (m.group(1) if m else n)[:2]
    rest = n[m.end() :] if m else n[2:]
    if kind in (AgencyKind.GOVERNMENT, AgencyKind.TOWNSHIP, AgencyKind.STREET_OFFICE):
        mid = "政"
    else:
        mid = rest[:1] or "政"
    return (region + mid + "依申")[:20]


def match_or_create_agency(name: str, *, allow_create: bool = True) -> tuple[Agency, bool]:
    """The agency for a printed name: matched, else created (kind guessed, prefix derived)."""
    found = match_agency(name)
    if found is not None:
        return found, False
    if not allow_create:
        raise ImportRejected(f"系统中没有与“{name}”对应的行政机关，请先选择机关后再导入")
    clean = name.strip()
    kind = guess_agency_kind(clean)
    try:
        with transaction.atomic():
            agency = Agency.objects.create(
                name=clean[:200], kind=kind, tracking_prefix=derive_tracking_prefix(clean, kind)
            )
    except IntegrityError:  # created concurrently by another worker
        agency = Agency.objects.get(name=clean[:200])
        return agency, False
    log.info("report import created agency %s (%s)", agency.pk, agency.name)
    return agency, True


# -- saving ---------------------------------------------------------------------------------

PARSED_KEYS = ("tables", "text_sections", "fees", "missing", "blank_cells")


def content_sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _result_sha256(result: dict[str, Any]) -> str:
    """SHA-256 of the source content: given, or read from the source path, or of the parse."""
    if result.get("sha256"):
        return str(result["sha256"])
    src = result.get("source")
    if src:
        p = Path(str(src))
        try:
            if p.is_file():
                return content_sha256(p.read_bytes())
        except OSError:
            pass
    canon = json.dumps(
        {k: result.get(k) for k in ("agency", "year", "template", *PARSED_KEYS)},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return content_sha256(canon)


def _is_error(f: dict[str, Any]) -> bool:
    return str(f.get("severity", "error")).lower() in ("error", "错误", "high")


def save_parsed_report(
    result: dict[str, Any],
    *,
    user=None,
    agency: Agency | None = None,
    sha256: str | None = None,
    batch=None,
    allow_create_agency: bool = True,
    allowed_agency_ids: set[int] | None = None,
    check_existing: bool = True,
) -> ImportedReport:
    """Store one parsed report; idempotent by content SHA-256.

    ``agency`` overrides the printed name; otherwise the name is matched (or an agency created
    when ``allow_create_agency``). ``allowed_agency_ids`` (web uploads) rejects a report whose
    agency the uploader may not see. Raises :class:`ImportRejected` with a Chinese message.
    ``check_existing=False``: the caller already looked the digest up (the unique constraint
    still guards a concurrent insert).
    """
    digest = sha256 or _result_sha256(result)
    if check_existing:
        existing = ImportedReport.objects.filter(sha256=digest).first()
        if existing is not None:
            return existing
    year = result.get("year")
    if not year:
        raise ImportRejected("无法识别报告年度")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ImportRejected(f"报告年度无法识别：{year!r}") from None
    template_id = str(result.get("template") or "")
    if template_id:
        get_template(template_id)  # unknown ids raise KeyError: a parser bug, not user input
    printed = str(result.get("agency") or "").strip()
    # Checks first, writes after: a rejection leaves the caller's transaction usable. The agency
    # creation and the report insert each run in their own savepoint.
    if agency is None:
        if not printed:
            raise ImportRejected("无法识别报告所属机关名称，请指定机关后再导入")
        agency, _created = match_or_create_agency(printed, allow_create=allow_create_agency)
    if allowed_agency_ids is not None and agency.pk not in allowed_agency_ids:
        raise ImportRejected(f"报告所属机关“{agency.name}”不在您的权限范围内")
    result = with_in_force_chain(result, agency, year)
    findings = list(result.get("findings") or [])
    missing = list(result.get("missing") or [])
    errors = sum(1 for f in findings if _is_error(f))
    parsed = {k: result.get(k) for k in PARSED_KEYS}
    parsed["tables"] = parsed["tables"] or {}
    parsed["text_sections"] = parsed["text_sections"] or {}
    parsed["missing"] = missing
    parsed["blank_cells"] = parsed["blank_cells"] or []
    if result.get("ocr"):
        parsed["ocr"] = result["ocr"]  # tables read from images: confidences, marked cells and their crops
    report = ImportedReport(
        agency=agency,
        agency_name_printed=printed[:200],
        year=year,
        template_id=template_id,
        source_name=Path(str(result.get("source") or "")).name[:500] or "（未知文件）",
        sha256=digest,
        parsed=json.loads(json.dumps(parsed, ensure_ascii=False, default=str)),
        findings=json.loads(json.dumps(findings, ensure_ascii=False, default=str)),
        finding_count=len(findings),
        error_count=errors,
        missing_count=len(missing),
        status=ReportStatus.FLAGGED if (errors or missing) else ReportStatus.PASSED,
        batch=batch,
        imported_by=user if getattr(user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # same content saved concurrently by another worker
        return ImportedReport.objects.get(sha256=digest)
    report.created_now = True
    return report


# -- Section 2 across years ------------------------------------------------------------------


def previous_in_force(agency: Agency, year: int) -> dict[str, int] | None:
    """Last year's 现行有效件数 of 第二十条第（一）项 per row (2021 format only): from the agency's own
    report published on the platform, else from its latest imported report of that year — only
    cells that report actually printed (an unread or blank cell is unknown, never 0)."""
    from gongkai.annual_reports.models import AnnualReport, Scope

    prev = (
        AnnualReport.objects.filter(
            agency=agency, year=year - 1, scope=Scope.SINGLE, current_version__isnull=False
        )
        .select_related("current_version")
        .first()
    )
    if prev is not None:
        data = prev.current_version.data or {}
        template_id, tables = data.get("template_id"), data.get("tables") or {}
        blank_rows = (data.get("blank_cells") or {}).get("art20_1") or {}
        blank = {row for row, cols in blank_rows.items() if "in_force" in cols}
    else:
        imp = latest_report(agency, year - 1)
        if imp is None:
            return None
        template_id, tables = imp.template_id, imp.tables
        blank = {
            b["row"]
            for b in imp.parsed.get("blank_cells") or ()
            if b.get("table") == "art20_1" and b.get("column") == "in_force"
        }
    if template_id != "2021":
        return None  # the 2019 format has no 现行有效件数
    rows = tables.get("art20_1") or {}
    out = {
        row: int(cells["in_force"])
        for row, cells in rows.items()
        if cells.get("in_force") is not None and row not in blank
    }
    return out or None


def with_in_force_chain(result: dict[str, Any], agency: Agency, year: int) -> dict[str, Any]:
    """The parse result with Section 2's in-force chain applied against last year's figures
    (see :mod:`gongkai.core.report_parse.chain`); unchanged when last year is unknown."""
    from gongkai.core.report_parse.chain import apply_in_force_chain

    if result.get("template") != "2021":
        return result
    previous = previous_in_force(agency, year)
    return apply_in_force_chain(result, previous, year - 1) if previous else result


# -- reads for other apps -------------------------------------------------------------------


def latest_report(agency, year: int) -> ImportedReport | None:
    agency_id = getattr(agency, "pk", agency)
    return (
        ImportedReport.objects.filter(agency_id=agency_id, year=year).order_by("-imported_at", "-pk").first()
    )


def published_carry_forward(agency, year: int) -> dict[str, int] | None:
    """The 四、结转下年度继续办理 row of the agency's published report for ``year``.

    ``{column_key: int}`` from the most recently imported report of that agency and year, or None
    when no report was imported or its Section 3 was not read. Used by the annual report module
    to check 上年结转 of year+1 against what was actually published.
    """
    report = latest_report(agency, year)
    if report is None:
        return None
    row = (report.tables.get("applications") or {}).get("carried_forward")
    if not row:
        return None
    return {k: int(v) for k, v in row.items() if v is not None}


def carry_over_mismatches(prev: ImportedReport, this: ImportedReport) -> list[dict[str, Any]]:
    """Cells where year Y-1's 结转下年度 differs from year Y's 上年结转 (schema CROSS_YEAR_CHECKS)."""
    out = []
    for chk in CROSS_YEAR_CHECKS:
        before = (prev.tables.get(chk.table) or {}).get(chk.previous_row)
        now = (this.tables.get(chk.table) or {}).get(chk.current_row)
        if not before or not now:
            continue
        for col in sorted(set(before) | set(now)):
            a, b = before.get(col), now.get(col)
            if a is None or b is None:
                continue
            if int(a) != int(b):
                out.append(
                    {
                        "rule": chk.id,
                        "severity": chk.severity,
                        "table": chk.table,
                        "column": col,
                        "previous_row": chk.previous_row,
                        "current_row": chk.current_row,
                        "previous": int(a),
                        "current": int(b),
                    }
                )
    return out
