"""Plain text of a disclosed document's file (DOCX / PDF / HTML / TXT) for search — no Django.

Runs inside the limited child (:func:`gongkai.limits.run_child`): DOCX is measured by
:func:`gongkai.core.untrusted.check_office_file` before python-docx opens it. Images carry no text
layer; they are kept without text (a note says so), never guessed.
"""

from __future__ import annotations

import re

from .report_parse.normalize import decode_bytes, detect_kind, docx_to_text, html_to_text, pdf_to_text
from .untrusted import DEFAULT_LIMITS, Limits, check_office_file

IMAGE_NOTE = "图片文件，未提取文字"
LEGACY_NOTE = "旧版 Office / WPS 文件（DOC、XLS、WPS、ET），未提取文字"
LEGACY_SUFFIXES = (".doc", ".xls", ".wps", ".et")
_TABLE_LINE = re.compile(r"^\|\s*(.*?)\s*\|$")


def _tidy(text: str) -> str:
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _TABLE_LINE.match(line.strip())
        if m:
            line = "  ".join(c.strip() for c in m.group(1).split("|"))
        line = line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def extract_text(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, str]:
    """``(text, note)``: the file's text, and a Chinese note when none could be taken."""
    name = (filename or "").lower()
    if name.endswith(LEGACY_SUFFIXES):  # binary formats: never decoded as text
        return "", LEGACY_NOTE
    if name.endswith(".xlsx"):
        check_office_file(data, "xlsx", limits)
        return _tidy(xlsx_to_text(data)), ""
    kind = detect_kind(data, filename)
    if kind == "image":
        return "", IMAGE_NOTE
    if kind == "docx":
        check_office_file(data, "docx", limits)
        text, _images = docx_to_text(data)
    elif kind == "pdf":
        text, _images = pdf_to_text(data)
        if not text.strip():
            return "", "PDF 文件没有文字层（可能为扫描件），未提取文字"
    elif kind == "html":
        text, _images = html_to_text(decode_bytes(data))
    else:
        text = decode_bytes(data)
    return _tidy(text), ""


def xlsx_to_text(data: bytes) -> str:
    """Every sheet's non-empty cells, a line per row (cells separated by two spaces)."""
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    try:
        for ws in wb.worksheets:
            lines.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
                if cells:
                    lines.append("  ".join(cells))
    finally:
        wb.close()
    return "\n".join(lines)
