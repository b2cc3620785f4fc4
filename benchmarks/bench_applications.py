"""Casework services (依申请公开) on PostgreSQL: intake, transitions, concurrent numbering, re-derivation.

Needs ``DATABASE_URL`` (PostgreSQL). Creates its own database ``gk_bench_applications``, migrates
it and drops it at the end. Figures (medians):

- ``submit_application``: one online submission (validation, locked counter, row, first event,
  due date) — goal ≤ 50 ms;
- ``transition_accept``: one workflow transition (row lock, checks, event, re-derivation) — goal ≤ 50 ms;
- ``concurrent_50_submissions``: wall time of 50 threads submitting at once to one agency
  (serialised by the counter row lock; checked gap-free) — goal ≤ 5 s;
- ``rederive_5000_open_cases``: ``rederive_open_cases()`` after a calendar change, 5,000 open
  cases — goal ≤ 5 s.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import threading
import time
import zoneinfo

BENCH_DB = "gk_bench_applications"
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DATA = {
    "applicant_type": "natural_person",
    "applicant_name": "测试申请人",
    "id_document_number": "110101199003071234",
    "phone": "13800000000",
    "email": "bench@example.cn",
    "description": "2025年度本区老旧小区改造项目清单",
}


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> list[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_applications: DATABASE_URL (PostgreSQL) is not set; skipped")
        return []
    from benchmarks.scratchdb import migrated_database

    with migrated_database(BENCH_DB):
        return _measure()


def _measure() -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connections

    from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
    from gongkai.applications.models import Application
    from gongkai.applications.services import rederive_open_cases, submit_application, transition

    agency = Agency.objects.create(name="基准测试局", kind=AgencyKind.DEPARTMENT, tracking_prefix="基准依申")
    busy = Agency.objects.create(name="并发测试局", kind=AgencyKind.DEPARTMENT, tracking_prefix="并发依申")
    registrar = get_user_model().objects.create_user("bench_registrar")
    Membership.objects.create(user=registrar, agency=agency, role=Role.REGISTRAR)
    when = dt.datetime(2026, 3, 2, 10, tzinfo=TZ)

    submitted = []

    def submit():
        submitted.append(submit_application(agency, DATA, channel="internet", submitted_at=when))

    submit()  # warm-up (calendar cache, imports)
    t_submit = _median(submit, 100)

    pending = list(submitted)

    def accept():
        transition(pending.pop(), "accept", registrar, effective_date=dt.date(2026, 3, 3))

    t_accept = _median(accept, 50)

    def concurrent():
        errors = []
        barrier = threading.Barrier(50)

        def worker():
            try:
                barrier.wait(timeout=30)
                submit_application(busy, DATA, channel="internet", submitted_at=when)
            except Exception as exc:  # noqa: BLE001 - every failure is counted below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise RuntimeError(errors[0])

    t_conc = _median(concurrent, 3)
    serials = list(
        Application.objects.filter(agency=busy).order_by("serial").values_list("serial", flat=True)
    )
    assert serials == list(range(1, len(serials) + 1)), "tracking numbers must be gap-free"

    # 5,000 open cases received over three months (bulk copies of one registered application).
    proto = Application.objects.filter(agency=agency).order_by("serial").first()
    start = Application.objects.filter(agency=agency).count()
    rows = []
    for i in range(5000):
        serial = start + i + 1
        rows.append(
            Application(
                **{
                    f.attname: getattr(proto, f.attname)
                    for f in Application._meta.concrete_fields
                    if f.attname not in ("id", "serial", "tracking_number", "received_date", "due_date")
                },
                serial=serial,
                tracking_number=f"基准依申〔2026〕{serial:05d}号",
                received_date=dt.date(2026, 1, 5) + dt.timedelta(days=i % 90),
            )
        )
    Application.objects.bulk_create(rows, batch_size=1000)
    n_open = Application.objects.filter(agency=agency, state__in=["registered", "in_handling"]).count()
    t_rederive = _median(lambda: rederive_open_cases([agency.pk]), 3)

    return [
        {
            "name": "submit_application",
            "median_s": t_submit,
            "goal_s": 0.05,
            "note": "online submission, 100 runs",
        },
        {"name": "transition_accept", "median_s": t_accept, "goal_s": 0.05, "note": "50 runs"},
        {
            "name": "concurrent_50_submissions",
            "median_s": t_conc,
            "goal_s": 5.0,
            "note": f"50 threads, one agency; {len(serials)} numbers gap-free",
        },
        {
            "name": "rederive_5000_open_cases",
            "median_s": t_rederive,
            "goal_s": 5.0,
            "note": f"{n_open:,} open cases",
        },
    ]
