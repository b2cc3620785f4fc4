"""Fixtures of the report-import tests: a corpus of real report files and a counting parser."""

from __future__ import annotations

import importlib.util
import json
import threading

import pytest

from gongkai.report_import import batch as batch_mod
from gongkai.report_import.corpus import fixtures_dir

HAVE_PARSER = importlib.util.find_spec("gongkai.core.report_parse") is not None and hasattr(
    importlib.import_module("gongkai.core.report_parse"), "parse_report"
)


def _expected_parser():
    """Stand-in used only until gongkai.core.report_parse lands: reads expected.json by name."""
    exp = json.loads((fixtures_dir() / "expected.json").read_text("utf-8"))["reports"]

    def parse(data, filename):
        entry = next(e for e in exp if filename.endswith(e["file"]))
        rl = entry["review_litigation"]
        return {
            "source": filename,
            "agency": entry["agency"],
            "year": entry["year"],
            "template": entry["template"],
            "tables": {"applications": entry["applications"], "review_litigation": {"count": rl}},
            "text_sections": {},
            "fees": {},
            "missing": [],
            "blank_cells": entry.get("blank_cells") or {},
            "findings": [],
        }

    return parse


class CountingParser:
    def __init__(self, inner):
        self.inner = inner
        self.calls: list[str] = []
        self.fail_on: dict[int, BaseException] = {}
        self._lock = threading.Lock()

    def __call__(self, data, filename):
        with self._lock:
            self.calls.append(filename)
            n = len(self.calls)
        if n in self.fail_on:
            raise self.fail_on[n]
        return self.inner(data, filename)


@pytest.fixture
def parser(monkeypatch):
    if HAVE_PARSER:
        from gongkai.core.report_parse import parse_report as inner
    else:
        inner = _expected_parser()
    p = CountingParser(inner)
    monkeypatch.setattr(batch_mod, "_parser", lambda: p)
    return p
