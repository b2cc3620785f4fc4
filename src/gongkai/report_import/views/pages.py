from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkai.core.report_parse.ocr import LOW_CONFIDENCE
from gongkai.core.report_schema import get_template

from ..duplicates import CHOICES as DUPLICATE_CHOICES
from ..duplicates import batch_repeats, earlier_copies, resolve, resolve_batch
from ..export import COLUMNS, iter_cells
from ..models import DuplicateChoice, ImportItem, ItemStatus
from ..services import ImportRejected
from ..uploads import start_batch, store_upload
from .common import get_batch, get_report, require_import_role, visible_agencies, visible_reports
from .rendering import section_blocks

SEVERITY_LABELS = {"error": "错误", "warning": "提示"}


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data] if data else single(None, initial)
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="报告文件或zip压缩包",
        widget=MultiFileInput(attrs={"multiple": True}),
        help_text="支持 txt、html、docx、pdf，或将多份报告打包为一个zip；单个文件不超过20 MB。",
    )
    agency = forms.ModelChoiceField(
        label="所属机关", queryset=None, required=False, help_text="不选择时按报告中署名的机关名称自动匹配。"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).order_by("path")
        if user is not None and not user.is_superuser:
            self.fields[
                "agency"
            ].help_text = "不选择时按报告中署名的机关名称匹配，只能导入您有权查看的机关的报告。"


