"""Synthetic batches of report files for tests, benchmarks and demos (测试语料).

``make_corpus(dest, n)`` writes ``n`` report files taken round-robin from the real published
reports in the repository's ``tests/data/reports`` (or ``$GONGKAI_REPORT_FIXTURES``), each varied so that its
SHA-256 is unique: HTML gets a trailing comment, text files a trailing whitespace line encoding
the copy number. The report's content (tables, text) is unchanged, so the parse is the same.
"""

from __future__ import annotations

import os
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")  # as batch.REPORT_SUFFIXES; no Django here

_CANDIDATES = (
    os.environ.get("GONGKAI_REPORT_FIXTURES", ""),
    str(Path(__file__).resolve().parents[3] / "tests" / "data" / "reports"),
)


def fixtures_dir() -> Path:
    for c in _CANDIDATES:
        if c and Path(c).is_dir() and any(p.suffix.lower() in REPORT_SUFFIXES for p in Path(c).iterdir()):
            return Path(c)
    raise FileNotFoundError("no report fixtures found (set GONGKAI_REPORT_FIXTURES)")


def fixture_files() -> list[Path]:
    d = fixtures_dir()
    return sorted(p for p in d.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)


def _variant(data: bytes, suffix: str, i: int) -> bytes:
    if suffix in (".html", ".htm"):
        return data + f"\n<!-- copy {i} -->\n".encode()
    if suffix == ".txt":
        tail = "".join("\t" if b == "1" else " " for b in bin(i)[2:])
        return data + b"\n" + tail.encode() + b"\n"
    return data  # binary formats are not varied


def make_corpus(
    dest: str | Path, n: int, *, per_dir: int = 1000, sources: list[Path] | None = None, offset: int = 0
) -> list[Path]:
    """Write ``n`` distinct report files under ``dest`` (subdirectories of ``per_dir`` files).

    Corpora made with different ``offset`` (in copies of the fixture set) never share content."""
    dest = Path(dest)
    files = [p for p in (sources or fixture_files()) if p.suffix.lower() in (".txt", ".html", ".htm")]
    blobs = [(p.name, p.suffix.lower(), p.read_bytes()) for p in files]
    out = []
    for i in range(n):
        name, suffix, data = blobs[i % len(blobs)]
        sub = dest / f"part{i // per_dir:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{i:05d}_{name}"
        path.write_bytes(_variant(data, suffix, offset + i // len(blobs)))
        out.append(path)
    return out
