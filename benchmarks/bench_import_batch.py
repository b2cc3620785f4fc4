"""Batch import of 10,000 report files, interrupted halfway and resumed (年报批量导入).

What runs: ``gongkai import-batch DIR --workers 2`` as a real process over 10,000 files (the
fixture reports repeated with a trailing whitespace/comment variation, so every SHA-256
differs and every file is parsed and saved), in eager mode with two forked local workers (the
machine has 2 cores). When half the files are done the bench sends SIGINT (Ctrl-C), then runs
``gongkai import-batch --resume BATCH`` to the end. The tqdm progress bar of the command is shown
on stderr.

Checks (the run fails loudly if one does not hold): 10,000 items done, 10,000 distinct reports,
no item marked duplicate, and every item done before the interrupt untouched by the resume
(same worker and processed_at): each file processed exactly once.

Database: ``gk_bench_import`` (created if missing, its report-import and agency tables emptied
first). Override with ``GONGKAI_BENCH_IMPORT_DB``; file count with ``GONGKAI_BENCH_IMPORT_FILES``;
workers with ``GONGKAI_BENCH_IMPORT_WORKERS``.

Figures: seconds per file (wall time of both runs, process start-up included / files) and the
same as files per second in the note. One 10,000-file run per bench invocation: the median
is over the two phases' per-file times.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DB_URL = os.environ.get("GONGKAI_BENCH_IMPORT_DB", "postgres://postgres@127.0.0.1:5432/gk_bench_import")
N_FILES = int(os.environ.get("GONGKAI_BENCH_IMPORT_FILES", "10000"))
WORKERS = int(os.environ.get("GONGKAI_BENCH_IMPORT_WORKERS", "2"))


def _psql(dbname: str | None = None):
    import psycopg

    url = DB_URL if dbname is None else DB_URL.rsplit("/", 1)[0] + "/" + dbname
    return psycopg.connect(url, autocommit=True)


def _prepare_db(env: dict) -> None:
    name = DB_URL.rsplit("/", 1)[1]
    with _psql("postgres") as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            c.execute(
                f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
    subprocess.run([sys.executable, "-m", "gongkai.cli", "migrate", "-v0"], env=env, check=True)
    with _psql() as c:
        c.execute(
            "TRUNCATE report_import_importitem, report_import_importedreport, report_import_importbatch, "
            "agencies_agency RESTART IDENTITY CASCADE"
        )


def _count(c, sql: str, *args) -> int:
    return c.execute(sql, args).fetchone()[0]


def run() -> list[dict]:
    sys.path.insert(0, str(HERE.parent / "src"))
    from gongkai.report_import.corpus import make_corpus

    env = dict(os.environ)
    env.update(
        DATABASE_URL=DB_URL,
        CELERY_TASK_ALWAYS_EAGER="1",
        GONGKAI_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        PYTHONUNBUFFERED="1",
    )
    env.pop("GONGKAI_IMPORT_ITEM_DELAY", None)
    with _psql("postgres") as lock:
        # one run at a time: a second bench run would empty the tables under the first
        lock.execute("SELECT pg_advisory_lock(hashtext('gongkai.bench_import_batch'))")
        return _run(env, make_corpus)


def _run(env: dict, make_corpus) -> list[dict]:
    _prepare_db(env)
    tmp = Path(tempfile.mkdtemp(prefix="gk_bench_import_"))
    try:
        t0 = time.perf_counter()
        make_corpus(tmp, N_FILES)
        corpus_s = time.perf_counter() - t0
        cmd = [sys.executable, "-m", "gongkai.cli", "import-batch"]

        # phase 1: run, Ctrl-C at half
        t1 = time.perf_counter()
        p = subprocess.Popen(cmd + [str(tmp), "--workers", str(WORKERS)], env=env)
        with _psql() as c:
            while p.poll() is None:
                if (
                    _count(c, "SELECT count(*) FROM report_import_importitem WHERE status <> 'pending'")
                    >= N_FILES // 2
                ):
                    break
                time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        rc1 = p.wait(timeout=120)
        phase1_s = time.perf_counter() - t1
        with _psql() as c:
            batch_id = _count(c, "SELECT max(id) FROM report_import_importbatch")
            before = dict(
                c.execute(
                    "SELECT id, worker || '@' || processed_at::text FROM report_import_importitem "
                    "WHERE batch_id = %s AND status = 'done'",
                    (batch_id,),
                ).fetchall()
            )
        done1 = len(before)

        # phase 2: resume to the end
        t2 = time.perf_counter()
        rc2 = subprocess.run(cmd + ["--resume", str(batch_id), "--workers", str(WORKERS)], env=env).returncode
        phase2_s = time.perf_counter() - t2

        with _psql() as c:
            after = dict(
                c.execute(
                    "SELECT id, worker || '@' || processed_at::text FROM report_import_importitem WHERE batch_id = %s",
                    (batch_id,),
                ).fetchall()
            )
            done = _count(
                c,
                "SELECT count(*) FROM report_import_importitem WHERE batch_id = %s AND status = 'done'",
                batch_id,
            )
            failed = _count(
                c,
                "SELECT count(*) FROM report_import_importitem WHERE batch_id = %s AND status = 'failed'",
                batch_id,
            )
            distinct_reports = _count(
                c,
                "SELECT count(DISTINCT report_id) FROM report_import_importitem WHERE batch_id = %s",
                batch_id,
            )
            dupes = _count(
                c, "SELECT count(*) FROM report_import_importitem WHERE batch_id = %s AND duplicate", batch_id
            )
            reports = _count(c, "SELECT count(*) FROM report_import_importedreport")
            cells = _count(
                c,
                "SELECT count(*) FROM report_import_importedreport, jsonb_each(parsed->'tables') t, "
                "jsonb_each(t.value) r, jsonb_each(r.value) x",
            )
        untouched = all(after.get(k) == v for k, v in before.items())
        ok = (
            rc1 == 130
            and rc2 == 0
            and done == N_FILES
            and failed == 0
            and distinct_reports == N_FILES
            and reports == N_FILES
            and dupes == 0
            and untouched
            and 0 < done1 < N_FILES
        )
        if not ok:
            raise AssertionError(
                f"resume check failed: rc1={rc1} rc2={rc2} done={done} failed={failed} "
                f"distinct_reports={distinct_reports} reports={reports} dupes={dupes} untouched={untouched} done1={done1}"
            )
        total_s = phase1_s + phase2_s
        per_file = [phase1_s / done1, phase2_s / (N_FILES - done1)]
        note = (
            f"{N_FILES} files, {WORKERS} workers: {N_FILES / total_s:.1f} files/s overall "
            f"({total_s:.0f} s; run 1 {done1} files in {phase1_s:.0f} s, Ctrl-C, resume {N_FILES - done1} "
            f"files in {phase2_s:.0f} s); exactly once: {done} done, {distinct_reports} distinct reports, "
            f"0 duplicates, {len(before)} pre-interrupt items untouched; {cells} cells stored; "
            f"corpus written in {corpus_s:.0f} s"
        )
        return [
            {
                "name": f"import_batch_{N_FILES}_files_per_file",
                "median_s": statistics.median(per_file),
                "note": note,
            },
            {
                "name": "import_batch_resume_run_per_file",
                "median_s": per_file[1],
                "note": f"resume of batch {batch_id}: {N_FILES - done1} files, {(N_FILES - done1) / phase2_s:.1f} files/s",
            },
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    for fig in run():
        print(fig)
