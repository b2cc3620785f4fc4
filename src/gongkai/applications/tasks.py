"""Celery tasks of the applications app.

``deadline_digest`` runs daily (``CELERY_BEAT_SCHEDULE["deadline-digest-daily"]``): it lists, per
handler, the open cases due within 3 working days or overdue, logs the summary and e-mails each
handler who has an address (Django e-mail backend; console in development).
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from gongkai.config.celery import app as _app  # noqa: F401 -- the app exists before its tasks

from .services.digest import deadline_digest as build_digest
from .services.digest import format_digest

logger = logging.getLogger(__name__)


def send_digest(today: dt.date | None = None, *, email: bool = True) -> dict:
    """Build the digest, e-mail handlers (if ``email``), and return a summary dict."""
    today = today or timezone.localdate()
    groups = build_digest(today)
    sent = 0
    if email:
        sender = getattr(settings, "DEFAULT_FROM_EMAIL", "webmaster@localhost")
        for g in groups:
            if not g.email or not g.items:
                continue
            subject = f"【政府信息公开】{today:%Y年%m月%d日}答复期限提醒：{len(g.items)}件（已超期{len(g.overdue)}件）"
            try:
                send_mail(subject, format_digest([g], today), sender, [g.email], fail_silently=False)
                sent += 1
            except Exception:  # one failing mailbox must not stop the others
                logger.exception("could not send deadline digest to handler %s", g.handler_id)
    summary = {
        "date": today.isoformat(),
        "handlers": len(groups),
        "cases": sum(len(g.items) for g in groups),
        "overdue": sum(len(g.overdue) for g in groups),
        "emails_sent": sent,
    }
    logger.info("deadline digest: %s", summary)
    return summary


@shared_task(name="gongkai.applications.tasks.deadline_digest")
def deadline_digest(today: str | None = None, email: bool = True) -> dict:
    """Daily digest of cases due within 3 working days or overdue (per handler)."""
    day = dt.date.fromisoformat(today) if today else None
    return send_digest(day, email=email)