@login_required
def report_list(request):
    require_import_role(request.user)
    qs = visible_reports(request.user).order_by("agency__name", "-year", "-imported_at")
    agency_id, year = request.GET.get("agency"), request.GET.get("year")
    if agency_id and agency_id.isdigit():
        qs = qs.filter(agency_id=int(agency_id))
    if year and year.isdigit():
        qs = qs.filter(year=int(year))
    if request.GET.get("status") in ("passed", "flagged"):
        qs = qs.filter(status=request.GET["status"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    from .common import visible_batches

    return render(
        request,
        "report_import/list.html",
        {
            "page": page,
            "agencies": visible_agencies(request.user).order_by("path"),
            "batches": visible_batches(request.user)[:10],
            "filters": request.GET,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    require_import_role(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                batch = store_upload(
                    request.FILES.getlist("files"), user=request.user, agency=form.cleaned_data["agency"]
                )
            except ImportRejected as exc:
                form.add_error("files", str(exc))
            else:
                start_batch(batch)
                batch.refresh_from_db()
                if batch.total == 1 and batch.done == 1:
                    item = batch.items.select_related("report").first()
                    if item.report_id and visible_reports(request.user).filter(pk=item.report_id).exists():
                        if item.duplicate:
                            when = timezone.localtime(item.report.imported_at)
                            messages.info(request, f"同一文件已于{when:%Y-%m-%d %H:%M}导入，未重复导入。")
                        elif earlier_copies(item.report):
                            return redirect("report_import:duplicate", pk=item.report_id)
                        else:
                            messages.success(request, "报告已导入。")
                        return redirect("report_import:detail", pk=item.report_id)
                return redirect("report_import:batch", pk=batch.pk)
    else:
        form = UploadForm(user=request.user)
    return render(request, "report_import/upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def batch_detail(request, pk: int):
    """A batch's files and results; the files that repeat an earlier import (in this batch or
    before) are listed with what each matches and why, and the user chooses per file or for all
    (POST: applied in one transaction and recorded)."""
    require_import_role(request.user)
    batch = get_batch(request.user, pk)
    if request.method == "POST":
        every = request.POST.get("all", "")
        choices = {}
        for rep in batch_repeats(batch, visible_reports(request.user)):
            if rep.choosable:
                c = request.POST.get(f"choice_{rep.item.pk}") or every
                if c in DUPLICATE_CHOICES:
                    choices[rep.item.pk] = c
        if not choices:
            messages.error(request, "请为重复的报告选择处理方式。")
        else:
            done = resolve_batch(batch, choices, request.user, visible_reports(request.user))
            parts = [f"{label}{done[c]}份" for c, label in DuplicateChoice.choices if done[c]]
            messages.success(request, "已处理重复的报告：" + "，".join(parts) + "。")
        return redirect("report_import:batch", pk=batch.pk)
    repeats = batch_repeats(batch, visible_reports(request.user))
    visible = set(visible_reports(request.user).filter(items__batch=batch).values_list("pk", flat=True))
    items = list(
        ImportItem.objects.filter(batch=batch)
        .select_related("report", "report__agency")
        .order_by("id")[:2000]
    )
    for it in items:
        it.visible_report = it.report if it.report_id in visible else None
    pending = sum(1 for it in items if it.status == ItemStatus.PENDING)
    return render(
        request,
        "report_import/batch.html",
        {
            "batch": batch,
            "items": items,
            "pending": pending,
            "repeats": repeats,
            "open_repeats": [r for r in repeats if r.choosable],
            "duplicate_choices": DuplicateChoice.choices,
        },
    )


def _findings_view(report):
    out = []
    for f in report.findings:
        sev = "error" if str(f.get("severity", "error")).lower() == "error" else "warning"
        out.append(
            {
                "severity": sev,
                "severity_label": SEVERITY_LABELS[sev],
                "rule": f.get("rule", ""),
                "message": f.get("message", ""),
                "table": f.get("table") or "",
            }
        )
    out.sort(key=lambda f: (f["severity"] != "error", f["table"]))
    return out


@login_required
def report_detail(request, pk: int):
    require_import_role(request.user)
    report = get_report(request.user, pk)
    sections = section_blocks(report)
    latest_per_year = {}
    for o in (
        visible_reports(request.user)
        .filter(agency=report.agency)
        .exclude(year=report.year)
        .order_by("year", "imported_at", "pk")
    ):
        latest_per_year[o.year] = o
    other_years = [latest_per_year[y] for y in sorted(latest_per_year, reverse=True)]
    return render(
        request,
        "report_import/detail.html",
        {
            "report": report,
            "sections": sections,
            "findings": _findings_view(report),
            "missing": report.missing,
            "other_years": other_years,
            "blank_count": len(report.parsed.get("blank_cells") or []),
            "ocr_cells": _ocr_cells(report),
            "ocr_threshold": LOW_CONFIDENCE,
        },
    )


def _ocr_cells(report) -> list[dict]:
    """Low-confidence OCR cells with their Chinese row/column names (review table)."""
    from .rendering import OCR_STATUS

    low = (report.parsed.get("ocr") or {}).get("low") or []
    if not low or not report.template_id:
        return []
    t = get_template(report.template_id)
    out = []
    for c in low:
        table = c.get("table")
        try:
            tb = t.table(str(table))
            row_label = "—" if table == "review_litigation" else tb.row(c["row"]).label
            col_label = tb.column(c["col"]).label
        except KeyError:
            tb, row_label, col_label = None, "？", "？"
        section = {"applications": "第三部分", "review_litigation": "第四部分"}.get(str(table), "第二部分")
        out.append(
            {
                **c,
                "table_label": f"{section}{tb.caption}"
                if tb is not None and section == "第二部分"
                else section,
                "row_label": row_label,
                "col_label": col_label,
                "status_label": OCR_STATUS.get(c.get("status", ""), "识别置信度低"),
            }
        )
    return out


def _comparison_lines(table_key: str, column: str | None, templates: list[str]):
    """(label, row_key, column_key) lines of one table for the comparison, in the newest
    template's order, then lines only older templates have."""
    seen, lines = set(), []
    for tid in sorted(set(templates), reverse=True):
        t = get_template(tid)
        try:
            tb = t.table(table_key)
        except KeyError:
            continue
        if len(tb.cell_rows) == 1:  # Section 4: one row, the columns are the lines
            r = tb.cell_rows[0]
            for c in tb.value_columns:
                if (r.key, c.key) not in seen:
                    seen.add((r.key, c.key))
                    lines.append((c.qualified_label, r.key, c.key))
        else:
            cols = [c for c in tb.value_columns if column is None or c.key == column] or list(
                tb.value_columns
            )
            for r in tb.cell_rows:
                row_label = r.label or r.key
                if r.parent and r.parent != "results" and tb.section == "applications":
                    row_label = f"{tb.row(r.parent).label}－{row_label}"  # （三）不予公开－1.属于国家秘密
                for c in cols:
                    if (r.key, c.key) not in seen:
                        seen.add((r.key, c.key))
                        label = row_label if len(cols) == 1 else f"{row_label}－{c.label}"
                        lines.append((label, r.key, c.key))
    return lines


@login_required
def compare(request, agency_id: int):
    """One agency's imported reports side by side: same rows, one column per year, with the
    carry-over check (结转) between consecutive years."""
    require_import_role(request.user)
    from gongkai.core.report_parse import audit_carry_over

    agency = get_object_or_404(visible_agencies(request.user), pk=agency_id)
    reports = {}
    for rep in visible_reports(request.user).filter(agency=agency).order_by("year", "imported_at", "pk"):
        reports[rep.year] = rep  # the latest import of each year wins
    if not reports:
        raise Http404("该机关没有已导入的年度报告")
    years = sorted(reports)
    templates = [reports[y].template_id for y in years if reports[y].template_id]
    table_key = request.GET.get("table") or "applications"
    newest = get_template(max(templates)) if templates else get_template("2021")
    table_choices = [
        (tb.key, tb.caption if tb.section == "proactive" else newest.section(tb.section).title)
        for tb in newest.tables
    ]
    if table_key not in {k for k, _ in table_choices}:
        table_key = "applications"
    column = request.GET.get("column") or ("total" if table_key == "applications" else None)
    column_choices = []
    if table_key == "applications":
        column_choices = [(c.key, c.label) for c in newest.applications.value_columns]
        if column not in {k for k, _ in column_choices}:
            column = "total"

    checks, bad_cells = [], set()
    for prev_y, y in zip(years, years[1:], strict=False):
        if y != prev_y + 1:
            checks.append(
                {
                    "years": (prev_y, y),
                    "ok": None,
                    "message": f"{prev_y}年与{y}年之间缺少年度报告，未作结转核对",
                }
            )
            continue
        p, t = reports[prev_y], reports[y]
        if not t.template_id or not p.template_id:
            continue
        found = audit_carry_over(
            {"year": p.year, "template": p.template_id, "tables": p.tables},
            {"year": t.year, "template": t.template_id, "tables": t.tables},
        )
        for f in found:
            for c in f.get("cells") or []:
                if isinstance(c, list | tuple) and len(c) == 2:
                    bad_cells.add((y, c[0], c[1]))
        if any(f.get("severity") == "error" for f in found) or found:
            checks.append(
                {"years": (prev_y, y), "ok": False, "message": "；".join(f["message"] for f in found)}
            )
        else:
            checks.append(
                {
                    "years": (prev_y, y),
                    "ok": True,
                    "message": f"{y}年“上年结转”与{prev_y}年“结转下年度继续办理”一致",
                }
            )

    rows = []
    for label, rk, ck in _comparison_lines(table_key, column, templates or ["2021"]):
        cells = []
        for y in years:
            rep = reports[y]
            v = (rep.tables.get(table_key) or {}).get(rk, {}).get(ck)
            cls = "ri-error" if (y, rk, ck) in bad_cells else ""
            if cls == "" and table_key == "applications" and rk == "carried_over_from_prior_year":
                cls = "ri-carry"
            cells.append({"value": "—" if v is None else v, "cls": cls})
        rows.append({"label": label, "row": rk, "column": ck, "cells": cells})
    return render(
        request,
        "report_import/compare.html",
        {
            "agency": agency,
            "years": years,
            "reports": [reports[y] for y in years],
            "rows": rows,
            "checks": checks,
            "table_key": table_key,
            "table_choices": table_choices,
            "column": column,
            "column_choices": column_choices,
        },
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def export_csv(request):
    """All cells of the visible imported reports (filters as on the list page) as CSV."""
    require_import_role(request.user)
    qs = visible_reports(request.user)
    if (a := request.GET.get("agency")) and a.isdigit():
        qs = qs.filter(agency_id=int(a))
    if (y := request.GET.get("year")) and y.isdigit():
        qs = qs.filter(year=int(y))
    w = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + w.writerow(COLUMNS)
        for row in iter_cells(qs.order_by("pk").iterator(chunk_size=200)):
            yield w.writerow(row[:-1] + ("1" if row[-1] else "0",))

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="imported-report-cells.csv"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def duplicate(request, pk: int):
    """The report just imported repeats an earlier import: replace it, keep both, or cancel."""
    require_import_role(request.user)
    report = get_report(request.user, pk)
    earlier = earlier_copies(report)
    if not earlier:
        return redirect("report_import:detail", pk=report.pk)
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice not in ("replace", "keep", "cancel"):
            messages.error(request, "请选择处理方式。")
        else:
            kept = resolve(report, choice, request.user)
            text = {
                "replace": "已用本次导入替换此前导入的同一报告。",
                "keep": "两份报告均已保留。",
                "cancel": "已取消本次导入，保留此前导入的报告。",
            }[choice]
            messages.success(request, text)
            if kept is None:
                return redirect("report_import:list")
            return redirect("report_import:detail", pk=kept.pk)
    return render(request, "report_import/duplicate.html", {"report": report, "earlier": earlier})
