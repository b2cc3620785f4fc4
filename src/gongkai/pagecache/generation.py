"""The generations of the public page cache: tokens in the shared cache (Redis in production).

``content`` changes whenever a database statement writes to a table public pages may show;
``credentials`` whenever sessions or API tokens are written (a page kept for one visitor's session
or token is then looked up afresh). Every connection gets an execute wrapper, so ORM saves,
``update()``, bulk inserts, raw SQL, Celery workers and management commands all count. Outside a
transaction the write is committed at once and the token changes after it. Inside one, the token
changes at the first write after the generations were read in this process (so a request or a test
that writes and then reads in one transaction sees its own write), and again on commit (so a page
rendered from the old rows by another process while the transaction ran is never served).
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction

from gongkai.core.page_cache import CONTENT, CREDENTIALS, write_kind

log = logging.getLogger(__name__)


def _key(kind: str) -> str:
    """Per database: the generations describe one database's rows (deployments sharing a Redis,
    or test runs with a database each, do not disturb each other)."""
    return f"gk:pagecache:{connections['default'].settings_dict['NAME']}:{kind}"


_state = {"bumped_since_read": set(), "tables": None}


def current() -> tuple[str, str] | None:
    """(content, credentials) generations in one round trip; None when the cache cannot be
    reached (pages are then rendered)."""
    try:
        keys = {kind: _key(kind) for kind in (CONTENT, CREDENTIALS)}
        found = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 -- a cache outage must not take the site down
        log.warning("page cache: generations unreadable", exc_info=True)
        return None
    _state["bumped_since_read"] = set()
    return tuple(found.get(keys[k]) or bump(k) for k in (CONTENT, CREDENTIALS))


def bump(kind: str = CONTENT) -> str:
    token = uuid.uuid4().hex
    try:
        cache.set(_key(kind), token, None)
    except Exception:  # noqa: BLE001 -- a write must not fail because the cache is down
        log.warning("page cache: generation not changed", exc_info=True)
    _state["bumped_since_read"].add(kind)
    if kind == CONTENT:
        from .middleware import STORE

        STORE.clear()
    return token


def bump_content() -> None:
    bump(CONTENT)


def bump_credentials() -> None:
    bump(CREDENTIALS)


_ON_COMMIT = {CONTENT: bump_content, CREDENTIALS: bump_credentials}


def _tables() -> tuple[frozenset[str], frozenset[str]]:
    if _state["tables"] is None:
        _state["tables"] = (
            frozenset(t.lower() for t in settings.GONGKAI_PAGE_CACHE_IGNORED_TABLES),
            frozenset(t.lower() for t in settings.GONGKAI_PAGE_CACHE_CREDENTIAL_TABLES),
        )
    return _state["tables"]


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    kind = write_kind(sql, *_tables()) if isinstance(sql, str) else CONTENT
    if kind is not None:
        connection = context["connection"]
        if not connection.in_atomic_block:
            bump(kind)
        else:
            if kind not in _state["bumped_since_read"]:
                bump(kind)
            callback = _ON_COMMIT[kind]
            if not any(func is callback for _, func, _ in connection.run_on_commit):
                transaction.on_commit(callback, using=connection.alias, robust=True)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """``connection_created``: watch the connection's writes (once per connection object)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def setting_changed(**kwargs) -> None:
    """A changed setting may change any page (tests): new generations."""
    if kwargs.get("setting", "").startswith("GONGKAI_PAGE_CACHE_"):
        _state["tables"] = None
    bump(CONTENT)
    bump(CREDENTIALS)
