"""The Celery app is created lazily (console start-up), so every module declaring tasks must import
``gongkai.config.celery`` first: a task sent before the app exists would go to Celery's default
broker instead of ours."""

from pathlib import Path

import gongkai


def test_every_task_module_creates_the_app_first():
    root = Path(gongkai.__file__).parent
    modules = [p for p in root.rglob("*.py") if "shared_task" in p.read_text("utf-8")]
    assert modules
    for path in modules:
        assert "from gongkai.config.celery import app" in path.read_text("utf-8"), path
