"""Annual report from live data on PostgreSQL: 1,000,000 applications across 2,000 agencies.

Needs ``DATABASE_URL`` (PostgreSQL; its server and credentials are used). The bench creates its
own database ``gk_bench``, migrates it, bulk-loads the rows with ``INSERT … SELECT
generate_series`` and drops it at the end.

Data: one city government (the root) with 15 district governments, each with ~132 departments
and townships (2,000 agencies); 500 applications per agency, received 2022-01-01 … 2024-12-31,
closed 0–60 days later (6 % still open), random applicant type and 2021 outcome; plus 20,000
appeals and 20,000 Art. 20 counts.

Figures (report year 2023, medians):
- ``city_subtree_report``: ``compute_report(city, 2023, subtree=True)`` — Sections 2, 3, 4 and
  the fee line over all 2,000 agencies (goal ≤ 1 s);
- ``single_agency_report``: ``compute_report(department, 2023)`` (goal ≤ 100 ms);
each with ``baseline_s`` = ONE hand-written SQL ``GROUP BY applicant_type, outcome`` with the four
Section 3 filtered counts over the same rows (the subtree by path, one agency by id), measured
in the same run interleaved with the report (both warmed on every agency first), and ``ratio`` =
report / baseline (goal ≤ 3×). The report prepares its single-agency statement once per
connection; the note of ``single_agency_report`` also gives the ratio against the baseline run
as a prepared statement, for reference.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

BENCH_DB = "gk_bench"
N_AGENCIES = 2000
PER_AGENCY = 500
N_DISTRICTS = 15
CITY_RUNS = 7
SINGLE_RUNS = 60  # over the first 30 departments, twice
N_DEPTS = 30


def _admin_conninfo(url: str):
    import dj_database_url

    cfg = dj_database_url.parse(url)
    return {
        "host": cfg.get("HOST") or "127.0.0.1",
        "port": cfg.get("PORT") or 5432,
        "user": cfg.get("USER") or "postgres",
        "password": cfg.get("PASSWORD") or None,
        "dbname": "postgres",
    }


def _admin(sql: str, info: dict) -> None:
    import psycopg

    with psycopg.connect(**{k: v for k, v in info.items() if v is not None}, autocommit=True) as c:
        c.execute(sql)


def _insert_sql(model, given: dict[str, str], source: str) -> str:
    """INSERT INTO <model table> (...) SELECT ... FROM <source>: every concrete column that is not
    in ``given`` gets NULL (nullable), its literal default, '' or now() — so the bench keeps
    working when other columns are added to the model."""
    import json

    from django.db import models

    cols, exprs = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.column not in given:
            continue
        cols.append(f'"{f.column}"')
        if f.column in given:
            exprs.append(given[f.column])
        elif f.null:
            exprs.append("NULL")
        elif isinstance(f, models.JSONField):
            d = f.default() if callable(f.default) else f.default
            exprs.append("'" + json.dumps(d) + "'::jsonb")
        elif isinstance(f, models.DateTimeField):
            exprs.append("now()")
        elif f.has_default() and not callable(f.default):
            d = f.default
            exprs.append(
                ("TRUE" if d else "FALSE") if isinstance(d, bool) else "'" + str(d).replace("'", "''") + "'"
            )
        elif isinstance(f, (models.CharField, models.TextField)):
            exprs.append("''")
        elif isinstance(f, (models.IntegerField, models.DecimalField)):
            exprs.append("0")
        else:
            raise RuntimeError(f"bench: no filler for {model.__name__}.{f.name}")
    return f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {source}"


def _load(cursor) -> None:
    from gongkai.agencies.models import Agency
    from gongkai.appeals.models import Appeal
    from gongkai.applications.models import Application
    from gongkai.core.report_schema import applicant_type_choices, outcome_choices
    from gongkai.proactive.models import ART20_KIND_CHOICES, Art20Count

    d = N_DISTRICTS
    parent = f"CASE WHEN g = 1 THEN NULL WHEN g <= {1 + d} THEN 1 ELSE 2 + ((g - {2 + d}) % {d}) END"
    path = (
        f"CASE WHEN g = 1 THEN '000001/' WHEN g <= {1 + d} THEN '000001/' || lpad(g::text, 6, '0') || '/' "
        f"ELSE '000001/' || lpad((2 + ((g - {2 + d}) % {d}))::text, 6, '0') || '/' || lpad(g::text, 6, '0') || '/' END"
    )
    kind = f"CASE WHEN g <= {1 + d} THEN 'government' WHEN g % 3 = 0 THEN 'township' ELSE 'department' END"
    cursor.execute(
        _insert_sql(
            Agency,
            {
                "id": "g",
                "name": "'机关' || g",
                "kind": kind,
                "parent_id": parent,
                "path": path,
                "tracking_prefix": "'B' || g",
                "active": "TRUE",
            },
            f"generate_series(1, {N_AGENCIES}) g",
        )
    )
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Agency._meta.db_table, N_AGENCIES])
    applicants = [k for k, _ in applicant_type_choices()]
    outcomes = [k for k, _ in outcome_choices("2021")]
    a_arr = "ARRAY[" + ",".join(f"'{k}'" for k in applicants) + "]"
    o_arr = "ARRAY[" + ",".join(f"'{k}'" for k in outcomes) + "]"
    cursor.execute("SELECT setseed(0.2026)")
    n = N_AGENCIES * PER_AGENCY
    # r: received date offset; c: days to close (NULL = open)
    src = (
        f"(SELECT g, 1 + (g % {N_AGENCIES}) AS ag, date '2022-01-01' + (random() * 1095)::int AS rd, "
        f"CASE WHEN random() < 0.06 THEN NULL ELSE (random() * 60)::int END AS c, "
        f"CASE WHEN random() < 0.7 THEN 1 ELSE 2 + floor(random() * 5)::int END AS at, "
        f"1 + floor(random() * {len(outcomes)})::int AS oc FROM generate_series(1, {n}) g) s"
    )
    cursor.execute(
        _insert_sql(
            Application,
            {
                "agency_id": "ag",
                "year": "extract(year FROM rd)::int",
                "serial": "g",
                "tracking_number": "'B' || g",
                "applicant_type": f"({a_arr})[at]",
                "applicant_name": "'申请人'",
                "description": "'某文件'",
                "channel": "'internet'",
                "submitted_at": "rd::timestamptz",
                "received_date": "rd",
                "receipt_basis": "'online_confirmed'",
                "state": "CASE WHEN c IS NULL THEN 'in_handling' ELSE 'answered' END",
                "outcome": f"CASE WHEN c IS NULL THEN '' ELSE ({o_arr})[oc] END",
                "answered_on": "rd + c",
                "closed_on": "rd + c",
            },
            src,
        )
    )
    cursor.execute(
        _insert_sql(
            Appeal,
            {
                "kind": "(ARRAY['review','lit_direct','lit_after_review'])[1 + (g % 3)]",
                "agency_id": f"1 + (g % {N_AGENCIES})",
                "filed_date": "date '2022-01-01' + (g % 1095)",
                "decided_date": "CASE WHEN g % 5 = 0 THEN NULL ELSE date '2022-01-01' + (g % 1095) + 30 END",
                "outcome": "CASE WHEN g % 5 = 0 THEN 'pending' ELSE (ARRAY['upheld','corrected','other'])[1 + (g % 3)] END",
            },
            "generate_series(1, 20000) g",
        )
    )
    kinds = [k for k, _ in ART20_KIND_CHOICES]
    k_arr = "ARRAY[" + ",".join(f"'{k}'" for k in kinds) + "]"
    cursor.execute(
        _insert_sql(
            Art20Count,
            {
                "agency_id": f"1 + ((g - 1) % {N_AGENCIES})",
                "year": f"2021 + ((g - 1) / {N_AGENCIES * len(kinds)}) % 3",
                "kind": f"({k_arr})[1 + ((g - 1) / {N_AGENCIES}) % {len(kinds)}]",
                "decisions": "g % 97",
                "fee_amount": "(g % 13) * 0.5",
            },
            f"generate_series(1, {N_AGENCIES * len(kinds) * 3}) g",
        )
    )
    cursor.execute("ANALYZE")


_BASELINE_SQL = """
SELECT applicant_type, outcome,
       count(*) FILTER (WHERE received_date >= %(start)s) AS n_new,
       count(*) FILTER (WHERE received_date < %(start)s) AS n_in,
       count(*) FILTER (WHERE closed_on <= %(end)s) AS n_result,
       count(*) FILTER (WHERE closed_on IS NULL OR closed_on > %(end)s) AS n_out
