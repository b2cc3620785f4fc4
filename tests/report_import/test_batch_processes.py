"""The batch command as a real process: Ctrl-C (SIGINT) midway then --resume, forked local
workers, and a real Celery worker on Redis (the non-eager apply_async + polling path)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from gongkai.report_import.corpus import make_corpus
from gongkai.report_import.models import BatchStatus, ImportBatch, ImportedReport, ImportItem

pytestmark = pytest.mark.django_db(transaction=True)

# The Redis database the run was given (``make test``/.ci/run set REDIS_URL); no other is touched.
REDIS_TEST_DB = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def _env(**extra):
    s = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        CELERY_TASK_ALWAYS_EAGER="1",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _cmd(*args):
    return [sys.executable, "-m", "gongkai.cli", "import-batch", *map(str, args)]


def _wait_for(pred, timeout=60.0, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL test database")
def test_sigint_then_resume_processes_each_file_once(tmp_path):
    make_corpus(tmp_path, 30)
    env = _env(GONGKAI_IMPORT_ITEM_DELAY="0.2")
    p = subprocess.Popen(
        _cmd(tmp_path, "--no-progress", "--chunk-size", 4),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: ImportItem.objects.filter(status="done").count() >= 8), p.stderr
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, (out, err)
    batch = ImportBatch.objects.get()
    assert f"--resume {batch.pk}" in err
    assert batch.status == BatchStatus.INTERRUPTED
    first = {i.pk: (i.worker, i.processed_at, i.report_id) for i in ImportItem.objects.filter(status="done")}
    assert 8 <= len(first) < 30
    assert ImportItem.objects.filter(status="pending").count() == 30 - len(first)

    r = subprocess.run(
        _cmd("--resume", batch.pk, "--no-progress"), env=_env(), capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed, batch.status) == (30, 30, 0, BatchStatus.FINISHED)
    items = list(ImportItem.objects.all())
    # the files done before the interrupt were not touched again
    assert {i.pk: (i.worker, i.processed_at, i.report_id) for i in items if i.pk in first} == first
    # one report per file, none a duplicate: every file processed exactly once
    assert len({i.report_id for i in items}) == 30 == ImportedReport.objects.count()
    assert not any(i.duplicate for i in items)
    assert len({i.worker for i in items}) == 2  # the interrupted process and the resuming one


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL test database")
def test_two_runs_of_one_batch_at_once_never_double_process(tmp_path):
    """A --resume started while the first run is still going (or still has queued chunks):
    the row locks split the files between them, each processed exactly once."""
    make_corpus(tmp_path, 24)
    # run A is slow (1 s per file), so B, started once A has done 2 files, always finds work
    a = subprocess.Popen(
        _cmd(tmp_path, "--no-progress", "--chunk-size", 3),
        env=_env(GONGKAI_IMPORT_ITEM_DELAY="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: ImportItem.objects.filter(status="done").count() >= 2)
        batch = ImportBatch.objects.get()
        b = subprocess.run(
            _cmd("--resume", batch.pk, "--no-progress", "--chunk-size", 3),
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        a_out, a_err = a.communicate(timeout=120)
    finally:
        if a.poll() is None:
            a.kill()
    assert a.returncode == 0 and b.returncode == 0, (a_err, b.stderr)
    items = list(ImportItem.objects.all())
    assert all(i.status == "done" for i in items) and len(items) == 24
    assert len({i.worker for i in items}) == 2  # both runs did part of the work
    assert len({i.report_id for i in items}) == 24 == ImportedReport.objects.count()
    assert not any(i.duplicate for i in items)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL test database")
def test_forked_local_workers(tmp_path):
    make_corpus(tmp_path, 40)
    r = subprocess.run(
        _cmd(tmp_path, "--workers", 2, "--chunk-size", 2, "--no-progress"),
        env=_env(GONGKAI_IMPORT_ITEM_DELAY="0.02"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    items = list(ImportItem.objects.all())
    assert len(items) == 40 and all(i.status == "done" for i in items)
    assert len({i.worker for i in items}) == 2
    assert ImportedReport.objects.count() == 40


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL test database")
def test_real_celery_worker(tmp_path):
    """apply_async to Redis, a solo-pool worker process does the work, the command polls counts."""
    make_corpus(tmp_path, 20)
    env = _env(CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL=REDIS_TEST_DB, REDIS_URL="")
    import redis

    redis.Redis.from_url(REDIS_TEST_DB).delete("celery")  # stale messages of an aborted run
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gongkai.config.celery",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = time.monotonic()
        r = subprocess.run(
            _cmd(tmp_path, "--chunk-size", 5, "--timeout", 60),
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        elapsed = time.monotonic() - started
        assert r.returncode == 0, (r.stdout, r.stderr)
        assert "finished: 20 done, 0 failed" in r.stdout
        assert "batch" in r.stderr and "20/20" in r.stderr  # the tqdm bar, driven by polling
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    items = list(ImportItem.objects.all())
    assert all(i.status == "done" for i in items) and len(items) == 20
    # processed by the worker process, not in the command
    assert {i.worker.rsplit(":", 1)[1] for i in items} == {str(worker.pid)}
    assert ImportedReport.objects.count() == 20
    assert elapsed < 60
