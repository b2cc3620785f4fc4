"""Batch import of report files (批量导入): enumerate, create items, process, dispatch, poll.

A batch source is a directory (walked recursively) or a zip; its files with a report suffix
become :class:`ImportItem` rows. Processing one item = read the bytes, hash them, parse them with
``gongkai.core.report_parse.parse_report`` and save the result, all inside one transaction that
holds a row lock on the item (``SELECT ... FOR UPDATE SKIP LOCKED``). So:

- a crash or Ctrl-C rolls the item back to *pending*; a rerun (``--resume``) picks it up;
- two workers never process the same item, and an item already done is never redone, even when
  a resumed run re-dispatches chunks that are still queued from the interrupted run;
- a file whose content was already imported (same SHA-256, any batch) links to the existing
  report (``duplicate``) instead of creating a second one.

Dispatch: chunks of item ids go to the Celery task ``process_chunk``. With
``CELERY_TASK_ALWAYS_EAGER`` (demo, tests) the task runs in-process; ``workers > 1`` then forks
that many local processes. Otherwise the chunks go to the broker for workers on any machine
(sharing the database, and the source path or zip), keeping at most ``2 * workers`` chunks in
flight, and progress is read by polling the item counts.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
import posixpath
import socket
import time
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib import import_module
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import connections, models, transaction
from django.db.models import Count
from django.utils import timezone

from gongkai.core.sandbox import LimitedRunFailed
from gongkai.core.untrusted import MB, Limits, UnsafeFile, member_cap, read_member

from .limits import import_limits, parse_limited
from .models import BatchStatus, ImportBatch, ImportedReport, ImportItem, ItemStatus, SourceKind
from .services import ImportRejected, content_sha256, save_parsed_report

log = logging.getLogger(__name__)

REPORT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg")  # images: OCR
DEFAULT_CHUNK = 25
# Test hook: seconds to sleep after each processed item (lets a test interrupt a run midway).
DELAY_ENV = "GONGKAI_IMPORT_ITEM_DELAY"
# Dotted path of the parser; ``parse_report(data, filename) -> dict``.
PARSER = "gongkai.core.report_parse.parse_report"


def _parser() -> Callable[[bytes, str], dict]:
    mod, _, name = PARSER.rpartition(".")
    return getattr(import_module(mod), name)


# -- enumeration ----------------------------------------------------------------------------


def is_report_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return (
        not base.startswith(".")
        and not name.startswith("__MACOSX/")
        and base.lower().endswith(REPORT_SUFFIXES)
    )


def is_page_asset(name: str, names: set[str]) -> bool:
    """A file saved with a web page (「年报_files/…」 beside 「年报.html」): part of that page, read
    with it, not a report of its own."""
    parts = name.split("/")
    for i, folder in enumerate(parts[:-1]):
        for tail in ("_files", ".files"):
            if folder.endswith(tail):
                page = "/".join([*parts[:i], folder[: -len(tail)]])
                if page + ".html" in names or page + ".htm" in names:
                    return True
    return False


def zip_display_name(info: zipfile.ZipInfo) -> str:
    """Member name as the author wrote it: zips made on Chinese Windows store GBK names
    without the UTF-8 flag, which Python decodes as cp437."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        return name.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def zip_members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The report members of a zip by display name (GBK names decoded; the raw name is kept
    when two members would decode to the same name)."""
    out: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = zip_display_name(info)
        if not is_report_name(name):
            continue
        out[info.filename if name in out else name] = info
    return out


def enumerate_source(source: str | Path) -> tuple[str, list[str]]:
    """``(kind, names)``: the report files of a directory (relative POSIX paths) or a zip
    (member names as the author wrote them, see :func:`zip_display_name`), sorted."""
    p = Path(source)
    if p.is_dir():
        names = []
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in files:
                rel = Path(root, f).relative_to(p).as_posix()
                if is_report_name(rel):
                    names.append(rel)
        return SourceKind.DIRECTORY, sorted(n for n in names if not is_page_asset(n, set(names)))
    if p.is_file() and zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as zf:
            names = list(zip_members(zf))
        return SourceKind.ZIP, sorted(n for n in names if not is_page_asset(n, set(names)))
    raise ImportRejected(f"“{source}”既不是目录也不是zip压缩包")


def create_batch(
    source: str | Path,
    *,
    user=None,
    agency=None,
    allow_create_agency: bool = True,
    label: str = "",
) -> ImportBatch:
    """A new batch with one pending item per report file of ``source``."""
    source = Path(source).resolve()
    kind, names = enumerate_source(source)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=str(source),
            source_kind=kind,
            label=label or source.name,
            agency=agency,
            allow_create_agency=allow_create_agency,
            total=len(names),
            created_by=user if getattr(user, "pk", None) else None,
        )
        ImportItem.objects.bulk_create((ImportItem(batch=batch, path=n) for n in names), batch_size=2000)
    return batch


# -- processing (runs in Celery workers, or in-process) ---------------------------------------


class _Reader:
    """Reads item bytes from a batch source, keeping zips open across a chunk. Zip members are
    decompressed as a stream and measured (never trusting their declared size)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self._zips: dict[str, tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]] = {}

    def read(self, batch: ImportBatch, path: str) -> tuple[bytes, str]:
        if batch.source_kind == SourceKind.ZIP:
            entry = self._zips.get(batch.source)
            if entry is None:
                zf = zipfile.ZipFile(batch.source)
                entry = self._zips[batch.source] = (zf, zip_members(zf))
            zf, members = entry
            info = members.get(path) or zf.getinfo(path)  # older batches stored raw names
            try:
                return read_member(zf, info, self.limits, name=path), path
            except UnsafeFile as exc:
                raise ImportRejected(str(exc)) from None
        full = Path(batch.source, path)
        size, cap = full.stat().st_size, member_cap(path, self.limits)
        if size > cap:
            raise ImportRejected(f"文件过大（{size / MB:.0f} MB，上限 {cap // MB} MB）")
        return full.read_bytes(), path

    def assets(self, batch: ImportBatch, path: str) -> Callable[[str], bytes | None]:
        """``src -> bytes | None``: the files an HTML item refers to, beside it in the same
        directory or zip (a saved page's pictures), read inside the caps, never outside the source."""
        from gongkai.core.report_parse.ocr import folder_assets

        if batch.source_kind != SourceKind.ZIP:
            return folder_assets(Path(batch.source, path).parent)
        key = f"{batch.source}#assets"  # every member by display name, not only reports
        if key not in self._zips:
            zf = zipfile.ZipFile(batch.source)
            self._zips[key] = (zf, {zip_display_name(i): i for i in zf.infolist() if not i.is_dir()})
        zf, by_name = self._zips[key]
        base = posixpath.dirname(path)

        def read(src: str) -> bytes | None:
            rel = posixpath.normpath(posixpath.join(base, unquote(urlsplit(src).path)))
            info = by_name.get(rel)
            if info is None or rel.startswith("../") or src.lower().startswith("data:"):
                return None
            try:
                return read_member(zf, info, self.limits, name=rel)
            except UnsafeFile:
                return None

        return read

    def close(self):
        for zf, _members in self._zips.values():
            zf.close()
        self._zips.clear()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_items(item_ids: Iterable[int]) -> dict[str, int]:
    """Process the pending items among ``item_ids``; returns counts {done, failed, skipped}.

    Each item in its own transaction holding its row lock; items not pending (done, failed, or
    locked by another worker right now) are skipped.
    """
    parse = _parser()
    reader = _Reader(import_limits())
    delay = float(os.environ.get(DELAY_ENV) or 0)
    counts = {"done": 0, "failed": 0, "skipped": 0}
    batches: dict[int, ImportBatch] = {}
    allowed: dict[int, set[int] | None] = {}
    worker = _worker_name()
    try:
        for item_id in item_ids:
            with transaction.atomic():
                # of=("self",) and no ordering: lock only the item row (the default ordering
                # joins the batch, whose row every worker would then lock and skip).
                item = (
                    ImportItem.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk=item_id, status=ItemStatus.PENDING)
                    .order_by()
                    .first()
                )
                if item is None:
                    counts["skipped"] += 1
                    continue
                batch = batches.get(item.batch_id)
                if batch is None:
                    batch = batches[item.batch_id] = ImportBatch.objects.select_related(
                        "agency", "created_by"
                    ).get(pk=item.batch_id)
                    allowed[batch.pk] = _allowed_ids(batch)
                _process_one(item, batch, reader, parse, allowed[batch.pk])
                item.processed_at = timezone.now()
                item.worker = worker[:200]
                item.save(
                    update_fields=[
                        "status",
                        "error",
                        "sha256",
                        "duplicate",
                        "report",
                        "processed_at",
                        "worker",
                    ]
                )
                counts["done" if item.status == ItemStatus.DONE else "failed"] += 1
            if delay:
                time.sleep(delay)
    finally:
        reader.close()
        for batch in batches.values():
            refresh_batch(batch)
    return counts


