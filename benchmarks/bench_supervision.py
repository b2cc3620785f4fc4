"""Supervision dashboard (监督概览) on PostgreSQL: 1,000,000 applications across 2,000 agencies.

Needs ``DATABASE_URL`` (PostgreSQL). Creates its own database ``gk_bench_supervision``, loads the
same bulk dataset as ``bench_reports`` (one city, 15 districts, 2,000 agencies, 500 applications
per agency over 2022–2024, 6 % open, 20,000 appeals) plus a stored ``due_date`` (receipt + 28
days) and a city and a district supervisor, and drops it at the end (``GK_BENCH_KEEP=1`` keeps it).

Figures (year 2023, "today" 2024-12-20, medians):
- ``city_dashboard_data``: every figure of every agency and subtotal of the whole city
  (``workbench.views.supervision.dashboard``, 2,000 agencies) — goal ≤ 2 s;
- ``city_dashboard_page``: the whole HTTP page for the city supervisor (queries + 2,000-row
  table render) — goal ≤ 3 s;
- ``district_dashboard_data``: one district (~133 agencies) — goal ≤ 1 s;
with ``baseline_s`` = ONE hand-written SQL ``GROUP BY agency_id`` with four of the year's filtered
counts over the same rows, measured in the same run; ratio goal ≤ 3× (the dashboard adds the
current clock counts, outcome groups, monthly counts, working days to answer, appeals and the
tree layout). Both need one sequential scan of the table on a 2-core machine, so the absolute
figures follow the machine's load.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

BENCH_DB = "gk_bench_supervision"
YEAR = 2023
TODAY = dt.date(2024, 12, 20)
RUNS = 5


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _loaded(info: dict) -> bool:
    import psycopg

    try:
        with psycopg.connect(**{**{k: v for k, v in info.items() if v is not None}, "dbname": BENCH_DB}) as c:
            return c.execute("SELECT count(*) FROM applications_application").fetchone()[0] > 0
    except psycopg.Error:
        return False


def _load_extra(cursor) -> None:
    cursor.execute("UPDATE applications_application SET due_date = received_date + 28")
    cursor.execute("ANALYZE applications_application")


def _users():
    from django.contrib.auth import get_user_model

    from gongkai.agencies.models import Agency, Membership, Role

    User = get_user_model()
    city = Agency.objects.get(pk=1)
    district = Agency.objects.get(pk=2)
    out = []
    for name, agency in (("bench_city_sup", city), ("bench_district_sup", district)):
        u, _ = User.objects.get_or_create(username=name)
        Membership.objects.get_or_create(user=u, agency=agency, role=Role.SUPERVISOR)
        out.append(u)
    return out


BASELINE_SQL = """
SELECT agency_id,
       count(*) FILTER (WHERE received_date BETWEEN %(start)s AND %(end)s) AS received,
       count(*) FILTER (WHERE answered_on BETWEEN %(start)s AND %(end)s) AS answered,
       count(*) FILTER (WHERE answered_on BETWEEN %(start)s AND %(end)s AND answered_on <= due_date) AS on_time,
       count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s AND outcome <> '') AS concluded
FROM applications_application
WHERE agency_id IN (SELECT id FROM agencies_agency WHERE path LIKE %(prefix)s)
  AND (received_date BETWEEN %(start)s AND %(end)s OR answered_on BETWEEN %(start)s AND %(end)s
       OR closed_on BETWEEN %(start)s AND %(end)s)
GROUP BY agency_id
"""


def run() -> list[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_supervision: DATABASE_URL (PostgreSQL) is not set; skipped")
        return []
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.bench_reports import _admin, _admin_conninfo, _load

    info = _admin_conninfo(url)
    original = connection.settings_dict["NAME"]
    keep = os.environ.get("GK_BENCH_KEEP") == "1"
    connection.close()
    t_load = 0.0
    if not (keep and _loaded(info)):
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)
        _admin(
            f"CREATE DATABASE {BENCH_DB} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
            info,
        )
        connection.settings_dict["NAME"] = BENCH_DB
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            _load(cur)
            _load_extra(cur)
        t_load = time.perf_counter() - t0
    connection.settings_dict["NAME"] = BENCH_DB
    try:
        return _measure(t_load)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        if not keep:
            _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)


def _measure(t_load: float) -> list[dict]:
    from unittest import mock

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application
    from gongkai.workbench import clock
    from gongkai.workbench.views import supervision

    city_user, district_user = _users()
    city, district = Agency.objects.get(pk=1), Agency.objects.get(pk=2)
    n_apps = Application.objects.count()
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)

    def baseline(prefix: str):
        with connection.cursor() as cur:
            cur.execute(BASELINE_SQL, {"start": start, "end": end, "prefix": prefix})
            return cur.fetchall()

    def data(user):
        for attr in ("_gongkai_memberships",):
            if hasattr(user, attr):
                delattr(user, attr)
        return supervision.dashboard(user, YEAR, TODAY)

    # correctness guard: the dashboard's year counts equal the hand-written GROUP BY
    d = data(city_user)
    rows = baseline(city.path + "%")
    assert d["total"].received == sum(r[1] for r in rows)
    assert d["total"].answered == sum(r[2] for r in rows)
    assert d["total"].on_time == sum(r[3] for r in rows)
    assert d["total"].concluded == sum(r[4] for r in rows)
    assert len([r for r in d["rows"] if r.kind == "agency"]) == Agency.objects.count()

    city_s = _median(lambda: data(city_user), RUNS)
    city_b = _median(lambda: baseline(city.path + "%"), RUNS)
    district_s = _median(lambda: data(district_user), RUNS * 2)
    district_b = _median(lambda: baseline(district.path + "%"), RUNS * 2)

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(city_user)
    with mock.patch.object(clock, "today", lambda: TODAY):
        assert client.get("/workbench/supervision/", {"year": YEAR}).status_code == 200
        page_s = _median(lambda: client.get("/workbench/supervision/", {"year": YEAR}), RUNS)
    note = f"{n_apps:,} applications, {Agency.objects.count()} agencies, year {YEAR}; load {t_load:.1f} s"
    return [
        {
            "name": "city_dashboard_data",
            "median_s": city_s,
            "goal_s": 2.0,
            "baseline_s": city_b,
            "ratio": city_s / city_b,
            "note": note + "; ratio goal ≤ 3×",
        },
        {
            "name": "city_dashboard_page",
            "median_s": page_s,
            "goal_s": 3.0,
            "note": "whole HTTP response incl. 2,000+ table rows and chart data",
        },
        {
            "name": "district_dashboard_data",
            "median_s": district_s,
            "goal_s": 1.0,
            "baseline_s": district_b,
            "ratio": district_s / district_b,
            "note": "one district subtree; ratio goal ≤ 3×",
        },
    ]
