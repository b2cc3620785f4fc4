"""Plain logic of the public page cache (``gongkai.pagecache``): which SQL statements change what
public pages show, which requests and responses may be cached, and a bounded in-process store.

The cache keys a page by its URL, language, the current date and a *content generation*: a token
that changes whenever a statement writes to a table whose rows public pages may show. So a hit
never shows content older than the last write, whatever code path wrote (ORM ``save()``,
``QuerySet.update()``, ``bulk_create``, raw SQL, a Celery worker, a management command).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

# INSERT INTO / UPDATE / DELETE FROM / TRUNCATE [TABLE] / MERGE INTO name their table; a write
# inside a WITH clause and DDL count as writes to an unknown table.
_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+(?:ONLY\s+)?"?([\w.]+)"?""",
    re.I,
)
_DATA_CHANGE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.I)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "MERGE", "WITH", "ALTER", "DROP", "CREATE")


def written_table(sql: str) -> str | None:
    """The table a statement writes to; ``"*"`` for a write whose table is not recognised
    (``WITH … INSERT``, DDL); None for a statement that writes nothing (SELECT, SAVEPOINT …)."""
    head = sql.lstrip()[:8].upper()
    if not head.startswith(_WRITE_VERBS):
        return None
    if head.startswith("WITH") and not _DATA_CHANGE.search(sql):
        return None  # a read with a common table expression
    m = _WRITE.match(sql)
    return m.group(1).lower() if m else "*"


CONTENT, CREDENTIALS = "content", "credentials"


def write_kind(sql: str, ignored: frozenset[str], credentials: frozenset[str]) -> str | None:
    """What a statement changes: ``CONTENT`` (a table public pages may show), ``CREDENTIALS``
    (sessions, API tokens: who a kept private page belongs to), or None (a read, or a table no
    page shows: login attempts, captchas, anonymised search counts …)."""
    table = written_table(sql)
    if table is None or table in ignored:
        return None
    return CREDENTIALS if table in credentials else CONTENT


def path_cacheable(path: str, exact: tuple[str, ...], prefixes: tuple[str, ...]) -> bool:
    return path in exact or path.startswith(prefixes)


def digest(value: str) -> str:
    """A credential (session key, API token) as it may appear in a key held in memory."""
    return hashlib.sha256(value.encode()).hexdigest() if value else ""


def content_etag(content: bytes) -> str:
    return '"pc-' + hashlib.sha256(content).hexdigest()[:32] + '"'


def cache_control_allows(value: str) -> bool:
    """False when a view asked that its response be kept by no cache (``no-store``, ``private``,
    ``no-cache``)."""
    directives = {d.strip().split("=", 1)[0].lower() for d in value.split(",") if d.strip()}
    return not directives & {"no-store", "private", "no-cache"}


def vary_fields(value: str) -> set[str]:
    return {v.strip().lower() for v in value.split(",") if v.strip()}


@dataclass
class Entry:
    """A stored response: status, headers (no cookies), body, and what the CSP middleware needs
    again on a hit (per-view policy changes; the nonce the body embeds, re-issued per hit)."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    csp: dict = field(default_factory=dict)
    nonce: str | None = None
    expires_at: float | None = None  # wall clock (time.time()): the end of the visitor's session
    throttle_user: int | None = None  # the API user whose rate limits a hit still counts
    stored_at: float = field(default_factory=time.monotonic)

    def with_nonce(self, nonce: str) -> bytes:
        """The body with the stored nonce replaced by this request's (a nonce is never reused)."""
        if not self.nonce:
            return self.content
        return self.content.replace(self.nonce.encode("ascii"), nonce.encode("ascii"))


@dataclass(frozen=True)
class Varies:
    """Stored under a page's shared key when its response varies on request headers besides the
    language (``Vary``): the page is then kept under a key that adds those headers' values."""

    fields: tuple[str, ...]


class LocalStore:
    """A per-process LRU of entries with a maximum age and bounds on count and bytes. All entries
    belong to one content generation: a new generation empties the store. Thread-safe (the demo's
    development server and the tests' live server answer requests in threads)."""

    def __init__(self, max_entries: int, max_bytes: int, max_age: float):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.generation: str | None = None
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # a process forked while another thread held the lock (a Celery or batch worker) would
        # wait for it forever: the child starts with a new lock and an empty store
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._items = OrderedDict()
        self._bytes = 0

    def _size(self, value) -> int:  # markers are small
        return len(value.content) if isinstance(value, Entry) else 0

    def use_generation(self, generation: str) -> None:
        with self._lock:
            if generation != self.generation:
                self._items.clear()
                self._bytes = 0
                self.generation = generation

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def get(self, key: tuple, now: float | None = None):
        with self._lock:
            value = self._items.get(key)
            if value is None:
                return None
            stored_at = value.stored_at if isinstance(value, Entry) else value[1]
            if (now if now is not None else time.monotonic()) - stored_at > self.max_age:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return value if isinstance(value, Entry) else value[0]

    def put(self, key: tuple, value, now: float | None = None) -> None:
        """Store ``value`` (an Entry, or a marker such as ``Varies``)."""
        size = self._size(value)
        stamp = now if now is not None else time.monotonic()
        if isinstance(value, Entry):
            value.stored_at = stamp
        with self._lock:
            if key in self._items:
                self._drop(key)
            if size > self.max_bytes // 8:
                return  # one response never takes more than an eighth of the store
            self._items[key] = value if isinstance(value, Entry) else (value, stamp)
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key: tuple) -> None:
        value = self._items.pop(key)
        self._bytes -= self._size(value)

    def __len__(self) -> int:
        return len(self._items)
