"""Celery application. Workers: ``celery -A gongkai.config.celery worker``; beat: ``... beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
