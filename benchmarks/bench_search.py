"""「我要找政策」 search and the catalogue on PostgreSQL over generated policy documents.

Needs ``DATABASE_URL`` (PostgreSQL). Creates its own database ``gk_bench_search``, migrates it,
loads ``GK_BENCH_SEARCH_RECORDS`` records (default 1,000,000; ``benchmarks.search_corpus``:
realistic titles, 发文字号, issuers, topics, 2019–2026, effectiveness, bodies of 2,000–4,500
characters), and drops it at the end (``GK_BENCH_KEEP=1`` keeps and reuses it;
``GK_BENCH_SEARCH_DB`` names another database, e.g. a smaller run beside a kept million).

Loading: ``GK_BENCH_SEARCH_WORKERS`` processes (default 2) generate records and their index rows
(``entry_fields``: normalisation, jieba segmentation, ``tsvector`` literal — the same function
``gongkai reindex`` uses) and ``COPY`` both into the database; the GIN indexes are built after.

Figures:
- ``index_rate``: re-indexing a sample of records through the real path (records from the ORM →
  ``record_document`` → backend ``index``), records per second of one process (goal ≥ 500/s per
  core); the load's own rate per worker is in the note;
- ``search_two_words_filter``: two-word queries each with one filter (year, topic, validity,
  type, in force, issuer), top-20 with highlighted titles and snippets — median and p95 (goal
  p95 ≤ 100 ms), against the same queries as a plain ``ILIKE`` scan (baseline) in the same run;
- ``catalogue_page``: the HTML catalogue (主动公开目录) of an agency with 50,000 records (goal ≤ 100 ms).
"""

from __future__ import annotations

import os
import statistics
import time

from benchmarks.bench_reports import _admin, _admin_conninfo

BENCH_DB = os.environ.get("GK_BENCH_SEARCH_DB", "gk_bench_search")  # another name: a run beside a kept one
N_AGENCIES = 200
BIG = 50_000  # records of the catalogue's agency (agency 2)
KIND = "records.record"
CHUNK = 20_000
GIN_INDEXES = {
    "search_entry_vector": "USING gin (vector)",
    "search_entry_title_trgm": "USING gin (title_norm gin_trgm_ops)",
    "search_entry_docno_trgm": "USING gin (doc_number_norm gin_trgm_ops)",
}

# (query, filters): two words, one filter each; common and rarer words
QUERIES = [
    ("养老 服务", {"year": 2024}),
    ("中小企业 融资", {"topic": "04"}),
    ("安全生产 检查", {"validity": "in_force"}),
    ("住房 公积金", {"doc_type": "normative"}),
    ("义务教育 招生", {"year": 2023}),
    ("垃圾分类 社区", {"in_force": True}),
    ("就业 补贴", {"issuer": 2}),
    ("医保 医院", {"year": 2025}),
    ("乡村振兴 农民", {"topic": "06"}),
    ("营商环境 企业", {"year": 2022}),
    ("政务公开 平台", {"validity": "repealed"}),
    ("食品安全 隐患", {"doc_type": "policy"}),
]


def _n_records() -> int:
    return int(os.environ.get("GK_BENCH_SEARCH_RECORDS", "1000000"))


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p * len(s) + 0.5) - 1))]


# -- loading ---------------------------------------------------------------------------------


def _h(k: int, n: int) -> str:
    """A deterministic pseudo-random integer in [0, n) from the record id ``g`` and a salt."""
    return f"((hashint8(g * 1024 + {k}) & 2147483647) % {n})"


