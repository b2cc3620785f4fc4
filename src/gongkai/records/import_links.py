"""What a saved document page links to, for ``gongkai import-documents``: its attachments (附件)
and the documents that amended or repealed it (有效性 notices, 相关文件).

Attachments: a link to a PDF / Word / WPS / Excel / image / text file is looked up on disk —
the relative path of the link, else the same file name in the page's ``<name>_files/`` folder
or beside the page (browsers and site crawlers save them there), never outside the imported
folder. Remote links (``http(s)://``) without a local copy are fetched only with
``--fetch-remote`` (:func:`fetch`: http/https only, redirects too, a timeout and the attachment
size cap). Each file becomes a :class:`RecordAttachment` whose text is extracted like an
uploaded one (Celery task, limited child); re-running keeps identical files, replaces changed
ones (same name) and adds new ones.

Links: the target of a notice's link is the record imported from that page (its
``source_key``), else the only record with the 文号 the notice names; the record gets
``replaced_by`` and ``validity_changed_on`` (the notice's date, else the replacing document's
publication date). Links listed under 相关文件 count only for a page that is no longer in force
and names no replacing document: the newest related document published on or after it.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.core import record_lifecycle as lc

from .models import Record, RecordAttachment
from .services.attachments import PENDING_NOTE, announce
from .services.lifecycle import append_event

ALLOWED_SCHEMES = ("http", "https")
RECORD_ATTACHMENT_TYPES = {
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/vnd.ms-works",
}
RELATION_LABELS = {lc.VALIDITY_AMENDED: "修改", lc.VALIDITY_REPEALED: "废止", lc.VALIDITY_EXPIRED: "失效"}


class FetchError(Exception):
    """A remote attachment that could not be fetched (message in Chinese)."""


def attachment_types() -> dict[str, str]:
    return {**getattr(settings, "GONGKAI_ATTACHMENT_TYPES", {}), **RECORD_ATTACHMENT_TYPES}


def max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))


def fetch_timeout() -> float:
    return float(getattr(settings, "GONGKAI_IMPORT_FETCH_TIMEOUT", 20))


# -- attachments ------------------------------------------------------------------------------
@dataclass
class AttachmentSource:
    name: str  # the attachment's name (link text with the file's extension, else the file name)
    href: str
    path: Path | None = None  # the local copy
    url: str = ""  # remote, fetched only with --fetch-remote

    def describe(self) -> str:
        return f"“{self.name}”"


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def _clean_name(text: str, file_name: str) -> str:
    ext = PurePosixPath(file_name).suffix.lower()
    label = re.sub(r"^附件\s*[：:]\s*", "", "".join(c for c in text if c not in '\\/:*?"<>|\r\n\t').strip())
    if not label or len(label) > 80:
        return file_name
    return label if label.lower().endswith(ext) else label + ext


def locate(page: Path, root: Path, href: str, text: str = "") -> AttachmentSource | str:
    """The attachment a link points to, or a Chinese note why it is skipped."""
    parts = urlsplit(href)
    file_name = unquote(PurePosixPath(parts.path).name)
    if not file_name:
        return f"附件链接“{href[:80]}”没有文件名，已跳过"
    if parts.scheme and parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"附件链接“{href[:80]}”的类型不支持（只接受相对路径和 http/https），已跳过"
    name = _clean_name(text, file_name)
    candidates = []
    if not parts.scheme and not parts.netloc and not parts.path.startswith("/"):
        candidates.append(page.parent / unquote(parts.path))
    candidates += [page.parent / f"{page.stem}_files" / file_name, page.parent / file_name]
    for c in candidates:
        if _inside(c, root) and c.is_file():
            return AttachmentSource(name=name, href=href, path=c.resolve())
    if parts.scheme:
        return AttachmentSource(name=name, href=href, url=href)
    return f"找不到附件文件“{unquote(href)[:80]}”"


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ALLOWED_SCHEMES:
            raise FetchError(f"重定向到不允许的地址：{newurl[:80]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, limit: int, timeout: float) -> bytes:
    """The body of ``url`` (http/https only), at most ``limit`` bytes, within ``timeout`` seconds
    in all (not only per read)."""
    if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError("只能下载 http/https 链接")
    opener = urllib.request.build_opener(_Redirects)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(
            urllib.request.Request(url, headers={"User-Agent": "gongkai-import"}), timeout=timeout
        ) as r:
            length = r.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"超过大小上限（{limit // (1024 * 1024)}MB）")
            chunks, size = [], 0
            while chunk := r.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"超过大小上限（{limit // (1024 * 1024)}MB）")
                if time.monotonic() > deadline:
                    raise FetchError(f"下载超时（{timeout:.0f} 秒）")
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib refuses redirects to other schemes itself
            raise FetchError("重定向到不允许的地址") from exc
        raise FetchError(f"下载失败：HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(f"下载失败：{reason}") from exc
    return b"".join(chunks)


def check(name: str, data: bytes) -> str:
    """A Chinese error for a file of a wrong type, empty or too large, else ''."""
    ext = PurePosixPath(name).suffix.lower()
    if ext not in attachment_types():
        return f"附件“{name}”的文件类型不支持（可用：{'、'.join(sorted(attachment_types()))}）"
    if not data:
        return f"附件“{name}”为空文件"
    if len(data) > max_bytes():
        return f"附件“{name}”超过大小上限（{max_bytes() // (1024 * 1024)}MB）"
    return ""


def read(src: AttachmentSource, fetch_remote: bool) -> bytes:
    if src.path is not None:
        if src.path.stat().st_size > max_bytes():
            raise FetchError(f"超过大小上限（{max_bytes() // (1024 * 1024)}MB）")
        return src.path.read_bytes()
    if not fetch_remote:
        raise FetchError("远程附件未下载（使用 --fetch-remote 下载）")
    return fetch(src.url, limit=max_bytes(), timeout=fetch_timeout())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored_digest(att: RecordAttachment) -> str:
    try:
        with att.file.open("rb") as fh:
            return _digest(fh.read())
    except OSError:
        return ""


def sync_attachments(
    record_id: int, sources: list[AttachmentSource], *, fetch_remote: bool = False, actor=None
) -> tuple[list[str], list[str]]:
    """Store the page's attachments on the record: ``(names added or replaced, notes)``."""
    notes: list[str] = []
    files: list[tuple[AttachmentSource, bytes]] = []
    for src in sources:
        try:
            data = read(src, fetch_remote)
        except (FetchError, OSError) as exc:
            notes.append(f"附件{src.describe()}：{exc}")
            continue
        error = check(src.name, data)
        if error:
            notes.append(error)
        else:
            files.append((src, data))
    if not files:
        return [], notes
    changed: list[RecordAttachment] = []
    with transaction.atomic():
        rec = Record.objects.select_for_update().get(pk=record_id)
        existing = {a.original_name: a for a in rec.attachments.all()}
        for src, data in files:
            att = existing.get(src.name)
            if att is not None and att.size == len(data) and _stored_digest(att) == _digest(data):
                continue
            if att is None:
                att = RecordAttachment(record=rec, original_name=src.name)
            att.content_type = attachment_types()[PurePosixPath(src.name).suffix.lower()]
            att.size, att.text, att.text_error = len(data), "", PENDING_NOTE
            att.uploaded_by = actor if getattr(actor, "pk", None) else None
            att.file.save(src.name, ContentFile(data), save=False)
            att.save()
            existing[src.name] = att
            changed.append(att)
        if changed:
            announce(rec, changed, actor, "导入附件")
    return [a.original_name for a in changed], notes


