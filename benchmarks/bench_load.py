"""Load benchmark: public pages and the staff API under the production server, against a bare view.

Needs ``DATABASE_URL`` (PostgreSQL) and ``wrk`` (Debian package, in ``make system-deps``). Creates
its own database ``gk_bench_load`` (``GK_BENCH_LOAD_DB`` names another) with the demo region (``gongkai load_demo``, seed 2026, as of
2026-11-30) and drops it at the end (``GK_BENCH_KEEP=1`` keeps it for the next run).

Two servers run side by side with production settings (``GONGKAI_DEBUG=0``, a secret key, allowed
hosts, the Redis cache when ``REDIS_URL`` is set; plain HTTP, ``GONGKAI_HTTPS=0``), each ``gunicorn -c python:gongkai.config.gunicorn``
with 2 sync workers: the platform (its page cache on: ``REDIS_URL``, default the local Redis), and the same settings with a URLconf of one view returning
"ok" (``benchmarks.bare_settings``). For every page, ``wrk -t2 -c16 -d<S>s --latency`` runs
alternately on the bare view and on the page, ``ROUNDS`` times; the figures are the medians:
the page's req/s as a share of the bare view's (the two runs of a round are seconds apart, so
the machine's load hits both alike), p50 and p99 latency.

Goals (issue 12): public pages ≥ 50 % of the bare view's req/s and p99 < 100 ms at 16
connections; the staff API list ≥ 25 %. Only loopback is loaded; every run is bounded by ``-d``.
``GONGKAI_BENCH_LOAD_SECONDS`` (default 5) and ``GONGKAI_BENCH_LOAD_ROUNDS`` (default 3) set the
length; ``GONGKAI_BENCH_LOAD_PAGES=home,reports`` picks pages.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH_DB = os.environ.get("GK_BENCH_LOAD_DB", "gk_bench_load")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONNECTIONS = 16
THREADS = 2
AS_OF = "2026-11-30"

# name, goal share of the bare view's req/s, p99 goal (s)
GOALS = {
    "home": (0.50, 0.100),
    "reports": (0.50, 0.100),
    "report_page": (0.50, 0.100),
    "report_pdf": (0.50, 0.100),
    "column_catalogue": (0.50, 0.100),
    "column_policies": (0.50, 0.100),
    "document_page": (0.50, 0.100),
    "track_status": (0.50, 0.100),
    "api_applications": (0.25, None),
}


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        GONGKAI_DEBUG="0",
        GONGKAI_SECRET_KEY="bench-load-" + "x" * 48,
        GONGKAI_ALLOWED_HOSTS="127.0.0.1,localhost",
        GONGKAI_HTTPS="0",  # plain HTTP on loopback (a TLS proxy is not part of the measure)
        # The API's per-token throttle would answer 429 within a second of wrk: the server is measured.
        GONGKAI_API_USER_RATE="100000000/min",
        GONGKAI_API_ANON_RATE="100000000/min",
        GONGKAI_LOG_LEVEL="WARNING",
        GONGKAI_PRERENDER_REPORTS="0",
        PYTHONPATH=str(ROOT),
    )
    # Production runs with the Redis cache (sessions, throttles, the page cache's generations);
    # without REDIS_URL the bench uses the local Redis that `make test` starts as well.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def _gongkai(*args: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"gongkai {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


PREPARE = """
import json
from django.db.models import Count
from rest_framework.authtoken.models import Token
from gongkai.agencies.models import ACTING_ROLES, Membership
from gongkai.annual_reports.models import AnnualReport
from gongkai.applications.models import Application
from gongkai.column.services import public_records

report = AnnualReport.objects.filter(status="published").order_by("-year", "agency__path").first()
record = public_records().order_by("pk").first()
busy = Application.objects.values("agency").annotate(n=Count("pk")).order_by("-n").first()["agency"]
member = Membership.objects.filter(agency_id=busy, role__in=ACTING_ROLES).order_by("pk").first()
token, _ = Token.objects.get_or_create(user=member.user)
app = Application.objects.filter(agency_id=busy).order_by("pk").first()
from gongkai.applications.services.query_codes import set_new_code
code = set_new_code(app)  # only the hash is stored: a new code the bench knows (same secret key)
app.save(update_fields=["query_code_hash"])
print(json.dumps({
    "report": f"/reports/{report.agency_id}/{report.year}/?scope={report.scope}",
    "report_pdf": f"/reports/{report.agency_id}/{report.year}/download.pdf?scope={report.scope}",
    "column": f"/gk/{record.agency_id if record else busy}/catalogue/",
    "document": f"/docs/{record.pk}/" if record else None,
    "token": token.key,
    "tracking_number": app.tracking_number,
    "query_code": code,
}))
"""


def _prepare(env: dict[str, str]) -> dict:
    out = _gongkai("shell", "-c", PREPARE, env=env)
    return json.loads(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, env: dict[str, str], settings_module: str):
        self.name = name
        self.port = _free_port()
        env = {
            **env,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "GONGKAI_BIND": f"127.0.0.1:{self.port}",
            "GONGKAI_WORKERS": "2",
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [gunicorn, "-c", "python:gongkai.config.gunicorn", "gongkai.config.wsgi"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, path: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=10) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"{self.name} server did not answer {path} in {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _tracking_cookie(base: str, tracking_number: str, query_code: str) -> str:
    """Look a case up like a visitor (GET the form, POST number and code) and return the cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/track/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "tracking_number": tracking_number, "query_code": query_code}
    ).encode()
    req = urllib.request.Request(base + "/track/", data=body, headers={"Referer": base + "/track/"})
    page = opener.open(req).read().decode()
    if tracking_number not in page:
        raise RuntimeError("tracking look-up failed")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(m.group(1)) * _UNITS[m.group(2)]