def _load_sql(lo: int, hi: int, n: int, topic_ids: list[int], topic_codes: list[str]) -> str:
    from benchmarks.bench_reports import _insert_sql
    from benchmarks.search_corpus import ISSUER_KINDS, N_GENERAL, PER_TOPIC, TITLES_PER_TOPIC
    from gongkai.records.models import Record
    from gongkai.search.models import SearchEntry

    big = min(BIG, n // 2)
    nt = len(topic_ids)
    kinds = "ARRAY[" + ",".join(f"'{k}'" for k in ISSUER_KINDS) + "]"
    d = f"""SELECT g, ag, tp, yr, wr, wr + 1 + {_h(4, 24)} AS pub, vr, cat, dk, 1 + (g / {N_AGENCIES}) % 300 AS serial,
      1 + tp * {TITLES_PER_TOPIC} + {_h(8, TITLES_PER_TOPIC)} AS tid, 1 + {_h(9, N_GENERAL)} AS s1,
      {N_GENERAL} + tp * {PER_TOPIC} + 1 + {_h(10, PER_TOPIC)} AS s2, 60 + {_h(11, 70)} AS ns
    FROM (SELECT g, CASE WHEN g <= {big} THEN 2 ELSE 3 + g % {N_AGENCIES - 2} END AS ag, {_h(1, nt)} AS tp,
            2019 + {_h(2, 8)} AS yr, make_date(2019 + {_h(2, 8)}, 1, 1) + {_h(3, 330)} AS wr,
            CASE WHEN {_h(5, 100)} < 80 THEN 'in_force' WHEN {_h(5, 100)} < 88 THEN 'amended'
                 WHEN {_h(5, 100)} < 96 THEN 'repealed' ELSE 'expired' END AS vr,
            CASE WHEN {_h(6, 100)} < 5 THEN 'rule' WHEN {_h(6, 100)} < 40 THEN 'normative'
                 WHEN {_h(6, 100)} < 75 THEN 'policy' ELSE 'other' END AS cat, {_h(7, len(ISSUER_KINDS))} AS dk
          FROM generate_series({lo}, {hi}) g) a"""
    doc_number = f"'机' || ag || ({kinds})[dk + 1] || '〔' || yr || '〕' || serial || '号'"
    index_number = "lpad(ag::text, 9, '0') || '/' || yr || '-' || lpad(g::text, 7, '0')"
    tids = "ARRAY[" + ",".join(map(str, topic_ids)) + "]"
    codes = "ARRAY[" + ",".join(f"'{c}'" for c in topic_codes) + "]"
    records = _insert_sql(
        Record,
        {
            "id": "g",
            "agency_id": "ag",
            "category": "cat",
            "title": "t.text",
            "doc_number": doc_number,
            "index_number": index_number,
            "index_year": "yr",
            "index_serial": "g",
            "written_on": "wr",
            "formed_on": "wr",
            "published_on": "pub",
            "topic_id": f"({tids})[tp + 1]",
            "keywords": "kw.text",
            "summary": "x1.text || x2.text",
            "disclosure_attribute": "'proactive'",
            "validity": "vr",
            "state": "CASE WHEN vr = 'in_force' THEN 'published' ELSE vr END",
            "secrecy_reviewed": "TRUE",
        },
        "docs",
    )
    facets = (
        "ARRAY['f:kind:records.record', 'f:in_force:' || (vr = 'in_force')::int, 'f:agency:' || ag, "
        f"'f:issuer:' || ag, 'f:topic:' || ({codes})[tp + 1], 'f:doc_type:' || cat, 'f:year:' || yr, "
        "'f:validity:' || vr, 'f:sort:' || (vr = 'in_force')::int || ':' || to_char(pub, 'YYYYMM'), "
        "'机', ag::text, yr::text, serial::text, '号']"
    )
    pick = (
        f"CASE WHEN {_h('101 + 2 * k', 10)} < 3 THEN {N_GENERAL} + tp * {PER_TOPIC} + 1 + {_h('102 + 2 * k', PER_TOPIC)} "
        f"ELSE 1 + {_h('102 + 2 * k', N_GENERAL)} END"
    )
    entries = _insert_sql(
        SearchEntry,
        {
            "id": "g",
            "kind": "'records.record'",
            "object_id": "g",
            "agency_id": "ag",
            "issuer_ids": "'|' || ag || '|'",
            "title": "t.text",
            "title_norm": "t.text",
            "doc_number": "dno",
            "doc_number_norm": "dno",
            "index_number": index_number,
            "summary": "x1.text || x2.text",
            "topic": f"({codes})[tp + 1]",
            "doc_type": "cat",
            "year": "yr",
            "validity": "vr",
            "in_force": "vr = 'in_force'",
            "published_on": "pub",
            "url": "'/docs/' || g || '/'",
            "text": "x1.text || x2.text || ' ' || kw.text || ' ' || b.body",
            "vector": "v.v",
            "extra": """jsonb_build_object('agency', '机关' || ag)""",
        },
        f"""docs, LATERAL (
              SELECT string_agg(s.text, '' ORDER BY p.k) AS body, array_agg(p.sid) AS sids
              FROM (SELECT k, {pick} AS sid FROM generate_series(1, ns) k) p
              JOIN bench_sentence s ON s.id = p.sid) b,
            LATERAL (
              SELECT array_to_tsvector(array_agg(DISTINCT w)) AS v FROM (
                SELECT unnest(s.words) AS w FROM bench_sentence s WHERE s.id = ANY(b.sids || ARRAY[s1, s2])
                UNION ALL SELECT unnest(t.words || kw.words || dn.words || {facets})
                UNION ALL SELECT 'b:' || substr(dno, i, 2) FROM generate_series(1, length(dno) - 1) i) u) v""",
    )
    return f"""WITH docs AS MATERIALIZED (SELECT *, {doc_number} AS dno FROM ({d}) d0),
      r AS ({
        records.replace(
            "FROM docs",
            "FROM docs JOIN bench_title t ON t.id = docs.tid "
            "JOIN bench_keywords kw ON kw.topic = docs.tp "
            "JOIN bench_sentence x1 ON x1.id = docs.s1 "
            "JOIN bench_sentence x2 ON x2.id = docs.s2",
        )
    } RETURNING 1)
    {
        entries.replace(
            "FROM docs,",
            "FROM docs JOIN bench_title t ON t.id = docs.tid "
            "JOIN bench_keywords kw ON kw.topic = docs.tp "
            "JOIN bench_docno dn ON dn.kind = docs.dk "
            "JOIN bench_sentence x1 ON x1.id = docs.s1 "
            "JOIN bench_sentence x2 ON x2.id = docs.s2,",
        )
    }"""


def _load(conninfo: dict, n: int) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    import psycopg
    from django.db import connection

    from benchmarks.bench_reports import _insert_sql
    from benchmarks.search_corpus import TOPICS, pieces
    from gongkai.agencies.models import Agency
    from gongkai.records.models import Topic

    t0 = time.perf_counter()
    parts = pieces()
    t_pieces = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute(
            _insert_sql(
                Agency,
                {
                    "id": "g",
                    "name": "'机关' || g",
                    "kind": "CASE WHEN g <= 2 THEN 'government' ELSE 'department' END",
                    "parent_id": "CASE WHEN g = 1 THEN NULL ELSE 1 END",
                    "path": "CASE WHEN g = 1 THEN '000001/' ELSE '000001/' || lpad(g::text, 6, '0') || '/' END",
                    "tracking_prefix": "'S' || g",
                    "active": "TRUE",
                },
                f"generate_series(1, {N_AGENCIES}) g",
            )
        )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Agency._meta.db_table, N_AGENCIES]
        )
        for name in GIN_INDEXES:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        cur.execute("CREATE TABLE bench_sentence (id int PRIMARY KEY, text text, words text[])")
        cur.execute("CREATE TABLE bench_title (id int PRIMARY KEY, text text, words text[])")
        cur.execute("CREATE TABLE bench_keywords (topic int PRIMARY KEY, text text, words text[])")
        cur.execute("CREATE TABLE bench_docno (kind int PRIMARY KEY, text text, words text[])")
        for table, rows in parts.items():
            with cur.copy(f"COPY bench_{table} FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
        cur.execute("ANALYZE")
    codes = dict(Topic.objects.filter(parent=None).values_list("code", "pk"))
    topic_ids = [codes[c] for c in TOPICS]
    connection.close()

    def chunk(lo_hi):
        lo, hi = lo_hi
        with psycopg.connect(**conninfo) as c:
            c.execute("SET synchronous_commit = off")
            c.execute(_load_sql(lo, hi, n, topic_ids, list(TOPICS)))
        return hi - lo + 1

    jobs = [(lo, min(lo + CHUNK - 1, n)) for lo in range(1, n + 1, CHUNK)]
    workers = int(os.environ.get("GK_BENCH_SEARCH_WORKERS", "2"))
    t0 = time.perf_counter()
    done = 0
    with ThreadPoolExecutor(workers) as pool:
        for count in pool.map(chunk, jobs):
            done += count
            if done % 100_000 < CHUNK:
                print(f"  generated {done:,} / {n:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
    t_copy = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        for name, how in GIN_INDEXES.items():
            cur.execute(f"CREATE INDEX {name} ON search_searchentry {how}")
        for table in ("records_record", "search_searchentry"):
            cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, n])
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE records_record")
        cur.execute("VACUUM ANALYZE search_searchentry")
    return {"pieces_s": t_pieces, "copy_s": t_copy, "gin_s": t_index, "vacuum_s": time.perf_counter() - t0}