def describe_sources(sources: list[AttachmentSource], fetch_remote: bool) -> str:
    """Dry-run line: the attachments that would be stored."""
    local = [s.name for s in sources if s.path is not None]
    remote = [s.name for s in sources if s.path is None]
    parts = []
    if local:
        parts.append(f"附件 {len(local)} 个：{'、'.join(local)}")
    if remote:
        how = "将下载" if fetch_remote else "未下载，需要 --fetch-remote"
        parts.append(f"远程附件 {len(remote)} 个（{how}）：{'、'.join(remote)}")
    return "；".join(parts)


# -- links to the replacing document ----------------------------------------------------------
@dataclass
class Target:
    """A linked document: the record (saved) or the item of this run (dry run) it resolves to."""

    record: Record | None
    title: str
    source_key: str
    published_on: object = None


def link_key(page: Path, base: Path, href: str, page_keys: dict[str, list[str]]) -> str:
    """The source key (path relative to the imported folder) of the saved page ``href`` points
    to: its relative path, else a page of the folder with the same file name (unique)."""
    parts = urlsplit(href)
    if not parts.scheme and not parts.netloc and parts.path and not parts.path.startswith("/"):
        path = (page.parent / unquote(parts.path)).resolve()
        if _inside(path, base) and path.is_file():
            return str(path.relative_to(base.resolve()))
    name = unquote(PurePosixPath(urljoin("/", parts.path)).name)
    keys = page_keys.get(name, [])
    return keys[0] if len(keys) == 1 else ""


