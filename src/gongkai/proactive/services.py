"""Write paths of proactive disclosure data (主动公开): Art. 20 counts (documents are records).

Imports of Art. 20 counts from CSV or XLSX are all-or-nothing: every row is validated first,
errors are reported per row in Chinese, and nothing is saved if any row has an error.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.agencies.models import Agency

from .models import ART20_KIND_CHOICES, Art20Count

# Import file header -> Art20Count field. Either the Chinese header or the field name is accepted.
IMPORT_COLUMNS: list[tuple[str, str]] = [
    ("agency", "机关"),
    ("year", "年度"),
    ("kind", "事项"),
    ("decisions", "本年处理决定数量"),
    ("prev_year_items", "上一年项目数量"),
    ("change", "本年增/减"),
    ("fee_amount", "本年收费金额（万元）"),
    ("procurement_items", "采购项目数量"),
    ("procurement_amount", "采购总金额（元）"),
]
_INT_FIELDS = {"decisions", "prev_year_items", "procurement_items"}
_SIGNED_FIELDS = {"change"}
_MONEY_FIELDS = {"fee_amount", "procurement_amount"}
_VALUE_FIELDS = [f for f, _ in IMPORT_COLUMNS[3:]]


class Art20ImportError(Exception):
    """Raised when an import file has errors; ``errors`` lists them (nothing was saved)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def save_art20_count(agency: Agency, year: int, kind: str, values: dict[str, Any], user=None) -> Art20Count:
    """Create or update the counts of one item for one agency and year."""
    if kind not in dict(ART20_KIND_CHOICES):
        raise ValidationError(f"未知的事项：{kind}")
    with transaction.atomic():
        obj, _ = Art20Count.objects.select_for_update().get_or_create(agency=agency, year=year, kind=kind)
        for f in _VALUE_FIELDS:
            if f in values and values[f] is not None:
                setattr(obj, f, values[f])
        obj.updated_by = user if getattr(user, "is_authenticated", False) else None
        obj.full_clean()
        obj.save()
    return obj


# -- import -------------------------------------------------------------------------------------
def _read_rows(filename: str, content: bytes) -> list[list[Any]]:
    """The rows of an uploaded CSV/XLSX, read in a limited child process: the XLSX is first
    measured as a stream (parts, expanded bytes, XML depth and elements), then opened."""
    from gongkai.core.sandbox import LimitedRunFailed
    from gongkai.limits import run_child, untrusted_limits

    limits = untrusted_limits()
    if len(content) > limits.max_text_member_bytes and filename.lower().endswith(".csv"):
        raise Art20ImportError([f"文件过大（上限 {limits.max_text_member_bytes // 1024 // 1024} MB）。"])
    try:
        return run_child(_read_rows_unlimited, filename, content, limits, expected=(Art20ImportError,)).value
    except LimitedRunFailed as exc:
        raise Art20ImportError([str(exc)]) from None