# -- measuring -------------------------------------------------------------------------------


def _filters(f: dict):
    from gongkai.search.backends.base import SearchFilters

    return SearchFilters(kind=KIND, **f)


BASELINE_FILTER = {
    "year": "year = %s",
    "topic": "topic = %s",
    "validity": "validity = %s",
    "doc_type": "doc_type = %s",
    "in_force": "in_force = %s",
    "issuer": "issuer_ids LIKE %s",
}


def _baseline(cur, q: str, f: dict) -> list[int]:
    """The plain way: ILIKE on title and text for each word, the filter as a column, newest in
    force first."""
    (name, value), *_ = f.items()
    where = [BASELINE_FILTER[name]]
    params: list = [f"%|{value}|%" if name == "issuer" else value]
    for w in q.split():
        where.append("(title ILIKE %s OR text ILIKE %s)")
        params += [f"%{w}%", f"%{w}%"]
    cur.execute(
        "SELECT id, title, summary, published_on FROM search_searchentry WHERE "
        + " AND ".join(where)
        + " ORDER BY in_force DESC, published_on DESC, id DESC LIMIT 20",
        params,
    )
    return [r[0] for r in cur.fetchall()]


def _check(page, q: str, f: dict) -> None:
    """Correctness guard: every hit has both words (title or text) and passes the filter."""
    from gongkai.core.search_text import parse_query
    from gongkai.search.models import SearchEntry

    rows = {
        e.object_id: e
        for e in SearchEntry.objects.filter(kind=KIND, object_id__in=[h.object_id for h in page.hits])
    }
    for h in page.hits:
        e = rows[h.object_id]
        for t in parse_query(q).positive:  # every word of every term
            for w in t.words:
                assert w in e.title_norm or w in e.text, (q, h.object_id, w)
        (name, value), *_ = f.items()
        if name == "issuer":
            assert f"|{value}|" in e.issuer_ids
        else:
            assert getattr(e, name) == value, (name, getattr(e, name), value)
        assert "<mark>" in h.title_html + h.snippet_html