def _allowed_ids(batch: ImportBatch) -> set[int] | None:
    """Uploads by a non-superuser may only attach reports to agencies the uploader sees."""
    user = batch.created_by
    if user is None or user.is_superuser or batch.allow_create_agency:
        return None
    from gongkai.agencies.access import visible_agency_ids

    return visible_agency_ids(user)


def _process_one(item: ImportItem, batch: ImportBatch, reader: _Reader, parse, allowed) -> None:
    try:
        data, filename = reader.read(batch, item.path)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        item.status, item.error = ItemStatus.FAILED, f"无法读取文件：{exc}"
        return
    except ImportRejected as exc:
        item.status, item.error = ItemStatus.FAILED, str(exc)
        return
    item.sha256 = content_sha256(data)
    existing = ImportedReport.objects.filter(sha256=item.sha256).only("pk").first()
    if existing is not None:
        item.status, item.report, item.duplicate, item.error = ItemStatus.DONE, existing, True, ""
        return
    try:
        if filename.lower().endswith((".html", ".htm")):  # its pictures (tables as images) beside it
            parse = functools.partial(parse, assets=reader.assets(batch, item.path))
        result = dict(parse_limited(parse, data, Path(filename).name))
        result["source"] = filename
        with transaction.atomic():
            report = save_parsed_report(
                result,
                user=batch.created_by,
                agency=batch.agency,
                sha256=item.sha256,
                batch=batch,
                allow_create_agency=batch.allow_create_agency,
                allowed_agency_ids=allowed,
                check_existing=False,
            )
    except (ImportRejected, LimitedRunFailed) as exc:
        item.status, item.error = ItemStatus.FAILED, str(exc)[:2000]
        return
    except Exception as exc:  # a parser error on one file must not stop the batch
        log.exception("report import: item %s (%s) failed", item.pk, item.path)
        item.status, item.error = ItemStatus.FAILED, f"解析失败：{type(exc).__name__}: {exc}"[:2000]
        return
    item.status, item.report, item.error = ItemStatus.DONE, report, ""
    item.duplicate = not getattr(report, "created_now", False)


