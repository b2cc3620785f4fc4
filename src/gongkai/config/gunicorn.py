"""gunicorn settings of the app server: ``gunicorn -c python:gongkai.config.gunicorn gongkai.config.wsgi``.

Environment: ``GONGKAI_BIND`` (default ``127.0.0.1:8000``), ``GONGKAI_WORKERS`` (default: two per
core, at least 2), ``GONGKAI_WORKER_TIMEOUT`` (seconds, default 60). Each worker loads Django
before it takes requests and renders a small report PDF and letter once (``post_worker_init``),
so the first PDF a worker serves does not pay for loading WeasyPrint and the CJK fonts.
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


def post_worker_init(worker) -> None:
    """Warm the PDF renderer in the new worker (fonts, WeasyPrint); a failure is logged, never fatal."""
    if os.environ.get("GONGKAI_WARM_PDF", "1") == "0":
        return
    try:
        from gongkai.core.report_render.pdf import warm_up

        warm_up()
    except Exception:  # noqa: BLE001 -- a worker must start even if the warm-up fails
        logging.getLogger(__name__).warning("PDF warm-up failed", exc_info=True)