def _wrk(url: str, seconds: int, headers: dict[str, str]) -> dict:
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "50" not in lat or "99" not in lat:
        raise RuntimeError(f"wrk gave no latency distribution for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _seconds(lat["50"]),
        "p99": _seconds(lat["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def _pages(info: dict, cookie: str) -> dict[str, tuple[str, dict[str, str]]]:
    return {
        "home": ("/", {}),
        "reports": ("/reports/", {}),
        "report_page": (info["report"], {}),
        "report_pdf": (info["report_pdf"], {}),
        "column_catalogue": (info["column"], {}),
        "column_policies": (info["column"].replace("/catalogue/", "/policies/"), {}),
        "document_page": (info["document"], {}),  # when the demo has a published record
        "track_status": ("/track/status/", {"Cookie": cookie}),
        "api_applications": ("/api/applications/", {"Authorization": f"Token {info['token']}"}),
    }


def _get(url: str, headers: dict[str, str]) -> int:
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=300) as r:  # workers may still drain a queue
        r.read()
        return r.status


def _measure(env: dict[str, str], info: dict) -> list[dict]:
    seconds = int(os.environ.get("GONGKAI_BENCH_LOAD_SECONDS", "5"))
    rounds = int(os.environ.get("GONGKAI_BENCH_LOAD_ROUNDS", "3"))
    app = Server("gongkai", env, "gongkai.config.settings")
    bare = Server("bare", env, "benchmarks.bare_settings")
    try:
        app.wait("/")
        bare.wait("/ok/")
        cookie = _tracking_cookie(app.base, info["tracking_number"], info["query_code"])
        pages = _pages(info, cookie)
        wanted = [p for p in (os.environ.get("GONGKAI_BENCH_LOAD_PAGES") or "").split(",") if p]
        figures = []
        for name, (path, headers) in pages.items():
            if (wanted and name not in wanted) or path is None:
                continue
            for _ in range(4):  # both workers warm, renditions stored
                assert _get(app.base + path, headers) == 200, name
            page_runs, bare_runs = [], []
            for _ in range(rounds):
                bare_runs.append(_wrk(bare.base + "/ok/", seconds, {}))
                page_runs.append(_wrk(app.base + path, seconds, headers))
            shares = [p["rps"] / b["rps"] for p, b in zip(page_runs, bare_runs)]
            share_goal, p99_goal = GOALS[name]
            med = {k: statistics.median(r[k] for r in page_runs) for k in ("rps", "p50", "p99")}
            bare_rps = statistics.median(b["rps"] for b in bare_runs)
            share = statistics.median(shares)
            errors = sum(r["errors"] for r in page_runs)
            ok = share >= share_goal and (p99_goal is None or med["p99"] < p99_goal) and not errors
            figures.append(
                {
                    "name": f"load {name} ({path.split('?')[0]})",
                    "median_s": med["p99"],
                    "goal_s": p99_goal,
                    "rps": med["rps"],
                    "bare_rps": bare_rps,
                    "share": share,
                    "share_goal": share_goal,
                    "p50_s": med["p50"],
                    "errors": errors,
                    "note": (
                        f"p99 {med['p99'] * 1000:.1f} ms, p50 {med['p50'] * 1000:.1f} ms; {med['rps']:.0f} req/s "
                        f"= {share:.0%} of the bare view's {bare_rps:.0f} req/s (goal ≥ {share_goal:.0%}"
                        f"{f', p99 < {p99_goal * 1000:.0f} ms' if p99_goal else ''}: "
                        f"{'meets' if ok else 'MISSES'}); non-2xx {errors}; wrk -t{THREADS} -c{CONNECTIONS} "
                        f"-d{seconds}s, {rounds} alternating rounds"
                    ),
                }
            )
            print("  " + figures[-1]["name"] + ": " + figures[-1]["note"], flush=True)
        return figures
    finally:
        app.stop()
        bare.stop()


def run() -> list[dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_load: DATABASE_URL (PostgreSQL) is not set; skipped")
        return []
    if not shutil.which("wrk"):
        print("bench_load: wrk is not installed (make system-deps); skipped")
        return []
    from benchmarks.bench_reports import _admin, _admin_conninfo

    info = _admin_conninfo(url)
    keep = os.environ.get("GK_BENCH_KEEP") == "1"
    bench_url = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{BENCH_DB}"))
    env = _env(bench_url)
    fresh = not keep
    if keep:
        try:
            _gongkai(
                "shell",
                "-c",
                "from gongkai.agencies.models import Agency; assert Agency.objects.exists()",
                env=env,
            )
        except RuntimeError:
            fresh = True
    if fresh:
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)
        _admin(
            f"CREATE DATABASE {BENCH_DB} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
            info,
        )
        t0 = time.perf_counter()
        _gongkai("migrate", "--noinput", "-v0", env=env)
        _gongkai(
            "load_demo", "--seed", "2026", "--as-of", AS_OF, env={**env, "CELERY_TASK_ALWAYS_EAGER": "1"}
        )
        print(f"  demo region loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    try:
        return _measure(env, _prepare(env))
    finally:
        if not keep:
            _admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", info)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for fig in run():
        print(fig)
