"""Issue 8: malformed files through the import path — 0 crashes, 0 items left pending.

The suite runs 200 files (40 of each kind); ``make fuzz`` runs 10,000."""

from __future__ import annotations

import os

import pytest

from gongkai.report_import.fuzz import make_files, run

pytestmark = pytest.mark.django_db

N = int(os.environ.get("GONGKAI_FUZZ_FILES", "200"))
WORKERS = int(os.environ.get("GONGKAI_FUZZ_WORKERS", "1"))


def test_generated_files_are_deterministic(tmp_path):
    a = make_files(tmp_path / "a" / "reports", 25, seed=3)
    b = make_files(tmp_path / "b" / "reports", 25, seed=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert {p.suffix for p in a} == {".txt", ".html", ".docx", ".pdf", ".zip"}


def test_malformed_files_never_crash_nor_stay_pending(tmp_path, settings):
    # a short limit keeps the suite quick: pathological files end "limited", which is the point
    settings.GONGKAI_PARSE_TIMEOUT = float(os.environ.get("GONGKAI_FUZZ_TIMEOUT", "3"))
    res = run(N, workers=WORKERS, workdir=tmp_path)
    assert res["crashed"] == 0, (res["escaped"], res["examples"].get("crashed"))
    assert res["pending"] == 0
    assert res["items"] + res["outcomes"].get("zip_refused", 0) >= N * 4 // 5
    assert res["outcomes"].get("refused", 0) > 0 and res["outcomes"].get("zip_refused", 0) > 0
    print(res)
