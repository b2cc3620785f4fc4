"""Web uploads of report files or a zip (上传导入): checks, storage, batch creation.

Checks: type by suffix and by content (PDF ``%PDF``, DOCX/ZIP ``PK``, text and HTML must decode
as UTF-8 or GB18030); size per file and per upload. A zip and a DOCX are measured by
decompressing them as a stream (declared sizes are never trusted) inside the caps of
:func:`gongkai.report_import.limits.import_limits` — member count, bytes per member and in total,
XML depth and elements — so a zip bomb is refused within a fraction of a second with a Chinese
reason, before any parser sees it. Files are stored under ``MEDIA_ROOT/report_imports/<uuid>/``
where the workers read them (shared storage in a multi-machine deployment).
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings

from gongkai.core.untrusted import UnsafeFile, check_office_file, scan_zip

from .batch import REPORT_SUFFIXES, create_batch, is_report_name, run_batch, zip_display_name
from .limits import import_limits
from .models import ImportBatch
from .services import ImportRejected

MAX_UPLOAD_FILE = 20 * 1024 * 1024
MAX_UPLOAD_TOTAL = 100 * 1024 * 1024
UPLOAD_SUFFIXES = REPORT_SUFFIXES + (".zip",)


def _head(f, n: int = 8) -> bytes:
    f.seek(0)
    head = f.read(n)
    f.seek(0)
    return head


def check_file(f) -> str:
    """The lower-case suffix of an acceptable upload, or ImportRejected (Chinese message)."""
    name = Path(f.name).name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ImportRejected(f"“{name}”的文件类型不支持（支持 txt、html、docx、pdf 及 zip 压缩包）")
    if f.size > (MAX_UPLOAD_TOTAL if suffix == ".zip" else MAX_UPLOAD_FILE):
        limit = (MAX_UPLOAD_TOTAL if suffix == ".zip" else MAX_UPLOAD_FILE) // 1024 // 1024
        raise ImportRejected(f"“{name}”超过大小限制（{limit} MB）")
    if f.size == 0:
        raise ImportRejected(f"“{name}”是空文件")
    head = _head(f)
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        raise ImportRejected(f"“{name}”不是有效的PDF文件")
    if suffix in (".docx", ".zip") and not head.startswith(b"PK"):
        raise ImportRejected(f"“{name}”不是有效的{'DOCX' if suffix == '.docx' else 'zip'}文件")
    if suffix in (".txt", ".html", ".htm"):
        f.seek(0)
        sample = f.read(64 * 1024)
        f.seek(0)
        if b"\x00" in sample:
            raise ImportRejected(f"“{name}”不是文本文件")
    return suffix


def check_zip(path: Path) -> int:
    """Number of report files in the zip, each measured while decompressing; ImportRejected
    (Chinese reason) on a damaged zip or one beyond the limits."""
    try:
        scan = scan_zip(
            path,
            import_limits(),
            include=lambda i: is_report_name(zip_display_name(i)),
            display=zip_display_name,
        )
    except UnsafeFile as exc:
        raise ImportRejected(str(exc)) from None
    if not scan.members:
        raise ImportRejected("压缩包中没有可导入的报告文件（txt、html、docx、pdf）")
    return len(scan.members)


def check_office(path: Path, name: str) -> None:
    """A DOCX upload measured the same way (parts, expanded bytes, XML depth and elements)."""
    try:
        check_office_file(path.read_bytes(), "docx", import_limits())
    except UnsafeFile as exc:
        raise ImportRejected(f"“{name}”：{exc}") from None


def store_upload(files, *, user, agency=None) -> ImportBatch:
    """Check and store the uploaded files; return the new (pending) batch."""
    files = list(files)
    if not files:
        raise ImportRejected("请选择要上传的文件")
    suffixes = [check_file(f) for f in files]
    if sum(f.size for f in files) > MAX_UPLOAD_TOTAL:
        raise ImportRejected(f"上传文件总大小超过 {MAX_UPLOAD_TOTAL // 1024 // 1024} MB")
    if ".zip" in suffixes and len(files) > 1:
        raise ImportRejected("压缩包请单独上传")
    dest = Path(settings.MEDIA_ROOT) / "report_imports" / uuid.uuid4().hex
    dest.mkdir(parents=True)
    allow_create = bool(getattr(user, "is_superuser", False))
    if suffixes == [".zip"]:
        f = files[0]
        target = dest / "upload.zip"
        with target.open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        try:
            check_zip(target)
        except ImportRejected:
            shutil.rmtree(dest, ignore_errors=True)
            raise
        return create_batch(
            target, user=user, agency=agency, allow_create_agency=allow_create, label=Path(f.name).name
        )
    used = set()
    for f in files:
        name = Path(f.name).name
        while name in used:
            name = "_" + name
        used.add(name)
        with (dest / name).open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        if name.lower().endswith(".docx"):
            try:
                check_office(dest / name, name)
            except ImportRejected:
                shutil.rmtree(dest, ignore_errors=True)
                raise
    label = Path(files[0].name).name if len(files) == 1 else f"{len(files)}个文件"
    return create_batch(dest, user=user, agency=agency, allow_create_agency=allow_create, label=label)


def start_batch(batch: ImportBatch) -> None:
    """Process the batch: in the request when Celery is eager, else queue its chunks."""
    from .batch import _eager, dispatch_pending

    if _eager():
        run_batch(batch)
    else:
        dispatch_pending(batch)
