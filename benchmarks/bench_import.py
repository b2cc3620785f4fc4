"""Report import throughput: parse + audit of the fixture set (text and HTML reports), one core.

Goal: ≥ 200 reports/s per core, i.e. a median of ≤ 5 ms per report. Each run parses every
fixture report once (``parse_report`` on the bytes, in one process = one core); the figure is
the median over ``RUNS`` runs of (run time / number of reports). A first warm-up run loads
OpenCC, lxml and the schema. The split cache of glued digit runs is cleared before every run so
repeated runs do not profit from each other.

Baseline, measured in the same run, alternating with the parse runs (so machine load weighs on
both alike): the least any reader of these files must do — decode the bytes and find every figure
(``re.findall`` of digit runs) and every line. ``ratio`` = parse + audit time / baseline time; on
a loaded machine the reports/s fall but the ratio stays put.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

RUNS = 9
HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "data" / "reports"
_FIGURE = re.compile(r"\d+")


def _files() -> list[tuple[str, bytes]]:
    return [
        (p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir()) if p.suffix in (".txt", ".html", ".htm")
    ]


BASE_REPEAT = 20  # baseline passes per run (one pass is too short to time on a busy machine)


def _baseline(files: list[tuple[str, bytes]]) -> int:
    n = 0
    for _ in range(BASE_REPEAT):
        for _name, data in files:
            text = data.decode("utf-8", "replace")
            n += len(_FIGURE.findall(text)) + len(text.split("\n"))
    return n


def run() -> list[dict]:
    from gongkai.core.report_parse import extract, parse_report

    files = _files()
    for name, data in files:  # warm-up
        parse_report(data, name)
    _baseline(files)
    per_report: list[float] = []
    per_report_cpu: list[float] = []
    base: list[float] = []
    base_cpu: list[float] = []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        _baseline(files)
        base.append((time.perf_counter() - t0) / len(files) / BASE_REPEAT)
        base_cpu.append((time.process_time() - c0) / len(files) / BASE_REPEAT)
        extract._split_cached.cache_clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for name, data in files:
            parse_report(data, name)
        per_report.append((time.perf_counter() - t0) / len(files))
        per_report_cpu.append((time.process_time() - c0) / len(files))
    med, med_cpu = statistics.median(per_report), statistics.median(per_report_cpu)
    b, b_cpu = statistics.median(base), statistics.median(base_cpu)
    return [
        {
            "name": f"parse+audit per report ({len(files)} fixture reports, wall)",
            "median_s": med,
            "goal_s": 1 / 200,
            "baseline_s": b,
            "ratio": med / b,
            "note": f"{1 / med:.0f} reports/s per core; median of {RUNS} runs; baseline = decode + find figures",
        },
        {
            "name": "parse+audit per report (CPU time of this process)",
            "median_s": med_cpu,
            "goal_s": 1 / 200,
            "baseline_s": b_cpu,
            "ratio": med_cpu / b_cpu,
            "note": f"{1 / med_cpu:.0f} reports/s per core",
        },
    ]


if __name__ == "__main__":
    for fig in run():
        print(fig)
