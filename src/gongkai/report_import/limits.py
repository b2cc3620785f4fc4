"""The limited parse of report files (年报文件在受限子进程中解析); limits: :mod:`gongkai.limits`."""

from __future__ import annotations

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


def parse_limited(parse, data: bytes, filename: str) -> dict:
    """``parse(data, filename)`` in a limited child process (also in the demo and tests); raises
    :class:`gongkai.core.sandbox.LimitedRunFailed` with a Chinese reason when it fails."""
    return run_child(checked_parse, parse, data, filename, import_limits(), expected=(ImportRejected,)).value
