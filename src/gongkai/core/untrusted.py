"""Untrusted containers read inside limits: zips, DOCX and XLSX (不可信文件的安全检查).

A zip's central directory states each member's size, and the size may lie; a small DOCX can hold
a ``word/document.xml`` that expands to hundreds of megabytes (a "zip bomb"), and a short XML file
can nest or repeat elements until the parser runs out of memory. So nothing here trusts a
declared size: every member is decompressed as a stream, its bytes are counted as they come out,
and reading stops at the first cap exceeded. XML members of office files are pre-scanned with a
bounded lxml pull parser (no entities, no network, no DTD) that counts depth and elements, so
python-docx / openpyxl only ever see documents that passed.

Python's :mod:`zipfile` stops a member at its declared size and then fails its CRC check, so a
member that claims 1,000 bytes and holds 600 MB is refused as damaged after 1,000 bytes.

Pure Python, no Django: the caps come in a :class:`Limits` built by the caller from settings.
Refusals raise :class:`UnsafeFile` with a Chinese message for the user.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024
CHUNK = 64 * 1024


class UnsafeFile(ValueError):
    """A file refused before parsing; the message is Chinese and shown to the user."""


@dataclass(frozen=True)
class Limits:
    """Caps on what an untrusted container may expand to. Defaults are this project's choice
    (the reference is silent); the shell overrides them from settings."""

    max_members: int = 2000  # members of a zip / office file
    max_member_bytes: int = 50 * MB  # one member, expanded (PDF, DOCX inside a zip)
    max_text_member_bytes: int = 10 * MB  # one .txt/.html member, expanded
    max_total_bytes: int = 300 * MB  # all members together, expanded
    max_office_total_bytes: int = 64 * MB  # a DOCX/XLSX: all its parts, expanded
    max_xml_bytes: int = 16 * MB  # one XML part of a DOCX/XLSX, expanded
    max_xml_depth: int = 256
    max_xml_elements: int = 1_000_000  # per XML part


DEFAULT_LIMITS = Limits()
TEXT_SUFFIXES = (".txt", ".html", ".htm", ".shtml", ".csv")
XML_SUFFIXES = (".xml", ".rels", ".vml")


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n} 字节"


def member_cap(name: str, limits: Limits) -> int:
    return limits.max_text_member_bytes if name.lower().endswith(TEXT_SUFFIXES) else limits.max_member_bytes


def _open_zip(source: str | Path | bytes | BinaryIO, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise UnsafeFile(f"{what}已损坏，无法打开") from None


def _damaged(what: str, name: str) -> UnsafeFile:
    return UnsafeFile(f"{what}中的“{name}”已损坏或无法解压（内容与声明的大小或校验值不符）")


def stream_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    cap: int,
    *,
    what: str,
    name: str,
    sink: Callable[[bytes], None] | None = None,
    budget: list[int] | None = None,
    budget_message: str = "",
) -> int:
    """Decompress one member chunk by chunk, counting real bytes; return its size.

    Raises :class:`UnsafeFile` when the member passes ``cap`` bytes or ``budget[0]`` (bytes left
    for the whole container, decremented in place) runs out, or the member is damaged.
    ``sink`` receives each chunk (to keep or to scan it)."""
    n = 0
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                n += len(chunk)
                if n > cap:
                    raise UnsafeFile(f"{what}中的“{name}”解压后超过 {_mb(cap)}，已拒绝")
                if budget is not None:
                    budget[0] -= len(chunk)
                    if budget[0] < 0:
                        raise UnsafeFile(budget_message or f"{what}解压后过大，已拒绝")
                if sink is not None:
                    sink(chunk)
    except UnsafeFile:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise _damaged(what, name) from None  # incl. a member longer than its declared size (CRC)
    except RuntimeError:  # encrypted member
        raise UnsafeFile(f"{what}中的“{name}”已加密，无法读取") from None
    return n


@dataclass
class ZipScan:
    members: list[tuple[zipfile.ZipInfo, int]]  # (info, measured expanded size)
    total: int


def scan_zip(
    source: str | Path | bytes | BinaryIO,
    limits: Limits = DEFAULT_LIMITS,
    *,
    include: Callable[[zipfile.ZipInfo], bool] | None = None,
    display: Callable[[zipfile.ZipInfo], str] | None = None,
    what: str = "压缩包",
) -> ZipScan:
    """Measure every (included) member of a zip by decompressing it; refuse on any cap."""
    display = display or (lambda i: i.filename)
    with _open_zip(source, what) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and (include is None or include(i))]
        if len(infos) > limits.max_members:
            raise UnsafeFile(f"{what}中的文件过多（{len(infos)} 个，上限 {limits.max_members} 个）")
        budget = [limits.max_total_bytes]
        msg = f"{what}解压后超过 {_mb(limits.max_total_bytes)}，已拒绝"
        out = []
        for info in infos:
            name = display(info)
            size = stream_member(
                zf, info, member_cap(name, limits), what=what, name=name, budget=budget, budget_message=msg
            )
            out.append((info, size))
    return ZipScan(out, limits.max_total_bytes - budget[0])


def read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits = DEFAULT_LIMITS, *, name: str = ""
) -> bytes:
    """The bytes of one member, read inside its cap (never trusting ``info.file_size``)."""
    name = name or info.filename
    buf = bytearray()
    stream_member(zf, info, member_cap(name, limits), what="压缩包", name=name, sink=buf.extend)
    return bytes(buf)


class _XmlCounter:
    """Counts element depth and number while an XML part streams through a pull parser."""

    def __init__(self, limits: Limits, what: str, name: str):
        from lxml import etree

        self.parser = etree.XMLPullParser(
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )
        self.limits, self.what, self.name = limits, what, name
        self.depth = self.elements = 0

    def feed(self, chunk: bytes) -> None:
        from lxml import etree

        try:
            self.parser.feed(chunk)
            self._drain()
        except etree.XMLSyntaxError:
            raise UnsafeFile(f"{self.what}中的“{self.name}”不是有效的XML") from None

    def _drain(self) -> None:
        lim = self.limits
        for event, el in self.parser.read_events():
            if event == "start":
                self.depth += 1
                self.elements += 1
                if self.depth > lim.max_xml_depth:
                    raise UnsafeFile(
                        f"{self.what}中的“{self.name}”嵌套层数超过 {lim.max_xml_depth} 层，已拒绝"
                    )
                if self.elements > lim.max_xml_elements:
                    raise UnsafeFile(
                        f"{self.what}中的“{self.name}”元素数超过 {lim.max_xml_elements:,} 个，已拒绝"
                    )
            else:
                self.depth -= 1
                # free what was parsed: the scan keeps no tree
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]

    def close(self) -> None:
        from lxml import etree

        try:
            self.parser.close()
            self._drain()
        except etree.XMLSyntaxError:
            raise UnsafeFile(f"{self.what}中的“{self.name}”不是有效的XML") from None


def check_office_file(data: bytes, kind: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a DOCX/XLSX whose parts are too many, expand too far, or whose XML is too deep or
    has too many elements — measured while streaming, before any parser builds a tree."""
    what = f"{kind.upper()}文件"
    with _open_zip(data, what) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_members:
            raise UnsafeFile(f"{what}中的部件过多（{len(infos)} 个，上限 {limits.max_members} 个）")
        budget = [limits.max_office_total_bytes]
        msg = f"{what}解压后超过 {_mb(limits.max_office_total_bytes)}，已拒绝"
        xml = [i for i in infos if i.filename.lower().endswith(XML_SUFFIXES)]
        xml_ids = {id(i) for i in xml}
        # Pass 1: sizes only (fast: a bomb is refused after inflating at most the caps).
        for info in infos:
            cap = limits.max_xml_bytes if id(info) in xml_ids else limits.max_member_bytes
            stream_member(zf, info, cap, what=what, name=info.filename, budget=budget, budget_message=msg)
        # Pass 2: the XML parts, through the bounded pull parser.
        for info in xml:
            counter = _XmlCounter(limits, what, info.filename)
            stream_member(zf, info, limits.max_xml_bytes, what=what, name=info.filename, sink=counter.feed)
            counter.close()