def item_counts(batch: ImportBatch | int) -> dict[str, int]:
    batch_id = getattr(batch, "pk", batch)
    rows = ImportItem.objects.filter(batch_id=batch_id).values("status").annotate(n=Count("id"))
    out = {s.value: 0 for s in ItemStatus}
    out.update({r["status"]: r["n"] for r in rows})
    return out


def refresh_batch(batch: ImportBatch) -> dict[str, int]:
    """Store the item counts on the batch; mark it finished when nothing is pending."""
    c = item_counts(batch)
    fields = {"done": c[ItemStatus.DONE], "failed": c[ItemStatus.FAILED], "total": sum(c.values())}
    if c[ItemStatus.PENDING] == 0:
        fields["status"] = BatchStatus.FINISHED
        ImportBatch.objects.filter(pk=batch.pk, finished_at__isnull=True).update(finished_at=timezone.now())
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for k, v in fields.items():
        setattr(batch, k, v)
    return c


# -- running a batch (command line and web) ---------------------------------------------------


@dataclass
class RunResult:
    batch: ImportBatch
    dispatched: int
    counts: dict[str, int]
    interrupted: bool = False


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _eager() -> bool:
    from gongkai.config.celery import app

    return bool(app.conf.task_always_eager)


def _child_process(ids: list[int]) -> dict[str, int]:
    return process_items(ids)


def reset_failed(batch: ImportBatch) -> int:
    n = ImportItem.objects.filter(batch=batch, status=ItemStatus.FAILED).update(
        status=ItemStatus.PENDING, error=""
    )
    refresh_batch(batch)
    return n


