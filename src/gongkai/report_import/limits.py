"""The limited parse of report files (年报文件在受限子进程中解析); limits: :mod:`gongkai.limits`."""

from __future__ import annotations

import functools

from gongkai.core.untrusted import Limits, check_office_file
from gongkai.limits import run_child, untrusted_limits

from .services import ImportRejected

import_limits = untrusted_limits


def office_kind(data: bytes, filename: str) -> str | None:
    """``docx`` for a DOCX by name, or for a zip container not named as another report type."""
    name = filename.lower()
    if name.endswith(".docx"):
        return "docx"
    if data[:4] == b"PK\x03\x04" and not name.endswith((".txt", ".html", ".htm", ".pdf")):
        return "docx"
    return None


def checked_parse(parse, data: bytes, filename: str, limits: Limits) -> dict:
    """Runs in the child: refuse office files beyond the limits, then parse."""
    kind = office_kind(data, filename)
    if kind:
        check_office_file(data, kind, limits)
    return dict(parse(data, filename))


_WARM_SAMPLE = (
    "某市人民政府2025年政府信息公开工作年度报告\n一、总体情况\n| 本年新收政府信息公开申请数量 | 1 |\n"
)


def _warm_kind(data: bytes, filename: str) -> str:
    name = filename.lower()
    if office_kind(data, filename):
        return "docx"
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        return "pdf"
    if name.endswith((".html", ".htm")):
        return "html"
    return "text"


@functools.cache
def warm_up(kind: str = "all") -> None:
    """Load the parser's modules and caches once in this (parent) process, so every forked child
    starts warm: a cold child re-imports python-docx, pdfplumber, lxml and OpenCC (about 4x the
    parse time of a real report). ``kind`` (text | html | docx | pdf | all) limits the imports to
    what that kind of file needs: a console import of one text file does not load pdfplumber."""
    if kind in ("docx", "all"):
        import docx  # noqa: F401
    if kind in ("html", "docx", "all"):
        import lxml.html  # noqa: F401
    if kind in ("pdf", "all"):
        import pdfplumber  # noqa: F401

    from gongkai.core.report_parse import parse_report

    parse_report(_WARM_SAMPLE.encode(), "warm-up.txt")


def parse_limited(parse, data: bytes, filename: str) -> dict:
    """``parse(data, filename)`` in a limited child process (also in the demo and tests); raises
    :class:`gongkai.core.sandbox.LimitedRunFailed` with a Chinese reason when it fails."""
    warm_up(_warm_kind(data, filename))
    return run_child(checked_parse, parse, data, filename, import_limits(), expected=(ImportRejected,)).value