def _measure(load: dict, n: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from gongkai.column.indexing import record_document, record_queryset
    from gongkai.search import services
    from gongkai.search.models import SearchEntry

    backend = services.get_backend()
    # indexing through the real path
    sample = list(range(max(1, n // 2 - 1000), max(1, n // 2 - 1000) + min(2000, n // 5)))
    with connection.cursor() as cur:  # the bulk load leaves record bodies empty: fill the sample's
        cur.execute(
            "UPDATE records_record r SET body = e.text FROM search_searchentry e "
            "WHERE e.object_id = r.id AND r.id = ANY(%s)",
            [sample],
        )
    t0, c0 = time.perf_counter(), time.process_time()
    docs = [record_document(r) for r in record_queryset().filter(pk__in=sample)]
    backend.index(docs)
    idx_wall, idx_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert SearchEntry.objects.filter(object_id__in=sample).count() == len(sample)

    runs = int(os.environ.get("GK_BENCH_SEARCH_RUNS", "5"))
    base_runs = int(os.environ.get("GK_BENCH_SEARCH_BASELINE_RUNS", "1"))
    for q, f in QUERIES:  # warm-up + correctness
        page = services.search(q, _filters(f))
        assert page.hits, (q, f)
        _check(page, q, f)
    times: list[float] = []
    per_query: dict[str, list[float]] = {}
    for _ in range(runs):
        for q, f in QUERIES:
            t0 = time.perf_counter()
            page = services.search(q, _filters(f))
            dt_ = time.perf_counter() - t0
            times.append(dt_)
            per_query.setdefault(q, []).append(dt_)
    base: list[float] = []
    with connection.cursor() as cur:
        for _ in range(base_runs):
            for q, f in QUERIES:
                t0 = time.perf_counter()
                _baseline(cur, q, f)
                base.append(time.perf_counter() - t0)
    s50, s95 = statistics.median(times), _pct(times, 0.95)
    b50, b95 = statistics.median(base), _pct(base, 0.95)
    slowest = max(per_query, key=lambda k: statistics.median(per_query[k]))

    client = Client()
    urls = ["/gk/2/catalogue/", "/gk/2/catalogue/?page=100", "/gk/2/catalogue/?year=2024&sort=title"]
    for u in urls:
        r = client.get(u)
        assert r.status_code == 200, (u, r.status_code)
    cat: list[float] = []
    for _ in range(max(5, runs * 2)):
        for u in urls:
            t0 = time.perf_counter()
            client.get(u)
            cat.append(time.perf_counter() - t0)
    big = min(BIG, n // 2)
    size = f"{n:,} records"
    return [
        {
            "name": "index_rate",
            "median_s": idx_wall / len(sample),
            "note": (
                f"{len(sample) / idx_wall:.0f} records/s re-indexed through the ORM path by one process "
                f"({len(sample) / idx_cpu:.0f}/s per CPU second of Python; goal ≥ 500/s per core)"
                + (
                    f"; bulk load {n / load['copy_s']:.0f} records/s (server-side), GIN build {load['gin_s']:.0f} s"
                    if load
                    else ""
                )
            ),
        },
        {
            "name": "search_two_words_filter",
            "median_s": s50,
            "goal_s": 0.1,
            "baseline_s": b50,
            "ratio": s50 / b50,
            "note": (
                f"{size}; p95 {s95 * 1000:.1f} ms (goal ≤ 100 ms); ILIKE p50 {b50 * 1000:.0f} ms / "
                f"p95 {b95 * 1000:.0f} ms ({b50 / s50:.0f}× slower); {len(QUERIES)} queries × {runs}; "
                f"slowest query {slowest!r} median {statistics.median(per_query[slowest]) * 1000:.1f} ms"
            ),
            "p95_s": s95,
            "baseline_p95_s": b95,
        },
        {
            "name": "catalogue_page",
            "median_s": statistics.median(cat),
            "goal_s": 0.1,
            "note": f"agency with {big:,} records of {size}; p95 {_pct(cat, 0.95) * 1000:.1f} ms; "
            "first page, page 100, a year filter sorted by title",
            "p95_s": _pct(cat, 0.95),
        },
    ]


def _loaded(info: dict) -> bool:
    import psycopg

    try:
        with psycopg.connect(**{**{k: v for k, v in info.items() if v is not None}, "dbname": BENCH_DB}) as c:
            return c.execute("SELECT count(*) FROM search_searchentry").fetchone()[0] > 0
    except psycopg.Error:
        return False


def run() -> list[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_search: DATABASE_URL (PostgreSQL) is not set; skipped")
        return []
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    n = _n_records()
    info = _admin_conninfo(url)
    original = connection.settings_dict["NAME"]
    keep = os.environ.get("GK_BENCH_KEEP") == "1"
    connection.close()
    load: dict = {}
    if not (keep and _loaded(info)):
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)
        _admin(
            f"CREATE DATABASE {BENCH_DB} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
            info,
        )
        connection.settings_dict["NAME"] = BENCH_DB
        call_command("migrate", verbosity=0)
        conninfo = {**{k: v for k, v in info.items() if v is not None}, "dbname": BENCH_DB}
        load = _load(conninfo, n)
    else:  # a kept database: brought up to the code's migrations (indexes, statistics) first
        connection.settings_dict["NAME"] = BENCH_DB
        call_command("migrate", verbosity=0)
    connection.settings_dict["NAME"] = BENCH_DB
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM search_searchentry")
            n = cur.fetchone()[0]
        return _measure(load, n)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        if not keep:
            _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)
