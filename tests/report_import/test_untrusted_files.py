"""Issue 8, untrusted files: bombs refused quickly with a Chinese reason; parsing in a limited
child process; no item ever left pending; stale items recovered; GBK names in zips decoded."""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import time
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.report_import import batch as batch_mod
from gongkai.report_import.batch import create_batch, run_batch
from gongkai.report_import.corpus import fixtures_dir
from gongkai.report_import.models import BatchStatus, ImportBatch, ImportItem, ItemStatus

from .bombs import docx_bomb, lying_zip, many_texts_zip

pytestmark = pytest.mark.django_db

REPORT = "2021_pingtan-gaj_flattext.txt"


@pytest.fixture(scope="session")
def bombs():
    return {"docx": docx_bomb(), "lying": lying_zip(), "texts": many_texts_zip()}


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def root(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    return client


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.parametrize(
    ("key", "name", "reason"),
    [
        ("docx", "年报.docx", "“word/document.xml”解压后超过 16 MB，已拒绝"),
        ("lying", "reports.zip", "“report.txt”已损坏或无法解压（内容与声明的大小或校验值不符）"),
        ("texts", "reports.zip", "“reports/报告0.txt”解压后超过 10 MB，已拒绝"),
    ],
)
def test_bombs_refused_at_upload_quickly(root, bombs, settings, key, name, reason):
    """The 0.45 MB DOCX expanding to 170 MB, the zip claiming 1,000 bytes for a 600 MB member and
    the zip of 10 x 49 MB texts: refused in the request, in well under a second of work, without
    the process growing, and nothing is stored or left pending."""
    root.get(reverse("report_import:upload"))  # warm up: the timing is of the upload alone
    before = _peak_kb()
    start = time.perf_counter()
    r = root.post(reverse("report_import:upload"), {"files": SimpleUploadedFile(name, bombs[key])})
    elapsed = time.perf_counter() - start
    assert r.status_code == 200 and reason in r.content.decode()
    assert elapsed < 3, elapsed
    assert _peak_kb() - before < 100 * 1024  # < 100 MB more than before
    assert ImportBatch.objects.count() == 0 and ImportItem.objects.count() == 0
    assert not any((settings.MEDIA_ROOT / "report_imports").glob("*/*"))


def test_bombs_inside_a_batch_end_failed_with_reason(tmp_path, bombs):
    """The command-line batch (no upload check) refuses them per item: failed, never pending."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "年报.docx").write_bytes(bombs["docx"])
    (src / "ok.txt").write_bytes((fixtures_dir() / REPORT).read_bytes())
    with zipfile.ZipFile(src / "inner.zip", "w") as z:  # not a report suffix: ignored
        z.writestr("x.txt", "x")
    zpath = tmp_path / "batch.zip"
    zpath.write_bytes(bombs["lying"])
    for source in (src, zpath):
        res = run_batch(create_batch(source))
        assert res.batch.status == BatchStatus.FINISHED and res.counts[ItemStatus.PENDING] == 0
    items = {i.path: i for i in ImportItem.objects.all()}
    assert items["年报.docx"].status == ItemStatus.FAILED
    assert "解压后超过 16 MB" in items["年报.docx"].error
    assert items["ok.txt"].status == ItemStatus.DONE
    assert items["report.txt"].status == ItemStatus.FAILED and "已损坏" in items["report.txt"].error


def _hog_parser(data, filename):
    blocks = [bytearray(64 * 1024 * 1024) for _ in range(10)]  # 640 MB
    return {"year": len(blocks)}


def _slow_parser(data, filename):
    time.sleep(4)
    return {"year": 2025, "agency": "x"}


def _pid_parser(data, filename):
    raise ValueError(f"pid={os.getpid()}")


@pytest.mark.parametrize(
    ("parser", "conf", "reason"),
    [
        (_hog_parser, {"GONGKAI_PARSE_MEMORY_MB": 256}, "超出内存限制（256 MB），已终止"),
        (_slow_parser, {"GONGKAI_PARSE_TIMEOUT": 1}, "处理超时（超过 1 秒），已终止"),
    ],
)
def test_parse_runs_inside_memory_and_time_limits(tmp_path, monkeypatch, settings, parser, conf, reason):
    for k, v in conf.items():
        setattr(settings, k, v)
    monkeypatch.setattr(batch_mod, "_parser", lambda: parser)
    (tmp_path / "a.txt").write_bytes((fixtures_dir() / REPORT).read_bytes())
    before = _peak_kb()
    res = run_batch(create_batch(tmp_path))
    item = ImportItem.objects.get()
    assert (item.status, item.error) == (ItemStatus.FAILED, reason)
    assert res.batch.status == BatchStatus.FINISHED
    assert _peak_kb() - before < 100 * 1024


def test_web_upload_parses_in_a_child_process(root, monkeypatch):
    """Eager Celery (demo, tests): the request process waits, a child process parses."""
    monkeypatch.setattr(batch_mod, "_parser", lambda: _pid_parser)
    data = (fixtures_dir() / REPORT).read_bytes()
    root.post(reverse("report_import:upload"), {"files": SimpleUploadedFile(REPORT, data)})
    item = ImportItem.objects.get()
    assert item.status == ItemStatus.FAILED and item.error.startswith("解析失败：ValueError: pid=")
    assert int(item.error.rsplit("=", 1)[1]) != os.getpid()


def _stale_batch(tmp_path, n=3) -> ImportBatch:
    for i in range(n):
        (tmp_path / f"r{i}.txt").write_bytes((fixtures_dir() / REPORT).read_bytes() + b"\n" * (i + 1))
    b = create_batch(tmp_path)
    ImportBatch.objects.filter(pk=b.pk).update(
        status=BatchStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    return b


def test_recover_imports_command_finishes_stale_items(tmp_path, parser):
    b = _stale_batch(tmp_path)
    fresh = create_batch(tmp_path)  # started now: a live worker may be on it, left alone
    ImportBatch.objects.filter(pk=fresh.pk).update(status=BatchStatus.RUNNING, started_at=timezone.now())
    out = io.StringIO()
    call_command("recover_imports", stdout=out)
    assert f"批次{b.pk}：重新处理 3 个待处理文件" in out.getvalue()
    b.refresh_from_db()
    assert b.status == BatchStatus.FINISHED and not b.items.filter(status=ItemStatus.PENDING).exists()
    assert fresh.items.filter(status=ItemStatus.PENDING).count() == 3
    out = io.StringIO()
    call_command("recover_imports", "--older-than", "0", stdout=out)
    assert not ImportItem.objects.filter(status=ItemStatus.PENDING).exists()


def test_worker_start_recovers_stale_items(tmp_path, parser):
    from celery.signals import worker_ready

    import gongkai.report_import.tasks  # noqa: F401 - connects the signal, as a worker does

    b = _stale_batch(tmp_path, n=2)
    worker_ready.send(sender=None)
    assert not b.items.filter(status=ItemStatus.PENDING).exists()


def _gbk_zip(names: list[str], data: bytes) -> bytes:
    """A zip as made on Chinese Windows: GBK member names without the UTF-8 flag."""
    buf = io.BytesIO()
    placeholders = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, name in enumerate(names):
            raw = name.encode("gbk")
            ph = (f"{i:02d}" + "X" * len(raw))[: len(raw)].encode()
            placeholders.append((ph, raw))
            z.writestr(ph.decode(), data + b"\n" * (i + 1))
    out = buf.getvalue()
    for ph, raw in placeholders:
        out = out.replace(ph, raw)
    return out


def test_gbk_member_names_are_decoded(root, parser):
    names = ["临江市/公安局2021年报.txt", "临江市/教育局2021年报.txt"]
    data = _gbk_zip(names, (fixtures_dir() / REPORT).read_bytes())
    assert not any(i.flag_bits & 0x800 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    root.post(reverse("report_import:upload"), {"files": SimpleUploadedFile("gbk.zip", data)})
    batch = ImportBatch.objects.get()
    assert sorted(batch.items.values_list("path", flat=True)) == sorted(names)
    assert not batch.items.exclude(status=ItemStatus.DONE).exists()
    page = root.get(reverse("report_import:batch", args=[batch.pk])).content.decode()
    assert all(n in page for n in names)


def test_import_report_command_parses_inside_the_limits(tmp_path, bombs):
    from django.core.management.base import CommandError

    (tmp_path / "年报.docx").write_bytes(bombs["docx"])
    (tmp_path / "ok.txt").write_bytes((fixtures_dir() / REPORT).read_bytes())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 份报告未能完整导入或保存"):
        call_command("import_report", str(tmp_path), stdout=out, stderr=err)
    assert "“word/document.xml”解压后超过 16 MB，已拒绝" in err.getvalue()
    assert "平潭" in out.getvalue()
