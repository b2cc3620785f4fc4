"""Console start-up and a fresh app server worker's first PDF (issue 12).

Figures (wall time of a new process, medians of ``RUNS``):
- ``gongkai deadline --received 2026-09-28`` and ``gongkai import-report <one text report>``:
  goal ≤ 0.8 s each (no system checks, heavy modules imported where they are used);
- the first report PDF in a fresh process after the worker warm-up of ``gongkai.config.gunicorn``
  (``core.report_render.pdf.warm_up``): goal ≤ 1.5 s; beside it the same first PDF without the
  warm-up (what a cold worker's first visitor waited for) and a warm one.
The processes use ``DATABASE_URL`` as given (``make bench``: the server's ``postgres`` database; the
deadline command then reads the package calendar only).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5
ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "data" / "reports" / "2019_pingtan-htpq_flattext.txt"

FIRST_PDF = """
import json, time
t0 = time.perf_counter()
if WARM:
    from gongkai.core.report_render.pdf import warm_up
    warm_up()
t1 = time.perf_counter()
from gongkai.core.report_compute import build_report
from gongkai.core.report_render import render_pdf
report = build_report("基准测试局", 2023, text_sections={"overview": "概述。"})
t2 = time.perf_counter()
render_pdf(report)
t3 = time.perf_counter()
render_pdf(report)
t4 = time.perf_counter()
print(json.dumps({"warm_up": t1 - t0, "first": t3 - t2, "second": t4 - t3}))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.config.settings", "GONGKAI_LOG_LEVEL": "WARNING"}


def _wall(args: list[str]) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system of the process and its children; on a
    shared machine the CPU time shows the work while the wall time also shows the waiting)."""
    times, cpu = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(args, env=_env(), cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if out.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return statistics.median(times), statistics.median(cpu)


def _first_pdf(warm: bool) -> dict[str, float]:
    runs = []
    for _ in range(3):
        code = f"WARM = {warm}\n{FIRST_PDF}"
        out = subprocess.run(
            [sys.executable, "-c", code], env=_env(), cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def run() -> list[dict]:
    gongkai = [sys.executable, "-m", "gongkai.cli"]
    warm = _first_pdf(True)
    cold = _first_pdf(False)
    deadline = _wall([*gongkai, "deadline", "--received", "2026-09-28"])
    imported = _wall([*gongkai, "import-report", str(REPORT)])
    version = _wall([*gongkai, "version"])
    return [
        {
            "name": "console gongkai deadline",
            "median_s": deadline[0],
            "goal_s": 0.8,
            "note": f"new process, wall; CPU {deadline[1]:.2f} s; median of {RUNS}",
        },
        {
            "name": "console gongkai import-report (one text report)",
            "median_s": imported[0],
            "goal_s": 0.8,
            "note": f"{REPORT.name}, parsed in the limited child; CPU {imported[1]:.2f} s; median of {RUNS}",
        },
        {
            "name": "console gongkai version (start-up only)",
            "median_s": version[0],
            "note": f"Django set-up of every app; CPU {version[1]:.2f} s",
        },
        {
            "name": "report PDF, first in a fresh worker after its warm-up",
            "median_s": warm["first"],
            "goal_s": 1.5,
            "note": f"warm-up at worker start {warm['warm_up']:.2f} s; median of 3 processes",
        },
        {
            "name": "report PDF, first in a fresh process without warm-up",
            "median_s": cold["first"],
            "note": "what a cold worker's first visitor waited for",
        },
        {
            "name": "report PDF, second in the same process (warm)",
            "median_s": cold["second"],
            "goal_s": 1.0,
        },
    ]


if __name__ == "__main__":
    for fig in run():
        print(fig)
