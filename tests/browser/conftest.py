"""Playwright (sync API) driving Debian's /usr/bin/chromium against pytest-django's live_server."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--lang=zh-CN",  # browser-drawn strings (file picker) in Chinese
]


@pytest.fixture(autouse=True)
def _browser_settings(settings, tmp_path):
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    """A browser context; every page's Content-Security-Policy violations (Chromium reports each
    refused script, style or handler on the console) fail the test."""
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    ctx.set_default_timeout(15000)
    refused: list[str] = []

    def watch(page):
        page.on(
            "console",
            lambda msg: (
                refused.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None
            ),
        )

    ctx.on("page", watch)
    yield ctx
    ctx.close()
    assert refused == [], refused


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $GONGKAI_SCREENSHOT_DIR if set (to look at them), else tmp."""
    d = Path(os.environ.get("GONGKAI_SCREENSHOT_DIR") or tmp_path / "shots")
    d.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = d / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
