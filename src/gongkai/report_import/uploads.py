"""Web uploads of report files or a zip (上传导入): checks, storage, batch creation.

Checks: type by suffix and by content (PDF ``%PDF``, DOCX/ZIP ``PK``, text and HTML must decode
as UTF-8 or GB18030); size per file and per upload; a zip may hold at most ``MAX_ZIP_MEMBERS``
report files and ``MAX_ZIP_UNCOMPRESSED`` bytes once unpacked (zip bombs are refused before
anything is read). Files are stored under ``MEDIA_ROOT/report_imports/<uuid>/`` where the
workers read them (shared storage in a multi-machine deployment).
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

from django.conf import settings

from .batch import REPORT_SUFFIXES, create_batch, is_report_name, run_batch, zip_display_name
from .models import ImportBatch
from .services import ImportRejected

MAX_UPLOAD_FILE = 20 * 1024 * 1024
MAX_UPLOAD_TOTAL = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_UNCOMPRESSED = 500 * 1024 * 1024
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
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and is_report_name(zip_display_name(i))]
    except zipfile.BadZipFile:
        raise ImportRejected("压缩包已损坏，无法打开") from None
    if not infos:
        raise ImportRejected("压缩包中没有可导入的报告文件（txt、html、docx、pdf）")
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ImportRejected(f"压缩包中的文件过多（{len(infos)} 个，上限 {MAX_ZIP_MEMBERS} 个）")
    if sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED:
        raise ImportRejected("压缩包解压后过大")
    return len(infos)


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
        check_zip(target)
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
    label = Path(files[0].name).name if len(files) == 1 else f"{len(files)}个文件"
    return create_batch(dest, user=user, agency=agency, allow_create_agency=allow_create, label=label)


def start_batch(batch: ImportBatch) -> None:
    """Process the batch: in the request when Celery is eager, else queue its chunks."""
    from .batch import _eager, dispatch_pending

    if _eager():
        run_batch(batch)
    else:
        dispatch_pending(batch)
