"""Fixtures of the report-import tests: a corpus of real report files and a counting parser."""

from __future__ import annotations

import fcntl
import importlib.util
import json
from pathlib import Path

import pytest

from gongkai.report_import import batch as batch_mod
from gongkai.report_import.corpus import fixtures_dir

HAVE_PARSER = importlib.util.find_spec("gongkai.core.report_parse") is not None and hasattr(
    importlib.import_module("gongkai.core.report_parse"), "parse_report"
)


def _expected_parser():
    """Stand-in used only until gongkai.core.report_parse lands: reads expected.json by name."""
    exp = json.loads((fixtures_dir() / "expected.json").read_text("utf-8"))["reports"]

    def parse(data, filename, **_kwargs):
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
    """Counts parser calls across processes: each parse runs in a forked child (the limited
    parse), so the calls are appended, under a file lock, to a log file all processes share."""

    def __init__(self, inner, log: Path):
        self.inner = inner
        self.log = log
        self.fail_on: dict[int, BaseException] = {}

    @property
    def calls(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines() if self.log.exists() else []

    def __call__(self, data, filename, **kwargs):
        with self.log.open("a+", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            n = len(f.read().splitlines()) + 1
            f.write(filename + "\n")
            f.flush()
            fcntl.flock(f, fcntl.LOCK_UN)
        if n in self.fail_on:
            raise self.fail_on[n]
        return self.inner(data, filename, **kwargs)


@pytest.fixture
def parser(monkeypatch, tmp_path):
    if HAVE_PARSER:
        from gongkai.core.report_parse import parse_report as inner
    else:
        inner = _expected_parser()
    p = CountingParser(inner, tmp_path / "parser-calls.log")
    monkeypatch.setattr(batch_mod, "_parser", lambda: p)
    return p