FROM applications_application
WHERE {scope}
  AND received_date <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)
GROUP BY applicant_type, outcome
"""
# The baseline selects the same rows the report does, the way one would write it by hand: the
# subtree through the agency path (the report's scope subquery), one agency by its id (the
# report's single scope is ``agency_id IN (id)``; a path subquery there would only slow the
# baseline down).
BASELINE_SQL = _BASELINE_SQL.format(
    scope="agency_id IN (SELECT id FROM agencies_agency WHERE path LIKE %(prefix)s)"
)
BASELINE_SINGLE_SQL = _BASELINE_SQL.format(scope="agency_id = %(id)s")


def _medians(fns: list, args: list, runs: int) -> list[float]:
    """Medians of ``runs`` timings of each ``fn(arg)``, interleaved (same argument back to back,
    order alternating) so all see the same machine load and the same warm caches. Every
    argument is run once through each first (warm-up, not timed)."""
    for a in args:
        for fn in fns:
            fn(a)
    times: list[list[float]] = [[] for _ in fns]
    for i in range(runs):
        a = args[i % len(args)]
        order = list(zip(fns, times))
        for fn, out in order if i % 2 == 0 else reversed(order):
            t0 = time.perf_counter()
            fn(a)
            out.append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def run() -> list[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_reports: DATABASE_URL (PostgreSQL) is not set; skipped")
        return []
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    info = _admin_conninfo(url)
    original = connection.settings_dict["NAME"]
    keep = os.environ.get("GK_BENCH_KEEP") == "1"  # developer aid: keep and reuse the loaded database
    connection.close()
    t_migrate = t_load = 0.0
    if not (keep and _loaded(info)):
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)
        _admin(
            f"CREATE DATABASE {BENCH_DB} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
            info,
        )
        connection.settings_dict["NAME"] = BENCH_DB
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        t_migrate = time.perf_counter() - t0
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            _load(cur)
        t_load = time.perf_counter() - t0
    connection.settings_dict["NAME"] = BENCH_DB
    try:
        return _measure(t_migrate, t_load)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        if not keep:
            _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)


def _loaded(info: dict) -> bool:
    import psycopg

    try:
        with psycopg.connect(**{**{k: v for k, v in info.items() if v is not None}, "dbname": BENCH_DB}) as c:
            return c.execute("SELECT count(*) FROM applications_application").fetchone()[0] > 0
    except psycopg.Error:
        return False


def _measure(t_migrate: float, t_load: float) -> list[dict]:
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.annual_reports.services import compute_report
    from gongkai.applications.models import Application
    from gongkai.core.report_schema import template_for_year

    year = 2023
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    city = Agency.objects.get(pk=1)
    depts = list(Agency.objects.filter(kind="department").order_by("pk")[:N_DEPTS])
    n_apps = Application.objects.count()

    def baseline(agency: Agency, subtree: bool = False):
        sql = BASELINE_SQL if subtree else BASELINE_SINGLE_SQL
        with connection.cursor() as cur:
            cur.execute(sql, {"start": start, "end": end, "prefix": agency.path + "%", "id": agency.pk})
            return cur.fetchall()

    # For reference only: the same baseline as a prepared statement (the report prepares its
    # single-agency statement once per connection, so this shows the ratio without planning).
    with connection.cursor() as cur:
        cur.execute(
            "PREPARE gk_bench_baseline AS "
            + BASELINE_SINGLE_SQL.replace("%(start)s", "$1::date")
            .replace("%(end)s", "$2::date")
            .replace("%(id)s", "$3")
        )

    def baseline_prepared(agency: Agency):
        with connection.cursor() as cur:
            cur.execute("EXECUTE gk_bench_baseline(%s, %s, %s)", [start, end, agency.pk])
            return cur.fetchall()

    city_s, city_b = _medians(
        [lambda a: compute_report(a, year, subtree=True), lambda a: baseline(a, subtree=True)],
        [city],
        CITY_RUNS,
    )
    single_s, single_b, single_p = _medians(
        [lambda a: compute_report(a, year), baseline, baseline_prepared], depts, SINGLE_RUNS
    )
    assert sorted(baseline_prepared(depts[0])) == sorted(baseline(depts[0]))

    # correctness guard: the report's Section 3 equals the hand-written GROUP BY (same rows)
    t = template_for_year(year)
    flow, total = t.application_flow, next(c.key for c in t.applications.value_columns if c.is_total)
    for agency, subtree in ((city, True), (depts[0], False)):
        table = compute_report(agency, year, subtree=subtree).tables[t.applications.key]
        rows = baseline(agency, subtree)
        for i, row in enumerate(
            (flow.new_received, flow.carried_in, flow.results_total, flow.carried_out), 2
        ):
            assert table[row][total] == sum(r[i] for r in rows), (agency.pk, row)
    note = f"{n_apps:,} applications, {N_AGENCIES} agencies; migrate {t_migrate:.1f} s, load {t_load:.1f} s"
    return [
        {
            "name": "city_subtree_report",
            "median_s": city_s,
            "goal_s": 1.0,
            "baseline_s": city_b,
            "ratio": city_s / city_b,
            "note": note + "; ratio goal ≤ 3×",
        },
        {
            "name": "single_agency_report",
            "median_s": single_s,
            "goal_s": 0.1,
            "baseline_s": single_b,
            "ratio": single_s / single_b,
            "note": f"{PER_AGENCY} applications per agency; ratio goal ≤ 3×; prepared baseline "
            f"{single_p * 1000:.2f} ms (ratio {single_s / single_p:.2f}×)",
        },
    ]
