"""Issue 8 part A, item 1: production settings are the default.

No built-in secret key (refuse to start), DEBUG off, `check --deploy` clean with the README's
production environment, Chinese error pages, Content-Security-Policy on every page.
"""

import os
import re
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

# The README's production environment (README → Production), with this run's services.
README_PRODUCTION_ENV = {
    "GONGKAI_SECRET_KEY": secrets.token_urlsafe(50),
    "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
    "GONGKAI_CSRF_TRUSTED_ORIGINS": "https://gk.example.gov.cn",
    "GONGKAI_TRUSTED_PROXIES": "1",
}


def server_env(**env) -> dict:
    """A server's environment: the machine's basics and this run's services, nothing the test
    suite set for itself (its secret key, plain HTTP, eager Celery, async-unsafe mode)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "DATABASE_URL", "REDIS_URL", "GONGKAI_VAR_DIR")
    base = {k: os.environ[k] for k in keep if k in os.environ}
    return {**base, "DJANGO_SETTINGS_MODULE": "gongkai.config.settings", **env}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=server_env(**env), capture_output=True, text=True, timeout=120
    )


def test_refuses_to_start_without_a_secret_key():
    r = run_python("import django; django.setup(); print('started')")
    assert r.returncode != 0
    assert "started" not in r.stdout
    assert "GONGKAI_SECRET_KEY 未设置" in r.stderr


def test_debug_is_off_and_https_on_by_default():
    r = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER if hasattr(s, 'SECURE_PROXY_SSL_HEADER') else None)",
        GONGKAI_SECRET_KEY="k" * 60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True", "True", "True", "31536000", "None"]


def test_check_deploy_is_clean_with_the_readme_production_environment():
    r = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=server_env(**README_PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"System check identified no issues \(1 silenced\)", r.stdout), r.stdout


def test_behind_a_proxy_https_is_read_from_x_forwarded_proto():
    r = run_python(
        "import django; django.setup(); from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)",
        **README_PRODUCTION_ENV,
    )
    assert r.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", r.stderr


@pytest.mark.urls("error_urls")
@pytest.mark.parametrize(
    "url,status,title",
    [
        ("/bad/", 400, "请求无效"),
        ("/denied/", 403, "无权访问"),
        ("/no-such-page/", 404, "页面不存在"),
        ("/crash/", 500, "系统错误"),
    ],
)
def test_chinese_error_pages_with_debug_off(client, settings, url, status, title):
    settings.DEBUG = False
    client.raise_request_exception = False
    r = client.get(url)
    assert r.status_code == status
    body = r.content.decode()
    assert f"<h1>{title}</h1>" in body
    assert "Traceback" not in body and "settings" not in body.lower()


def test_disallowed_host_gets_the_chinese_400_page(client, settings):
    settings.DEBUG = False
    r = client.get("/", HTTP_HOST="evil.example.com")
    assert r.status_code == 400
    assert "<h1>请求无效</h1>" in r.content.decode()


def test_pages_carry_a_content_security_policy_with_a_nonce(client, staff):
    r = client.get("/")
    policy = r["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    client.force_login(staff["supervisor"])
    r = client.get("/workbench/supervision/")
    nonce = re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in r.content.decode()


def test_the_demo_key_is_generated_once_per_machine_and_kept_private(tmp_path):
    """`make demo` (and bench, roles-check) take the key from scripts/local-secret-key.sh: made on
    first use into var/local-secret-key (git-ignored, readable by the owner only), then reused."""
    import pathlib
    import shutil
    import stat

    repo = pathlib.Path(__file__).resolve().parents[2]
    (tmp_path / "scripts").mkdir()
    shutil.copy(repo / "scripts" / "local-secret-key.sh", tmp_path / "scripts")
    script = ["bash", str(tmp_path / "scripts" / "local-secret-key.sh")]
    first = subprocess.run(script, capture_output=True, text=True, check=True).stdout.strip()
    second = subprocess.run(script, capture_output=True, text=True, check=True).stdout.strip()
    assert len(first) >= 50 and first == second
    key_file = tmp_path / "var" / "local-secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "var/" in (repo / ".gitignore").read_text().split()
    assert "local-secret-key.sh" in (repo / "Makefile").read_text()
