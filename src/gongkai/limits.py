"""Settings-driven limits for untrusted files, and the limited child process that reads them.

Every cap is a setting (the reference is silent; the defaults are this project's choice):

- ``GONGKAI_UNTRUSTED_LIMITS``: overrides of :class:`gongkai.core.untrusted.Limits` fields
  (member count, per-member and total expanded bytes, XML depth and element count);
- ``GONGKAI_PARSE_MEMORY_MB`` (default 1024): address space a parse may add to its process;
- ``GONGKAI_PARSE_TIMEOUT`` (default 180 s: OCR of a scanned report is slow): wall-clock limit of one parse.

:func:`run_child` runs a function in a forked child inside those limits
(:mod:`gongkai.core.sandbox`): in Celery workers, and in the demo and tests too, where Celery is
eager — the web or command process only waits for the child, it never parses.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings

from gongkai.core.sandbox import MB, LimitedResult, run_limited
from gongkai.core.untrusted import Limits, UnsafeFile


def untrusted_limits() -> Limits:
    overrides = getattr(settings, "GONGKAI_UNTRUSTED_LIMITS", None) or {}
    return dataclasses.replace(Limits(), **overrides)


def parse_memory_bytes() -> int:
    return int(getattr(settings, "GONGKAI_PARSE_MEMORY_MB", 1024)) * MB


def parse_timeout() -> float:
    return float(getattr(settings, "GONGKAI_PARSE_TIMEOUT", 180))


def run_child(fn, *args, expected: tuple[type[BaseException], ...] = ()) -> LimitedResult:
    """``fn(*args)`` in a limited child; :class:`UnsafeFile` and ``expected`` exceptions come
    back as ``LimitedRunFailed(kind="rejected")`` with their (Chinese) message."""
    return run_limited(
        fn,
        *args,
        memory_bytes=parse_memory_bytes(),
        timeout=parse_timeout(),
        expected=(UnsafeFile, *expected),
    )
