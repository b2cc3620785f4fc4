"""Login throttling under attack (issue 8): ``/track/`` latency while 4 threads send 40 wrong
passwords to ``/workbench/login/``, with the lockout off (before) and on (after).

Needs ``DATABASE_URL`` (PostgreSQL). Creates its own database ``gk_bench_login``, migrates it,
creates one staff account with Django's default password hasher (PBKDF2, 1,000,000 iterations)
and serves the platform with gunicorn as the README's production steps do (2 workers × 4
threads, 127.0.0.1 only). Figures (medians):

- ``track_idle``: ``GET /track/`` with nothing else running;
- ``track_under_40_wrong_logins_lockout_off``: the same while 4 threads each send 10 wrong
  passwords for the account (every one is hashed: PBKDF2 takes both cores): the median of
  ``GET /track/`` sent one after another over the 30 s from the attack's start (the note adds
  the median while the attack lasted and how long it lasted);
- ``track_under_40_wrong_logins_lockout_on``: the same with django-axes on (the default): after
  ``GONGKAI_LOGIN_FAILURE_LIMIT`` failures the account and the address are locked out and the
  remaining attempts are refused without hashing. ``baseline_s`` = idle, ``ratio`` = under attack
  / idle.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BENCH_DB = "gk_bench_login"
USERNAME = "bench_head"
THREADS = 4
ATTEMPTS_PER_THREAD = 10
WINDOW_S = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        r.read()
    return time.perf_counter() - t0


def _attacker(base: str, done: list[int]) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/workbench/login/", timeout=120).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    for _ in range(ATTEMPTS_PER_THREAD):
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": USERNAME, "password": secrets.token_hex(8)}
        ).encode()
        req = urllib.request.Request(base + "/workbench/login/", data=data, headers={"Referer": base})
        try:
            opener.open(req, timeout=300).read()
        except urllib.error.HTTPError as exc:  # 429 once locked out
            done.append(exc.code)
        else:
            done.append(200)


def _track_during_attack(base: str) -> dict:
    """``GET /track/`` one after another from the attack's start until the attack is over and
    WINDOW_S have passed: p50 over the first WINDOW_S (the same window with the lockout off and
    on), p50 while the attack lasted, the attack's wall time and the login answers."""
    codes: list[int] = []
    threads = [threading.Thread(target=_attacker, args=(base, codes)) for _ in range(THREADS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    samples: list[tuple[float, float]] = []  # (started at, latency)
    attack_end = None
    while attack_end is None or time.perf_counter() - t0 < WINDOW_S:
        started = time.perf_counter() - t0
        samples.append((started, _get(base + "/track/")))
        if attack_end is None and not any(t.is_alive() for t in threads):
            attack_end = time.perf_counter() - t0
    for t in threads:
        t.join()
    return {
        "window_p50": statistics.median(lat for at, lat in samples if at < WINDOW_S),
        "attack_p50": statistics.median([lat for at, lat in samples if at < attack_end] or [samples[0][1]]),
        "attack_s": attack_end,
        "hashed": codes.count(200),
        "locked": codes.count(429),
    }


def _serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gongkai.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            _get(base + "/track/")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def run() -> list[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_login: DATABASE_URL (PostgreSQL) is not set; skipped")
        return []
    from benchmarks.scratchdb import migrated_database

    with migrated_database(BENCH_DB) as bench_url:
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_user(USERNAME, password=secrets.token_urlsafe(16))
        env = {**os.environ, "DATABASE_URL": bench_url, "GONGKAI_HTTPS": "0", "GONGKAI_LOG_LEVEL": "ERROR"}
        return _measure(env)


def _measure(env: dict) -> list[dict]:
    from django.db import connection

    figures = []
    idle = None
    for lockout in ("0", "1"):
        with connection.cursor() as cur:
            cur.execute("DELETE FROM axes_accessattempt")
        port = _free_port()
        proc = _serve({**env, "GONGKAI_LOGIN_LOCKOUT": lockout}, port)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(5):
                _get(base + "/track/")  # warm both workers
            if idle is None:
                idle = statistics.median(_get(base + "/track/") for _ in range(30))
                figures.append({"name": "track_idle", "median_s": idle})
            m = _track_during_attack(base)
        finally:
            _stop(proc)
        state = "on" if lockout == "1" else "off"
        figures.append(
            {
                "name": f"track_under_40_wrong_logins_lockout_{state}",
                "median_s": m["window_p50"],
                "baseline_s": idle,
                "ratio": m["window_p50"] / idle,
                "note": f"p50 of GET /track/ over the {WINDOW_S:.0f} s from the attack's start; "
                f"while the attack lasted ({m['attack_s']:.1f} s) {m['attack_p50'] * 1000:.0f} ms; "
                f"logins: {m['hashed']}×200 (password hashed), {m['locked']}×429 (locked out)",
            }
        )
    return figures
