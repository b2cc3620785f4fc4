"""Report import throughput: parse + audit of the fixture set (text and HTML reports), one core.

Goal: ≥ 200 reports/s per core, i.e. a median of ≤ 5 ms per report. Each run parses every
fixture report once (``parse_report`` on the bytes, in one process = one core); the figure is
the median over ``RUNS`` runs of (run time / number of reports). A first warm-up run loads
OpenCC, lxml and the schema. The split cache of glued digit runs is cleared before every run so
repeated runs do not profit from each other.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

RUNS = 7
HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "data" / "reports"


def _files() -> list[tuple[str, bytes]]:
    return [
        (p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir()) if p.suffix in (".txt", ".html", ".htm")
    ]


def run() -> list[dict]:
    from gongkai.core.report_parse import extract, parse_report

    files = _files()
    for name, data in files:  # warm-up
        parse_report(data, name)
    per_report: list[float] = []
    per_report_cpu: list[float] = []
    for _ in range(RUNS):
        extract._split_cached.cache_clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for name, data in files:
            parse_report(data, name)
        per_report.append((time.perf_counter() - t0) / len(files))
        per_report_cpu.append((time.process_time() - c0) / len(files))
    med = statistics.median(per_report)
    med_cpu = statistics.median(per_report_cpu)
    return [
        {
            "name": f"parse+audit per report ({len(files)} fixture reports, wall)",
            "median_s": med,
            "goal_s": 1 / 200,
            "note": f"{1 / med:.0f} reports/s per core; median of {RUNS} runs",
        },
        {
            "name": "parse+audit per report (CPU time of this process)",
            "median_s": med_cpu,
            "goal_s": 1 / 200,
            "note": f"{1 / med_cpu:.0f} reports/s per core",
        },
    ]


if __name__ == "__main__":
    for fig in run():
        print(fig)
