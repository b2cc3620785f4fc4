"""Fuzzing the report import with malformed files (导入模糊测试): txt, html, docx, pdf, zip.

:func:`make_files` writes ``n`` deterministic malformed files (one fifth of each kind) made from
the real reports of the corpus (:mod:`gongkai.report_import.corpus`) and from scratch: truncated,
bit-flipped, spliced, wrongly encoded, deeply nested, oversized, bombed, and containers whose
parts are damaged or missing. :func:`run` sends the report files through the import path as one
batch (each parse in a limited child process, :mod:`gongkai.report_import.limits`) and every zip
through the upload path (checks, batch, processing), then classifies each outcome:

- ``imported`` — done; ``refused`` — failed with a reason for the user (damaged, beyond a cap, no
  year …); ``limited`` — stopped by the memory or time limit;
- ``crashed`` — an unexpected exception in the parser or the save (``解析失败：…``), a child that
  died by a signal, or an exception escaping the import path. The goal is 0;
- ``pending`` — items left pending after the run. The goal is 0.

Zips go through the upload path one by one; report files as one batch (``workers`` processes).

It also reports the peak resident size of the parse children and of the running process.
``gongkai fuzz-import N`` (and ``make fuzz``) run it; the suite runs a small version.
"""

from __future__ import annotations

import io
import random
import resource
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from .corpus import fixture_files

KINDS = ("txt", "html", "docx", "pdf", "zip")


# -- generators --------------------------------------------------------------------------------


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """One of several byte-level mutations."""
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    op = rng.randrange(7)
    b = bytearray(data)
    if op == 0:  # truncate
        return bytes(b[: rng.randrange(len(b))])
    if op == 1:  # flip bytes
        for _ in range(rng.randrange(1, 50)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if op == 2:  # splice random bytes in
        i = rng.randrange(len(b))
        return bytes(b[:i] + rng.randbytes(rng.randrange(1, 4000)) + b[i:])
    if op == 3:  # duplicate a slice many times
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.randrange(1, 2000))
        return bytes(b[:j] + b[i:j] * rng.randrange(2, 200) + b[j:])
    if op == 4:  # shuffle lines
        lines = bytes(b).split(b"\n")
        rng.shuffle(lines)
        return b"\n".join(lines)
    if op == 5:  # NULs and control characters
        for _ in range(rng.randrange(1, 100)):
            b.insert(rng.randrange(len(b) + 1), rng.choice(b"\x00\x01\x1b\x7f\xff"))
        return bytes(b)
    return bytes(b[rng.randrange(len(b)) :])  # drop the head


def _texts() -> list[tuple[str, bytes]]:
    return [
        (p.name, p.read_bytes()) for p in fixture_files() if p.suffix.lower() in (".txt", ".html", ".htm")
    ]


def _txt(rng: random.Random, texts) -> bytes:
    name, data = rng.choice(texts)
    op = rng.randrange(10)
    if op == 0:
        return b""
    if op == 1:
        return rng.randbytes(rng.randrange(1, 20000))
    if op == 2:  # wrong or mixed encodings
        text = data.decode("utf-8", "replace")
        enc = rng.choice(["gb18030", "big5", "utf-16", "utf-16-be", "shift_jis", "latin-1"])
        return text.encode(enc, "replace")
    if op == 3:  # one huge line of digits
        return data[:2000] + b"1" * rng.randrange(10_000, 2_000_000) + data[2000:4000]
    if op == 4:  # a table with very many rows
        return data + ("| 本年新收政府信息公开申请数量 | 1 | 2 | 3 |\n" * rng.randrange(100, 20000)).encode()
    if op == 5:
        return b"\xef\xbb\xbf" + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3)))
    for _ in range(rng.randrange(1, 4)):
        data = _mutate(rng, data)
    return data


def _html(rng: random.Random, texts) -> bytes:
    html = [d for n, d in texts if n.endswith((".html", ".htm"))] or [d for _, d in texts]
    data = rng.choice(html)
    op = rng.randrange(8)
    if op == 0:  # very deep nesting
        depth = rng.randrange(1000, 50_000)
        return (
            b"<html><body>" + b"<div>" * depth + b"2025\xe5\xb9\xb4" + b"</div>" * depth + b"</body></html>"
        )
    if op == 1:  # a huge table
        cells = b"<td>1</td>" * rng.randrange(10, 200)
        return b"<html><body><table>" + (b"<tr>" + cells + b"</tr>") * rng.randrange(100, 3000) + b"</table>"
    if op == 2:  # unclosed and bogus markup
        return b"<html><head><meta charset='x-bogus'><script>" + data[:5000] + b"<table><tr><td"
    if op == 3:  # entity and attribute bombs
        return b"<html><body><p title='" + b"&amp;" * rng.randrange(1000, 200_000) + b"'>x</p></body></html>"
    for _ in range(rng.randrange(1, 4)):
        data = _mutate(rng, data)
    return data


