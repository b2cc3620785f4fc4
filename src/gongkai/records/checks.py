"""Registry of extra preconditions for record transitions (other apps extend the lifecycle).

Another app registers a check for an action (usually in its ``AppConfig.ready``)::

    from gongkai.records import checks

    @checks.register("publish")
    def no_unresolved_personal_data(record, data):
        if ...:
            return "正文中有未处理的个人信息，不能发布"  # Chinese message: the action is refused
        return None

A check receives the locked :class:`~gongkai.records.models.Record` and the action's input
``data``; it runs inside the transition's transaction after the lifecycle table's own checks.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[object, dict], "str | None"]

_registry: dict[str, list[Check]] = {}


def register(*actions: str):
    """Decorator registering ``fn`` for each of ``actions`` (idempotent)."""

    def deco(fn: Check) -> Check:
        for action in actions:
            bucket = _registry.setdefault(action, [])
            if fn not in bucket:
                bucket.append(fn)
        return fn

    return deco


def unregister(action: str, fn: Check) -> None:
    bucket = _registry.get(action, [])
    if fn in bucket:
        bucket.remove(fn)


def checks_for(action: str) -> list[Check]:
    return list(_registry.get(action, ()))
