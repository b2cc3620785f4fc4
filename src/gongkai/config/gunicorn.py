"""gunicorn settings of the app server: ``gunicorn -c python:gongkai.config.gunicorn gongkai.config.wsgi``.

Environment: ``GONGKAI_BIND`` (default ``127.0.0.1:8000``), ``GONGKAI_WORKERS`` (default: two per
core, at least 2), ``GONGKAI_WORKER_TIMEOUT`` (seconds, default 60). Each worker loads Django
before it takes requests, imports the URLconf and renders a small report PDF and letter once
(``post_worker_init``), so its first page does not import every view and its first PDF does not
load WeasyPrint and the CJK fonts.
"""

from __future__ import annotations

import logging
import os

bind = os.environ.get("GONGKAI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GONGKAI_WORKERS") or max(2, 2 * (os.cpu_count() or 1)))
worker_class = "sync"
timeout = int(os.environ.get("GONGKAI_WORKER_TIMEOUT", "60"))
accesslog = os.environ.get("GONGKAI_ACCESS_LOG") or None  # "-" for stdout
# Django is imported in each worker (not preloaded in the master), so a worker restart picks up
# new code and no database connection is shared across a fork.
preload_app = False
# No runtime control socket (several servers on one machine would share its default path).
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Warm the new worker before its first request: the URLconf (every view module) and the PDF
    renderer (fonts, WeasyPrint). A failure is logged, never fatal."""
    try:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 -- imports every view module now
        if os.environ.get("GONGKAI_WARM_PDF", "1") != "0":
            from gongkai.core.report_render.pdf import warm_up

            warm_up()
    except Exception:  # noqa: BLE001 -- a worker must start even if the warm-up fails
        logging.getLogger(__name__).warning("worker warm-up failed", exc_info=True)
