"""`make bench`: run every ``benchmarks/bench_*.py`` module and print its figures.

Each module defines ``run() -> list[dict]``; each dict is one measured figure with at least
``name``, ``median_s`` (median of repeated runs) and optionally ``goal_s``, ``baseline_s`` /
``ratio`` (against a baseline measured in the same run) and ``note``. Results are also written
to ``benchmarks/results/latest.json``. Select modules with ``python -m benchmarks deadlines``.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        # `python -m benchmarks import` runs bench_import only; a name with no exact match is a
        # substring filter (`python -m benchmarks report` runs bench_report and bench_reports).
        exact = [n for n in names if n.removeprefix("bench_") in argv]
        names = exact or [n for n in names if any(a in n for a in argv)]
    results: dict[str, list[dict]] = {}
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        figures = module.run()
        results[name] = figures
        for f in figures:
            parts = [f"  {f['name']}: median {f['median_s'] * 1000:.1f} ms"]
            if f.get("goal_s") is not None:
                ok = "meets" if f["median_s"] <= f["goal_s"] else "MISSES"
                parts.append(f"goal {f['goal_s'] * 1000:.0f} ms ({ok})")
            if f.get("ratio") is not None:
                parts.append(f"ratio {f['ratio']:.2f}x vs baseline {f.get('baseline_s', 0) * 1000:.1f} ms")
            if f.get("note"):
                parts.append(str(f["note"]))
            print("; ".join(parts), flush=True)
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