def _docx_from(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines()[:400]:
        if line.startswith("|"):
            continue
        d.add_paragraph(line[:500])
    buf = io.BytesIO()
    d.save(buf)
    return _rezip(buf.getvalue(), {})


STAMP = (2026, 1, 1, 0, 0, 0)


def _put(z: zipfile.ZipFile, name: str, blob: bytes) -> None:
    """Write a member with a fixed timestamp (the generated files are deterministic)."""
    z.writestr(zipfile.ZipInfo(name, STAMP), blob, compress_type=zipfile.ZIP_DEFLATED)


def _rezip(data: bytes, replace: dict[str, bytes | None], *, extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    _put(z, info.filename, replace[info.filename])
            else:
                _put(z, info.filename, src.read(info))
        for name, blob in (extra or {}).items():
            _put(z, name, blob)
    return out.getvalue()


def _docx(rng: random.Random, texts, base: list[bytes]) -> bytes:
    data = rng.choice(base)
    op = rng.randrange(9)
    doc = "word/document.xml"
    if op == 0:
        return _mutate(rng, data)
    if op == 1:
        return _rezip(data, {doc: None})
    if op == 2:
        return _rezip(data, {doc: b"<w:document><w:body><w:p>" + rng.randbytes(200)})
    if op == 3:  # nesting beyond the cap
        depth = rng.randrange(300, 5000)
        return _rezip(data, {doc: b"<a>" * depth + b"</a>" * depth})
    if op == 4:  # element count beyond the cap
        return _rezip(data, {doc: b"<a>" + b"<b/>" * 1_000_001 + b"</a>"})
    if op == 5:  # a bomb part
        return _rezip(data, {doc: b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>"})
    if op == 6:  # no content types, or garbage ones
        return _rezip(data, {"[Content_Types].xml": rng.choice([None, b"<Types/>", rng.randbytes(100)])})
    if op == 7:  # many parts
        return _rezip(
            data, {}, extra={f"customXml/fuzz{i}.xml": b"<x/>" for i in range(rng.randrange(100, 2500))}
        )
    b = bytearray(data)  # damage inside the compressed document part
    i = data.find(b"word/document.xml")
    for _ in range(rng.randrange(1, 20)):
        j = min(len(b) - 1, max(0, i + 60 + rng.randrange(400)))
        b[j] = rng.randrange(256)
    return bytes(b)


def _pdf(rng: random.Random, texts) -> bytes:
    """A hand-made PDF (Helvetica text of a report's first lines, ASCII only) then mangled."""
    _, data = rng.choice(texts)
    lines = [ln.encode("ascii", "replace")[:80] for ln in data.decode("utf-8", "replace").splitlines()[:40]]
    stream = (
        b"BT /F1 10 Tf 40 800 Td "
        + b" ".join(b"(" + ln.replace(b"(", b"").replace(b")", b"") + b") Tj 0 -14 Td" for ln in lines)
        + b" ET"
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    op = rng.randrange(7)
    if op == 0:  # a page tree that contains itself
        objs[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    if op == 1:  # an absurd page count and a huge media box
        objs[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>"
        objs[2] = objs[2].replace(b"595 842", b"0 0 99999999 99999999")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    if op >= 2:
        for _ in range(rng.randrange(1, 3)):
            out = bytearray(_mutate(rng, bytes(out)))
        if not out.startswith(b"%PDF"):
            out = bytearray(b"%PDF-1.4\n") + out
    return bytes(out)


def _zip(rng: random.Random, texts, base: list[bytes]) -> bytes:
    op = rng.randrange(8)
    out = io.BytesIO()
    name, data = rng.choice(texts)
    if op == 0:  # truncated or mangled container
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            _put(z, name, data)
        return _mutate(rng, out.getvalue())
    if op == 1:  # a member that lies about its size
        import struct

        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            _put(z, "report.txt", data * rng.randrange(1, 50))
        b = bytearray(out.getvalue())
        struct.pack_into("<I", b, b.find(b"PK\x03\x04") + 22, rng.randrange(1, 2000))
        struct.pack_into("<I", b, b.rfind(b"PK\x01\x02") + 24, rng.randrange(1, 2000))
        return bytes(b)
    if op == 2:  # a text member beyond the cap
        with (
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
            z.open(zipfile.ZipInfo("big.txt", STAMP), "w") as f,
        ):
            for _ in range(11):
                f.write(b"1" * (1024 * 1024))
        return out.getvalue()
    if op == 3:  # nothing importable, or only directories and hidden files
        with zipfile.ZipFile(out, "w") as z:
            for name, blob in (
                ("__MACOSX/._a.txt", b"x"),
                (".hidden.txt", b"x"),
                ("dir/", b""),
                ("a.exe", b"MZ"),
            ):
                _put(z, name, blob)
        return out.getvalue()
    # a small batch of mixed malformed members, some with GBK names
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(rng.randrange(1, 6)):
            kind = rng.choice(("txt", "html", "docx", "pdf"))
            blob = {
                "txt": lambda: _txt(rng, texts),
                "html": lambda: _html(rng, texts),
                "docx": lambda: _docx(rng, texts, base),
                "pdf": lambda: _pdf(rng, texts),
            }[kind]()
            _put(z, f"{i}/报告{i}.{kind}", blob)
    return out.getvalue()


def make_files(dest: Path, n: int, seed: int = 8) -> list[Path]:
    """Write ``n`` malformed files into ``dest`` (reports) and ``dest/../zips`` (zip uploads)."""
    rng = random.Random(seed)
    texts = _texts()
    base = [_docx_from(d.decode("utf-8", "replace")) for _, d in texts[:4]]
    dest = Path(dest)
    zips = dest.parent / "zips"
    dest.mkdir(parents=True, exist_ok=True)
    zips.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        if kind == "txt":
            blob = _txt(rng, texts)
        elif kind == "html":
            blob = _html(rng, texts)
        elif kind == "docx":
            blob = _docx(rng, texts, base)
        elif kind == "pdf":
            blob = _pdf(rng, texts)
        else:
            blob = _zip(rng, texts, base)
        # a unique tail keeps identical mutations from being deduplicated by content hash
        tail = b"" if kind in ("docx", "zip", "pdf") else b"\n<!-- %d -->" % i
        path = (zips if kind == "zip" else dest / f"part{i // 1000:03d}") / f"{i:05d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob + tail)
        out.append(path)
    return out


# -- the run ------------------------------------------------------------------------------------

CRASH_PREFIXES = ("解析失败：", "处理进程异常退出", "无法读取文件：")
LIMIT_PREFIXES = ("超出内存限制", "处理超时")


def classify(status: str, error: str) -> str:
    if status == "done":
        return "imported"
    if status == "pending":
        return "pending"
    if error.startswith(CRASH_PREFIXES):
        return "crashed"
    if error.startswith(LIMIT_PREFIXES):
        return "limited"
    return "refused"


def run(n: int, *, workers: int = 2, seed: int = 8, workdir: Path | None = None, progress=None) -> dict:
    """Generate ``n`` files, import them, and return the figures (see the module docstring)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .batch import create_batch, run_batch
    from .models import ImportItem
    from .services import ImportRejected
    from .uploads import store_upload

    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="gongkai-fuzz-")
        workdir = Path(tmp.name)
    try:
        t0 = time.perf_counter()
        files = make_files(Path(workdir) / "reports", n, seed)
        generated = time.perf_counter() - t0
        outcomes: Counter = Counter()
        examples: dict[str, list[str]] = {}
        escaped: list[str] = []
        t1 = time.perf_counter()
        batch_ids = []
        if any(f.suffix != ".zip" for f in files):
            batch = create_batch(Path(workdir) / "reports")
            batch_ids.append(batch.pk)
            run_batch(batch, workers=workers, progress=progress)
        zips = [f for f in files if f.suffix == ".zip"]
        user = get_user_model().objects.filter(is_superuser=True).first()
        media_root = settings.MEDIA_ROOT
        settings.MEDIA_ROOT = Path(workdir) / "media"
        try:
            for z in zips:
                try:
                    b = store_upload([SimpleUploadedFile(z.name, z.read_bytes())], user=user)
                    batch_ids.append(b.pk)
                    run_batch(b, workers=1)
                    outcomes["zip_accepted"] += 1
                except ImportRejected as exc:
                    outcomes["zip_refused"] += 1
                    if len(examples.setdefault("zip_refused", [])) < 5:
                        examples["zip_refused"].append(f"{z.name}: {exc}")
                except Exception as exc:  # noqa: BLE001 - the figure to report: must stay 0
                    escaped.append(f"{z.name}: {type(exc).__name__}: {exc}")
        finally:
            settings.MEDIA_ROOT = media_root
        elapsed = time.perf_counter() - t1
        items = ImportItem.objects.filter(batch_id__in=batch_ids)
        for status, error, path in items.values_list("status", "error", "path"):
            c = classify(status, error)
            outcomes[c] += 1
            if c != "imported" and len(examples.setdefault(c, [])) < 5:
                examples[c].append(f"{path}: {error[:200]}")
        return {
            "files": n,
            "by_kind": dict(Counter(f.suffix.lstrip(".") for f in files)),
            "items": sum(outcomes[k] for k in ("imported", "refused", "limited", "crashed", "pending")),
            "outcomes": dict(outcomes),
            "crashed": outcomes["crashed"] + len(escaped),
            "pending": outcomes["pending"],
            "escaped": escaped[:20],
            "examples": examples,
            "generate_s": round(generated, 1),
            "import_s": round(elapsed, 1),
            "peak_child_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "peak_self_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        if tmp is not None:
            tmp.cleanup()
