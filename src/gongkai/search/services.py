"""The search service: ``index(obj)``, ``remove(obj)``, ``search(query, filters, page)`` and
``reindex()`` over the configured backend.

``GONGKAI_SEARCH_BACKEND`` (dotted path of a :class:`~.backends.base.SearchBackend`) chooses the
backend; unset, PostgreSQL databases get :class:`~.backends.postgres.PostgresSearchBackend` and
every other database :class:`~.backends.simple.SimpleSearchBackend`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from gongkai.core.search_text import ParsedQuery

from . import registry
from .backends.base import SearchBackend, SearchFilters, SearchPage

logger = logging.getLogger(__name__)

POSTGRES = "gongkai.search.backends.postgres.PostgresSearchBackend"
SIMPLE = "gongkai.search.backends.simple.SimpleSearchBackend"

_backends: dict[str, SearchBackend] = {}


def backend_path() -> str:
    configured = getattr(settings, "GONGKAI_SEARCH_BACKEND", None)
    if configured:
        return configured
    return POSTGRES if connection.vendor == "postgresql" else SIMPLE


def get_backend() -> SearchBackend:
    path = backend_path()
    if path not in _backends:
        _backends[path] = import_string(path)()
    return _backends[path]


def index(obj) -> bool:
    """(Re)index one object of a registered model; an object its registration says is not public
    (draft, withheld, …) is removed instead. Returns whether it is now in the index."""
    reg = registry.for_object(obj)
    if reg is None:
        raise LookupError(f"{type(obj).__name__} is not registered for search")
    doc = reg.document(obj)
    backend = get_backend()
    if doc is None:
        backend.remove(reg.kind, [obj.pk])
        return False
    backend.index([doc])
    return True


def remove(obj) -> None:
    reg = registry.for_object(obj)
    if reg is not None:
        get_backend().remove(reg.kind, [obj.pk])


def search(
    query: str | ParsedQuery, filters: SearchFilters | None = None, page: int = 1, per_page: int = 20
) -> SearchPage:
    return get_backend().search(query, filters, page=page, per_page=per_page)


def reindex(kinds: Iterable[str] | None = None, *, batch: int = 500, progress=None) -> dict[str, int]:
    """Rebuild the index of the given kinds (all registered when ``None``): entries of objects
    that are gone or no longer public are removed. Returns indexed counts per kind."""
    backend = get_backend()
    regs = [registry.get(k) for k in kinds] if kinds else registry.all_registrations()
    out: dict[str, int] = {}
    for reg in regs:
        seen: set[int] = set()
        docs = []
        n = 0
        for obj in reg.queryset().iterator(chunk_size=batch):
            doc = reg.document(obj)
            if doc is None:
                continue
            docs.append(doc)
            seen.add(obj.pk)
            if len(docs) >= batch:
                n += backend.index(docs)
                docs = []
                if progress:
                    progress(reg.kind, n)
        n += backend.index(docs)
        from .models import SearchEntry

        stale = set(SearchEntry.objects.filter(kind=reg.kind).values_list("object_id", flat=True)) - seen
        if stale:
            backend.remove(reg.kind, stale)
        out[reg.kind] = n
        logger.info("reindexed %s: %d entries, %d stale removed", reg.kind, n, len(stale))
    return out


def sync_missing(*, batch: int = 500) -> dict[str, tuple[int, int]]:
    """Bring the index up to date after data changed without the signals (a data migration such
    as records 0005, a restore): index the objects of each kind that have no entry, remove the
    entries whose object is gone. Two anti-joins per kind — cheap when the index is current.
    Returns ``{kind: (indexed, removed)}`` for the kinds that changed."""
    from django.db.models import Exists, OuterRef

    from .models import SearchEntry

    backend = get_backend()
    out: dict[str, tuple[int, int]] = {}
    for reg in registry.all_registrations():
        entries = SearchEntry.objects.filter(kind=reg.kind)
        missing = reg.queryset().filter(~Exists(entries.filter(object_id=OuterRef("pk"))))
        indexed = 0
        docs = []
        for obj in missing.iterator(chunk_size=batch):
            doc = reg.document(obj)
            if doc is not None:
                docs.append(doc)
            if len(docs) >= batch:
                indexed += backend.index(docs)
                docs = []
        indexed += backend.index(docs)
        live = reg.model._default_manager.filter(pk=OuterRef("object_id"))
        stale = list(entries.filter(~Exists(live)).values_list("object_id", flat=True))
        removed = backend.remove(reg.kind, stale) if stale else 0
        if indexed or removed:
            out[reg.kind] = (indexed, removed)
    return out


def after_migrate(sender, verbosity: int = 1, using: str = "default", stdout=None, **kwargs) -> None:
    """``post_migrate`` (once per ``migrate``): :func:`sync_missing`, reported on the console."""
    import sys

    from django.db import DatabaseError, transaction

    if using != "default":
        return
    try:
        with transaction.atomic():
            changed = sync_missing()
    except DatabaseError as exc:  # migrated backwards: tables of another shape
        logger.warning("search index not synchronised after migrate: %s", exc)
        return
    if verbosity >= 1:
        for kind, (indexed, removed) in changed.items():
            (stdout or sys.stdout).write(f"  检索索引 {kind}：补充 {indexed} 条，移除 {removed} 条\n")
