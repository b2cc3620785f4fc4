"""Annual report engine: GROUP BY of 100,000 application facts, validation, and rendering.

Figures: ``application_counts`` over 100k random application histories (report year 2023);
``validate`` of a full 2021-format report; HTML, DOCX and PDF rendering of the same report
(PDF: WeasyPrint with HarfBuzz subsetting, 3 A4 pages). Medians of repeated runs.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from gongkai.core.report_compute import ApplicationFact, application_counts, build_report
from gongkai.core.report_render import render_docx, render_html, render_pdf
from gongkai.core.report_rules import validate
from gongkai.core.report_schema import applicant_type_choices, outcome_choices

N = 100_000


def _facts(n: int, seed: int = 2026) -> list[ApplicationFact]:
    rng = random.Random(seed)
    applicants = [k for k, _ in applicant_type_choices()]
    outcomes = [k for k, _ in outcome_choices("2021")]
    start = date(2021, 1, 1)
    out = []
    for _ in range(n):
        received = start + timedelta(days=rng.randrange(4 * 365))
        closed = received + timedelta(days=rng.randrange(60)) if rng.random() < 0.9 else None
        out.append(
            ApplicationFact(
                rng.choice(applicants), received, closed, rng.choice(outcomes) if closed else None
            )
        )
    return out


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> list[dict]:
    facts = _facts(N)
    report = build_report(
        "基准测试局", 2023, application_facts=facts[:5000], text_sections={"overview": "概述。"}
    )
    render_pdf(report)  # warm fonts
    return [
        {
            "name": "report_application_counts_100k",
            "median_s": _median(lambda: application_counts(facts, 2023), 5),
            "goal_s": 1.0,
            "note": f"{N} application histories, GROUP BY (row, applicant type) for 2023",
        },
        {"name": "report_validate", "median_s": _median(lambda: validate(report), 20), "goal_s": 0.05},
        {"name": "report_render_html", "median_s": _median(lambda: render_html(report), 20), "goal_s": 0.05},
        {"name": "report_render_docx", "median_s": _median(lambda: render_docx(report), 5), "goal_s": 0.3},
        {
            "name": "report_render_pdf",
            "median_s": _median(lambda: render_pdf(report), 3),
            "goal_s": 1.0,
            "note": "WeasyPrint, 3 A4 pages, Noto CJK subset by HarfBuzz",
        },
    ]