def run_batch(
    batch: ImportBatch,
    *,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    limit: int | None = None,
    progress: Callable[[dict[str, int]], None] | None = None,
    poll_interval: float = 0.5,
    timeout: float | None = None,
) -> RunResult:
    """Process the pending items of ``batch`` (at most ``limit``), reporting progress.

    ``progress(counts)`` is called with the batch's item counts after each eager chunk, or at
    every poll while remote workers run. KeyboardInterrupt leaves the batch *interrupted* and
    propagates; processed items stay done, the one in flight rolls back to pending.
    """
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, started_at=batch.started_at or timezone.now(), finished_at=None
    )
    qs = (
        ImportItem.objects.filter(batch=batch, status=ItemStatus.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )
    ids = list(qs[:limit] if limit else qs)
    chunks = _chunks(ids, max(1, chunk_size))

    def report() -> dict[str, int]:
        c = item_counts(batch)
        if progress:
            progress(c)
        return c

    try:
        if _eager() and workers <= 1:
            from .tasks import process_chunk

            for chunk in chunks:
                process_chunk.apply_async((chunk,))  # always-eager: runs here, now
                report()
        elif _eager():
            _run_forked(chunks, workers, report)
        else:
            _run_remote(batch, chunks, workers, report, poll_interval, timeout)
    except KeyboardInterrupt:
        refresh_batch(batch)
        if batch.status != BatchStatus.FINISHED:
            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.INTERRUPTED)
            batch.status = BatchStatus.INTERRUPTED
        raise
    counts = refresh_batch(batch)
    if counts[ItemStatus.PENDING]:
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.INTERRUPTED)
        batch.status = BatchStatus.INTERRUPTED
    report()
    return RunResult(batch=batch, dispatched=len(ids), counts=counts)


def _run_forked(chunks: list[list[int]], workers: int, report) -> None:
    connections.close_all()  # children must not share the parent's database sockets
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        pending = set()
        queue = list(chunks)
        try:
            while queue or pending:
                while queue and len(pending) < workers * 2:
                    pending.add(pool.submit(_child_process, queue.pop(0)))
                finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for f in finished:
                    f.result()
                report()
        except BaseException:
            for f in pending:
                f.cancel()
            raise


def _run_remote(batch, chunks, workers, report, poll_interval, timeout) -> None:
    from .tasks import process_chunk

    start = report()
    base = start[ItemStatus.DONE] + start[ItemStatus.FAILED]
    size = max(len(chunks[0]), 1) if chunks else 1
    window = max(1, workers) * 2 * size  # items allowed in flight
    dispatched = 0
    deadline = time.monotonic() + timeout if timeout else None
    queue = list(chunks)
    while True:
        c = report()
        processed = c[ItemStatus.DONE] + c[ItemStatus.FAILED] - base
        if not queue and (processed >= dispatched or c[ItemStatus.PENDING] == 0):
            return
        while queue and dispatched - processed < window:
            chunk = queue.pop(0)
            process_chunk.apply_async((chunk,))
            dispatched += len(chunk)
        if deadline and time.monotonic() > deadline:
            raise TimeoutError(f"batch {batch.pk}: workers did not finish within {timeout} s")
        time.sleep(poll_interval)


def dispatch_pending(batch: ImportBatch, chunk_size: int = DEFAULT_CHUNK) -> int:
    """Queue every pending item of ``batch`` without waiting (web uploads with real workers)."""
    from .tasks import process_chunk

    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, started_at=timezone.now())
    ids = list(
        ImportItem.objects.filter(batch=batch, status=ItemStatus.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _chunks(ids, chunk_size):
        process_chunk.apply_async((chunk,))
    return len(ids)


# -- recovery of stale items ------------------------------------------------------------------


def stale_batches(older_than_minutes: float | None = None) -> list[ImportBatch]:
    """Batches still marked pending or running, started (or created) more than
    ``older_than_minutes`` ago (setting ``GONGKAI_IMPORT_STALE_MINUTES``, default 10), that have
    pending items: their worker died before it could finish them."""
    from django.conf import settings

    if older_than_minutes is None:
        older_than_minutes = float(getattr(settings, "GONGKAI_IMPORT_STALE_MINUTES", 10))
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    qs = (
        ImportBatch.objects.filter(status__in=[BatchStatus.PENDING, BatchStatus.RUNNING])
        .filter(models.Q(started_at__lte=cutoff) | models.Q(started_at__isnull=True, created_at__lte=cutoff))
        .filter(items__status=ItemStatus.PENDING)
        .distinct()
        .order_by("pk")
    )
    return list(qs)


def recover_stale(older_than_minutes: float | None = None) -> dict[int, int]:
    """Process (eager) or queue again (workers) the pending items of stale batches; returns
    ``{batch id: items dispatched}``. Harmless when a worker is still on them: items are claimed
    under a row lock and only pending ones are processed."""
    out = {}
    for b in stale_batches(older_than_minutes):
        if _eager():
            out[b.pk] = run_batch(b).dispatched
        else:
            out[b.pk] = dispatch_pending(b)
        log.warning("report import: recovered batch %s (%s pending items)", b.pk, out[b.pk])
    return out
