"""Bringing an existing document library in (``gongkai import-documents PATH``).

Two sources:

(a) a manifest (CSV or JSON; ``manifest.csv`` / ``manifest.json`` in a folder, or the file itself)
    with one row per document — columns in Chinese or English (标题/title, 发文机关/issuer,
    文号/doc_number, 索引号/index_number, 成文日期/written_on, 发布日期/published_on,
    主题分类/topic, 信息类别/category, 有效性/validity, 文种/doc_type, 主题词/keywords,
    内容概述/summary, 原文网址/url, 文件/file) — and the files (HTML, DOCX, PDF, TXT) beside it;
(b) a folder of saved document pages (``*.html``, ``*.htm``, ``*.shtml``): the metadata block
    and body are read by :mod:`gongkai.core.doc_page`.

Every file is read in a limited child process (:mod:`gongkai.limits`). Each document becomes a
record in the state its page says (已公开 / 已修改 / 已废止 / 已失效) with an ``import`` event;
re-running updates the record with the same source (``source_key``: the path relative to PATH)
instead of adding a duplicate (an ``import_update`` event lists the changed fields). Problems
are reported per file in Chinese; nothing of a file with an error is saved.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.core import record_lifecycle as lc
from gongkai.core.doc_page import parse_date, parse_page, parse_validity
from gongkai.core.document_text import extract_text
from gongkai.core.report_parse.normalize import decode_bytes
from gongkai.core.sandbox import LimitedRunFailed
from gongkai.limits import run_child, untrusted_limits

from . import import_links
from .models import IndexCounter, Record, Topic
from .services import clock, numbering
from .services.lifecycle import append_event
from .signals import send_bulk_after_commit

PAGE_SUFFIXES = (".html", ".htm", ".shtml")
FILE_SUFFIXES = (*PAGE_SUFFIXES, ".docx", ".pdf", ".txt")
MANIFEST_NAMES = ("manifest.csv", "manifest.json")
COLUMNS = {
    "title": ("标题", "名称", "文件名称"),
    "issuer": ("发文机关", "发布机构", "机关"),
    "doc_number": ("文号", "发文字号"),
    "index_number": ("索引号",),
    "written_on": ("成文日期", "生成日期"),
    "published_on": ("发布日期", "公开日期"),
    "topic": ("主题分类", "主题"),
    "category": ("信息类别", "类别"),
    "validity": ("有效性", "效力状态"),
    "doc_type": ("文种",),
    "keywords": ("主题词",),
    "summary": ("内容概述", "摘要"),
    "url": ("原文网址", "网址", "链接"),
    "file": ("文件", "正文文件", "附件"),
    "body": ("正文",),
}
_HEADER = {alias: key for key, aliases in COLUMNS.items() for alias in (key, *aliases)}
CATEGORY_WORDS = {label: key for key, label in lc.CATEGORY_CHOICES} | {"规范性文件": lc.NORMATIVE}
VALIDITY_STATE = {
    lc.IN_FORCE: lc.PUBLISHED,
    lc.VALIDITY_AMENDED: lc.AMENDED,
    lc.VALIDITY_REPEALED: lc.REPEALED,
    lc.VALIDITY_EXPIRED: lc.EXPIRED,
}
VALIDITY_WORDS = {lc.IN_FORCE: "现行有效", lc.VALIDITY_AMENDED: "已修改"}
VALIDITY_WORDS |= {lc.VALIDITY_REPEALED: "已废止", lc.VALIDITY_EXPIRED: "已失效"}
ACTION_LABELS = {"create": "新增", "update": "更新", "same": "未变化", "error": "错误"}


@dataclass
class Item:
    """One document read from the source, before it is saved."""

    source_key: str
    data: dict = field(default_factory=dict)  # raw values by COLUMNS key
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create | update | same | error
    record_id: int | None = None
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # attachments, links (Chinese)
    page: Path | None = None  # saved page: its file, its attachments and links
    attachments: list[import_links.AttachmentSource] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.data.get("title", "")


# -- reading (in the limited child) -----------------------------------------------------------
def _read_page(data: bytes) -> dict:
    page = parse_page(decode_bytes(data))
    out = {k: v for k, v in page.fields.items() if v}
    for name in ("written_on", "published_on"):  # dates found elsewhere (signature line, <meta>)
        if name not in out and getattr(page, name):
            out[name] = getattr(page, name).isoformat()
    if page.validity and parse_validity(out.get("validity", "")) != page.validity:  # a notice said so
        out["validity"] = VALIDITY_WORDS[page.validity]
    out.update(title=page.title, body=page.body, problems=page.problems, attachments=page.attachments)
    out["links"] = [dataclasses.asdict(ln) for ln in page.links]
    return out


def _limited(fn, *args):
    try:
        return run_child(fn, *args).value, ""
    except LimitedRunFailed as exc:
        return None, str(exc)


def read_page_file(path: Path, key: str, base: Path | None = None) -> Item:
    """The page's metadata and body (read in the limited child), its attachments found on disk
    (or remote) and its links to other documents."""
    item = Item(source_key=key, page=path)
    value, error = _limited(_read_page, path.read_bytes())
    if error:
        item.errors.append(f"页面读取失败：{error}")
        return item
    item.errors += value.pop("problems")
    item.links = value.pop("links")
    for href, text in value.pop("attachments"):
        found = import_links.locate(path, base or path.parent, href, text)
        if isinstance(found, str):
            item.notes.append(found)
        elif found.name not in {a.name for a in item.attachments}:
            item.attachments.append(found)
    item.data = value
    return item


def _manifest_rows(path: Path) -> list[dict]:
    raw = path.read_bytes()
    if path.suffix.lower() == ".json":
        rows = json.loads(decode_bytes(raw))
        if isinstance(rows, dict):
            rows = rows.get("documents") or rows.get("records") or []
        if not isinstance(rows, list):
            raise ValueError("JSON 清单应为文件列表")
        return [r for r in rows if isinstance(r, dict)]
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else decode_bytes(raw)
    return list(csv.DictReader(io.StringIO(text)))


def read_manifest(path: Path) -> list[Item]:
    base = path.parent
    try:
        rows = _manifest_rows(path)
    except (ValueError, csv.Error, UnicodeDecodeError) as exc:
        return [Item(source_key=path.name, errors=[f"清单无法读取：{exc}"])]
    items = []
    for n, row in enumerate(rows, start=2 if path.suffix.lower() == ".csv" else 1):
        data = {
            _HEADER[k.strip()]: str(v).strip() for k, v in row.items() if k and k.strip() in _HEADER and v
        }
        key = data.get("file") or data.get("url") or data.get("index_number") or f"{path.name}#{n}"
        item = Item(source_key=key, data=data)
        where = f"第{n}行" if path.suffix.lower() == ".csv" else f"第{n}条"
        name = data.get("file")
        if name:
            f = (base / name).resolve()
            if base.resolve() not in f.parents or not f.is_file():
                item.errors.append(f"{where}：找不到文件“{name}”")
            elif f.suffix.lower() not in FILE_SUFFIXES:
                item.errors.append(f"{where}：不支持的文件类型“{f.suffix}”（可用 HTML、DOCX、PDF、TXT）")
            else:
                text, error = _limited(extract_text, f.read_bytes(), f.name, untrusted_limits())
                if error:
                    item.errors.append(f"{where}：文件“{name}”读取失败：{error}")
                elif text[0]:
                    data.setdefault("body", text[0])
        items.append(item)
    return items


def source_of(path: Path) -> tuple[str, Path | None, list[Path]]:
    """``("manifest", manifest, [])`` or ``("pages", None, page files)``."""
    if path.is_file():
        if path.suffix.lower() in (".csv", ".json"):
            return "manifest", path, []
        return "pages", None, [path]
    for name in MANIFEST_NAMES:
        if (path / name).is_file():
            return "manifest", path / name, []
    return (
        "pages",
        None,
        sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES),
    )


def collect(path: Path, start: int = 0, stop: int | None = None, progress=None) -> tuple[list[Item], str]:
    """Items of PATH (the ``start:stop`` slice) and the kind of source (``manifest`` | ``pages``)."""
    kind, manifest, files = source_of(path)
    if kind == "manifest":
        return read_manifest(manifest)[start:stop], kind
    base = base_of(path)
    items = []
    for p in files[start:stop]:
        items.append(read_page_file(p, str(p.relative_to(base)), base))
        if progress is not None:
            progress()
    return items, kind


# -- resolving --------------------------------------------------------------------------------
_SPLIT = re.compile(r"[、，,；;\s]+")


class Resolver:
    """Agencies and topics by name (cached), the default agency, per-item checks."""

    def __init__(self, default_agency: Agency | None = None):
        self.default = default_agency
        self.agencies = {}
        for a in Agency.objects.filter(active=True):
            self.agencies.setdefault(a.name, a)
            if a.short_name:
                self.agencies.setdefault(a.short_name, a)
        self.topics = {}
        for t in Topic.objects.filter(active=True).select_related("parent"):
            self.topics.setdefault(t.name, t)
            self.topics.setdefault(str(t), t)

    def issuers(self, raw: str) -> tuple[Agency | None, list[Agency], list[str]]:
        names = [n for n in _SPLIT.split(raw or "") if n]
        found = [self.agencies.get(n) for n in names]
        missing = [n for n, a in zip(names, found) if a is None]
        agencies = [a for a in found if a is not None]
        primary = agencies[0] if agencies else self.default
        return primary, [a for a in agencies[1:] if a != primary], missing

    def topic(self, raw: str) -> Topic | None:
        if not raw:
            return None
        for part in (raw, *reversed(re.split(r"[\\/／>＞]", raw))):
            t = self.topics.get(part.strip())
            if t is not None:
                return t
        return None


def guess_category(doc_number: str, title: str) -> str:
    """规章 carry a 令 number (市人民政府令第1号); normative documents a 规 series (临政规〔2024〕1号)."""
    if re.search(r"令第|令〔|号令", doc_number):
        return lc.RULE
    if re.search(r"规〔|规\[|规（|规范性文件", doc_number + title):
        return lc.NORMATIVE
    return lc.POLICY if doc_number else lc.OTHER


def fields_for(item: Item, resolver: Resolver) -> tuple[Agency | None, list[Agency], dict]:
    """Record field values of an item (errors appended to ``item.errors`` in Chinese)."""
    d = item.data
    agency, joint, missing = resolver.issuers(d.get("issuer", ""))
    if missing and agency is None:
        item.errors.append(
            f"找不到发文机关“{'、'.join(missing)}”（请先在机关设置中建立，或用 --agency 指定）"
        )
    elif agency is None:
        item.errors.append("没有发文机关（页面未标明，请用 --agency 指定）")
    title = d.get("title", "").strip()
    if not title:
        item.errors.append("没有标题")
    out = {"title": title[:500], "doc_number": d.get("doc_number", "")[:100], "body": d.get("body", "")}
    for name in ("written_on", "published_on"):
        raw = d.get(name, "")
        value = parse_date(raw) if raw else None
        if raw and value is None:
            item.errors.append(f"日期无法识别：{raw}")
        out[name] = value
    if out["published_on"] is None:
        out["published_on"] = out["written_on"]
    if out["written_on"] and out["published_on"] and out["published_on"] < out["written_on"]:
        item.errors.append("发布日期早于成文日期")
    if not out["published_on"]:
        item.errors.append("没有发布日期或成文日期")
    validity = parse_validity(d["validity"]) if d.get("validity") else lc.IN_FORCE
    if not validity:
        item.errors.append(f"有效性无法识别：{d['validity']}")
        validity = lc.IN_FORCE
    out["validity"] = validity
    category = CATEGORY_WORDS.get(d.get("category", "").strip()) or d.get("category", "").strip()
    if category not in dict(lc.CATEGORY_CHOICES):
        category = guess_category(out["doc_number"], title)
    out["category"] = category
    out["topic"] = resolver.topic(d.get("topic", ""))
    doc_type = d.get("doc_type", "")
    out["doc_type"] = doc_type if doc_type in dict(lc.DOC_TYPE_CHOICES) else ""
    out["keywords"] = d.get("keywords", "")[:300]
    out["summary"] = d.get("summary", "")
    out["source_url"] = d.get("url", "")[:500] if d.get("url", "").startswith(("http://", "https://")) else ""
    out["index_number"] = d.get("index_number", "")[:100]
    return agency, joint, out


# -- saving -----------------------------------------------------------------------------------
COMPARED = (
    "title",
    "doc_number",
    "body",
    "written_on",
    "published_on",
    "validity",
    "category",
    "topic",
    "doc_type",
    "keywords",
    "summary",
    "source_url",
)


def _value(rec, name):
    return getattr(rec, "topic_id" if name == "topic" else name)


def _new_value(out, name):
    v = out[name]
    return v.pk if name == "topic" and v is not None else v


def _bump_counter(rec: Record) -> None:
    """An imported 索引号 in this platform's pattern moves the agency's counter past it, so later
    publications never collide with it."""
    m = re.fullmatch(re.escape(numbering.issuer_code(rec.agency)) + r"/(\d{4})-(\d+)", rec.index_number)
    if not m:
        return
    year, serial = int(m[1]), int(m[2])
    counter, _ = IndexCounter.objects.select_for_update().get_or_create(agency=rec.agency, year=year)
    if counter.last_serial < serial:
        counter.last_serial = serial
        counter.save(update_fields=["last_serial"])


def save_item(item: Item, agency: Agency, joint: list[Agency], out: dict, *, actor=None, source: str) -> None:
    """Create or update the record of ``item`` (one transaction)."""
    with transaction.atomic():
        rec = Record.objects.select_for_update().filter(agency=agency, source_key=item.source_key).first()
        if rec is None:
            if out["index_number"] and Record.objects.filter(index_number=out["index_number"]).exists():
                item.errors.append(f"索引号“{out['index_number']}”已被其他文件使用")
                item.action = "error"
                return
            rec = Record(agency=agency, source_key=item.source_key, disclosure_attribute=lc.PROACTIVE)
            rec.index_number = out["index_number"]
            for name in COMPARED:
                setattr(rec, name, out[name])
            rec.formed_on = rec.written_on
            rec.state = VALIDITY_STATE[rec.validity]
            if rec.validity != lc.IN_FORCE:
                rec.validity_changed_on = rec.published_on
            if not rec.index_number:
                year = rec.published_on.year
                rec.index_serial, rec.index_number = numbering.allocate(agency, year)
                rec.index_year = year
            clock.derive(rec)
            rec.save()
            _bump_counter(rec)
            if joint:
                rec.joint_agencies.set(joint)
            append_event(
                rec,
                "import",
                label="导入",
                to_state=rec.state,
                actor=actor,
                effective_date=rec.published_on,
                data={"source": source, "source_key": item.source_key, "index_number": rec.index_number},
            )
            item.action, item.record_id = "create", rec.pk
            return
        changed = [n for n in COMPARED if _value(rec, n) != _new_value(out, n)]
        item.record_id = rec.pk
        if not changed:
            item.action = "same"
            return
        before = rec.state
        for name in changed:
            setattr(rec, name, out[name])
        if "validity" in changed:
            rec.state = VALIDITY_STATE[rec.validity]
            rec.validity_changed_on = None if rec.validity == lc.IN_FORCE else rec.published_on
        clock.derive(rec)
        rec.save()
        append_event(
            rec,
            "import_update",
            label="重新导入更新",
            from_state=before,
            to_state=rec.state,
            actor=actor,
            data={"changed": changed, "source": source},
        )
        item.action, item.changed = "update", changed


def run(
    items: list[Item],
    *,
    default_agency=None,
    dry_run=False,
    actor=None,
    source="",
    progress=None,
    base: Path | None = None,
    fetch_remote: bool = False,
) -> dict:
    """Check every item and (unless ``dry_run``) save it with its attachments; then link the
    documents that replaced others (``base``: the imported folder). Returns counts by action."""
    resolver = Resolver(default_agency)
    saved: list[int] = []
    seen: dict[tuple[int, str], str] = {}
    for item in items:
        if not item.errors:
            agency, joint, out = fields_for(item, resolver)
            if agency is not None and not item.errors:
                dup = seen.get((agency.pk, item.source_key))
                if dup:
                    item.errors.append("与本次导入中的另一条重复")
                seen[(agency.pk, item.source_key)] = item.title
            if not item.errors:
                if dry_run:
                    existing = Record.objects.filter(agency=agency, source_key=item.source_key).first()
                    if existing is None:
                        item.action = "create"
                        if (
                            out["index_number"]
                            and Record.objects.filter(index_number=out["index_number"]).exists()
                        ):
                            item.errors.append(f"索引号“{out['index_number']}”已被其他文件使用")
                    else:
                        item.changed = [n for n in COMPARED if _value(existing, n) != _new_value(out, n)]
                        item.action, item.record_id = ("update" if item.changed else "same"), existing.pk
                else:
                    try:
                        save_item(item, agency, joint, out, actor=actor, source=source)
                    except IntegrityError:
                        item.errors.append("与已有文件冲突（索引号或来源重复）")
                    if item.record_id and item.action in ("create", "update"):
                        saved.append(item.record_id)
                _attachments(item, dry_run, fetch_remote, actor)
        if item.errors:
            item.action = "error"
        if progress is not None:
            progress()
    pages = [i for i in items if i.page is not None and i.action != "error"]
    if any(i.links for i in pages):
        links = import_links.LinkResolver(pages, base or pages[0].page.parent, [i.page for i in pages])
        for item in pages:
            links.apply(item, dry_run=dry_run, actor=actor)
            if item.action == "update" and item.record_id not in saved:
                saved.append(item.record_id)
    if saved and not dry_run:
        with transaction.atomic():
            send_bulk_after_commit(saved, "import")
    counts = dict.fromkeys(ACTION_LABELS, 0)
    for item in items:
        counts[item.action] += 1
    return counts


def _attachments(item: Item, dry_run: bool, fetch_remote: bool, actor) -> None:
    if not item.attachments or item.errors:
        return
    if dry_run:
        item.notes.append(import_links.describe_sources(item.attachments, fetch_remote))
        return
    if not item.record_id:
        return
    added, notes = import_links.sync_attachments(
        item.record_id, item.attachments, fetch_remote=fetch_remote, actor=actor
    )
    item.notes += notes
    if added:
        item.changed.append("attachments")
        item.notes.append("附件：" + "、".join(added))
        if item.action == "same":
            item.action = "update"


def report_rows(items: list[Item]) -> list[dict]:
    return [
        {
            "source": i.source_key,
            "action": ACTION_LABELS[i.action],
            "title": i.title,
            "record_id": i.record_id,
            "message": "；".join(i.errors)
            or "；".join(
                [
                    *(
                        ["更新：" + "、".join(map(_label, i.changed))]
                        if i.changed and i.action == "update"
                        else []
                    ),
                    *i.notes,
                ]
            ),
        }
        for i in items
    ]


def _label(name: str) -> str:
    return "附件" if name == "attachments" else str(Record._meta.get_field(name).verbose_name)


def base_of(path: Path) -> Path:
    """The folder source keys are relative to."""
    return path if path.is_dir() else path.parent


def find_agency(value: str) -> Agency | None:
    if not value:
        return None
    q = Q(name=value) | Q(short_name=value)
    if value.isdigit():
        q |= Q(pk=int(value))
    return Agency.objects.filter(q).first()