def _date(value):
    from gongkai.core.doc_page import parse_date

    return parse_date(value) if isinstance(value, str) else value


class LinkResolver:
    """Targets of one run's links: records imported before (by source key or 文号) and, in a dry
    run, the items of this run that would be created."""

    def __init__(self, items: list, base: Path, pages: list[Path]):
        self.base = base
        self.page_keys: dict[str, list[str]] = {}
        for p in pages:
            self.page_keys.setdefault(p.name, []).append(str(p.relative_to(base)))
        self.items = {i.source_key: i for i in items if not i.errors}

    def target(self, item, link: dict, dry_run: bool) -> Target | None:
        key = link_key(item.page, self.base, link["href"], self.page_keys) if link["href"] else ""
        if key == item.source_key:
            return None
        found = None
        if key:
            found = Record.objects.filter(source_key=key).order_by("pk").first()
            if found is None and dry_run and key in self.items:
                other = self.items[key]
                return Target(None, other.title, key, _date(other.data.get("published_on", "")))
        if found is None and link["doc_number"]:
            same = list(Record.objects.filter(doc_number=link["doc_number"]).exclude(pk=item.record_id)[:2])
            found = same[0] if len(same) == 1 else None
            if found is None and dry_run and not same:
                others = [i for i in self.items.values() if i.data.get("doc_number") == link["doc_number"]]
                if len(others) == 1 and others[0] is not item:
                    o = others[0]
                    return Target(None, o.title, o.source_key, _date(o.data.get("published_on", "")))
        if found is None:
            return None
        return Target(found, found.title, found.source_key, found.published_on or found.written_on)

    def choose(self, item, validity: str, published_on, dry_run: bool):
        """``(relation, target or None, date)`` of the item, or None."""
        notices = [ln for ln in item.links if ln["relation"] != "related"]
        for ln in notices:
            t = self.target(item, ln, dry_run)
            if t is not None:
                return ln["relation"], t, _date(ln["date"]) or t.published_on
        if notices:
            ln = notices[0]
            if ln["href"] or ln["doc_number"]:
                item.notes.append(
                    f"未找到替代文件“{ln['doc_number'] or ln['text'][:60]}”（未导入或文号不唯一）"
                )
            return (ln["relation"], None, _date(ln["date"])) if ln["date"] else None
        if validity == lc.IN_FORCE:
            return None
        related = [t for ln in item.links if (t := self.target(item, ln, dry_run)) is not None]
        related = [
            t for t in related if t.published_on and (not published_on or t.published_on >= published_on)
        ]
        if not related:
            return None
        best = max(related, key=lambda t: t.published_on)
        return validity, best, best.published_on

    def apply(self, item, *, dry_run: bool, actor=None) -> None:
        if not item.links:
            return
        if dry_run:
            from gongkai.core.doc_page import parse_validity

            v = parse_validity(item.data.get("validity", "")) or lc.IN_FORCE
            got = self.choose(item, v, _date(item.data.get("published_on", "")), dry_run)
            if got and got[1] is not None:
                relation, t, date = got
                item.notes.append(
                    f"将关联替代文件《{t.title}》（{t.source_key}），{date or '日期未知'}"
                    f"{RELATION_LABELS.get(relation, '')}"
                )
            return
        with transaction.atomic():
            rec = Record.objects.select_for_update().get(pk=item.record_id)
            got = self.choose(item, rec.validity, rec.published_on, dry_run)
            if got is None or rec.validity == lc.IN_FORCE:
                return
            relation, t, date = got
            new = {
                "replaced_by_id": t.record.pk if t is not None else rec.replaced_by_id,
                "validity_changed_on": date or rec.validity_changed_on,
            }
            changed = [k for k, v in new.items() if getattr(rec, k) != v]
            if not changed:
                return
            for k, v in new.items():
                setattr(rec, k, v)
            rec.save(update_fields=[*new, "updated_at"])
            append_event(
                rec,
                "import_link",
                label="导入有效性关联",
                from_state=rec.state,
                to_state=rec.state,
                actor=actor,
                effective_date=rec.validity_changed_on,
                data={"replaced_by": rec.replaced_by_id, "relation": relation, "source_key": item.source_key},
            )
        item.changed += [k.removesuffix("_id") for k in changed]
        if t is not None:
            item.notes.append(
                f"替代文件《{t.title}》，{rec.validity_changed_on or '日期未知'}{RELATION_LABELS.get(relation, '')}"
            )
        if item.action == "same":
            item.action = "update"
