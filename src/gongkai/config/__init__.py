"""Project configuration. The Celery app (``gongkai.config.celery``) is imported lazily: the
console commands and web workers that never send a task do not pay for Celery and its Redis client
at start-up; task modules import it before declaring their tasks."""


def __getattr__(name):
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(name)


__all__ = ("celery_app",)
