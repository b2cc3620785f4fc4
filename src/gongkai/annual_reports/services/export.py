"""Report downloads: ReportData -> file bytes through ``core.report_render`` (H5a's renderers)."""

from __future__ import annotations

from gongkai.core.report_data import ReportData

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json; charset=utf-8", "json"),
}


def render(data: ReportData, fmt: str) -> bytes:
    """The report in ``fmt`` (html | pdf | docx | csv | json) as bytes (text formats UTF-8;
    CSV with a BOM so spreadsheet programs read the Chinese correctly)."""
    from gongkai.core import report_render as rr

    if fmt == "html":
        return rr.render_html(data).encode("utf-8")
    if fmt == "pdf":
        return rr.render_pdf(data)
    if fmt == "docx":
        return rr.render_docx(data)
    if fmt == "csv":
        return ("\ufeff" + rr.render_csv(data)).encode("utf-8")
    if fmt == "json":
        return rr.render_json(data).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(FORMATS)}")


def filename(data: ReportData, fmt: str, version: int | None = None) -> str:
    return file_name(data.agency_name, data.year, fmt, version)


def file_name(agency_name: str, year: int, fmt: str, version: int | None = None) -> str:
    """e.g. 某某局2025年政府信息公开工作年度报告（第2版）.pdf (the title of ``report_title``)."""
    suffix = f"（第{version}版）" if version and version > 1 else ""
    return f"{agency_name}{year}年政府信息公开工作年度报告{suffix}.{FORMATS[fmt][1]}"