def _read_rows_unlimited(filename: str, content: bytes, limits) -> list[list[Any]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        from gongkai.core.untrusted import check_office_file

        check_office_file(content, "xlsx", limits)
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Art20ImportError(["无法识别文件编码，请使用 UTF-8 或 GB18030 编码的 CSV 文件。"])
        return list(csv.reader(io.StringIO(text)))
    raise Art20ImportError(["仅支持 .csv 或 .xlsx 文件。"])


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _parse_int(v: Any, signed: bool) -> int:
    if isinstance(v, bool):
        raise ValueError
    if isinstance(v, int):
        n = v
    elif isinstance(v, float):
        if v != int(v):
            raise ValueError
        n = int(v)
    else:
        s = str(v).strip().replace(",", "")
        if s.startswith("+"):
            s = s[1:]
        n = int(s)
    if not signed and n < 0:
        raise ValueError
    return n


def _parse_money(v: Any) -> Decimal:
    d = Decimal(str(v).strip().replace(",", "")) if not isinstance(v, Decimal) else v
    if not d.is_finite() or d < 0:
        raise ValueError
    return d


def parse_art20_file(
    filename: str, content: bytes, allowed_agency_ids: set[int] | None = None
) -> tuple[list[dict], list[str]]:
    """Parse and validate an import file; returns (records, errors). Rows are 1-based as in Excel."""
    rows = _read_rows(filename, content)
    errors: list[str] = []
    if not rows:
        return [], ["文件为空。"]
    header = [("" if h is None else str(h).strip()) for h in rows[0]]
    index: dict[str, int] = {}
    for fname, label in IMPORT_COLUMNS:
        for i, h in enumerate(header):
            if h in (fname, label):
                index[fname] = i
    missing = [label for fname, label in IMPORT_COLUMNS[:3] if fname not in index]
    if missing:
        return [], [f"第1行（表头）缺少必填列：{'、'.join(missing)}"]
    kind_by_label = {label: key for key, label in ART20_KIND_CHOICES}
    kinds = dict(ART20_KIND_CHOICES)
    agencies = {a.name: a for a in Agency.objects.all()}
    agencies_by_id = {str(a.pk): a for a in agencies.values()}
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in row):
            continue

        def cell(f, row=row):
            return row[index[f]] if f in index and index[f] < len(row) else None

        row_errors: list[str] = []
        a_raw = cell("agency")
        agency = None
        if _blank(a_raw):
            row_errors.append("“机关”不能为空")
        else:
            a_key = str(a_raw).strip()
            if a_key.endswith(".0"):
                a_key = a_key[:-2]
            agency = agencies.get(a_key) or agencies_by_id.get(a_key)
            if agency is None:
                row_errors.append(f"找不到机关“{a_raw}”")
            elif allowed_agency_ids is not None and agency.pk not in allowed_agency_ids:
                row_errors.append(f"无权为机关“{agency.name}”导入数据")
                agency = None
        year = None
        try:
            year = _parse_int(cell("year"), signed=False)
            if not 2008 <= year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            row_errors.append(f"“年度”应为四位年份，填写为“{cell('year') or ''}”")
            year = None
        k_raw = cell("kind")
        kind = None
        if _blank(k_raw):
            row_errors.append("“事项”不能为空")
        else:
            k = str(k_raw).strip()
            kind = k if k in kinds else kind_by_label.get(k)
            if kind is None:
                row_errors.append(f"未知的事项“{k}”，应为：{'、'.join(kinds.values())}")
        values: dict[str, Any] = {}
        for fname, label in IMPORT_COLUMNS[3:]:
            v = cell(fname)
            if _blank(v):
                continue
            try:
                if fname in _MONEY_FIELDS:
                    values[fname] = _parse_money(v)
                else:
                    values[fname] = _parse_int(v, signed=fname in _SIGNED_FIELDS)
            except (ValueError, InvalidOperation, TypeError):
                what = (
                    "非负金额"
                    if fname in _MONEY_FIELDS
                    else ("整数" if fname in _SIGNED_FIELDS else "非负整数")
                )
                row_errors.append(f"“{label}”应为{what}，填写为“{v}”")
        if agency is not None and year is not None and kind is not None:
            key = (agency.pk, year, kind)
            if key in seen:
                row_errors.append(f"与第{seen[key]}行重复（同一机关、年度、事项）")
            else:
                seen[key] = lineno
        if row_errors:
            errors.append(f"第{lineno}行：" + "；".join(row_errors))
        else:
            records.append({"agency": agency, "year": year, "kind": kind, "values": values})
    if not records and not errors:
        errors.append("文件中没有数据行。")
    return records, errors


def import_art20_counts(
    filename: str, content: bytes, user=None, allowed_agency_ids: set[int] | None = None
) -> ImportResult:
    """Import Art. 20 counts; raises :class:`Art20ImportError` (nothing saved) on any error."""
    records, errors = parse_art20_file(filename, content, allowed_agency_ids)
    if errors:
        raise Art20ImportError(errors)
    result = ImportResult()
    with transaction.atomic():
        for rec in records:
            exists = Art20Count.objects.filter(
                agency=rec["agency"], year=rec["year"], kind=rec["kind"]
            ).exists()
            save_art20_count(rec["agency"], rec["year"], rec["kind"], rec["values"], user=user)
            if exists:
                result.updated += 1
            else:
                result.created += 1
    return result
