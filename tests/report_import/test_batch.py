"""Batch import: every file processed, resume after a limit or an interrupt, exactly once."""

from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from django.core.management import call_command

from gongkai.report_import.batch import (
    create_batch,
    enumerate_source,
    item_counts,
    run_batch,
    zip_display_name,
)
from gongkai.report_import.corpus import fixture_files, make_corpus
from gongkai.report_import.models import BatchStatus, ImportedReport, ImportItem, ItemStatus

pytestmark = pytest.mark.django_db


def test_corpus_files_are_distinct(tmp_path):
    paths = make_corpus(tmp_path, 40, per_dir=15)
    import hashlib

    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}) == 40
    kind, names = enumerate_source(tmp_path)
    assert kind == "directory" and len(names) == 40 and names[0].startswith("part000/")


def test_directory_batch_processes_every_file(tmp_path, parser):
    make_corpus(tmp_path, 24)
    (tmp_path / "part000" / "notes.md").write_text("not a report")
    (tmp_path / "part000" / ".hidden.txt").write_text("hidden")
    b = create_batch(tmp_path)
    assert b.total == 24
    seen = []
    res = run_batch(
        b, chunk_size=5, progress=lambda c: seen.append(c[ItemStatus.DONE] + c[ItemStatus.FAILED])
    )
    assert res.counts[ItemStatus.DONE] == 24, list(
        ImportItem.objects.exclude(status="done").values("path", "error")
    )
    assert res.batch.status == BatchStatus.FINISHED
    b.refresh_from_db()
    assert (b.total, b.done, b.failed, b.status) == (24, 24, 0, BatchStatus.FINISHED)
    assert seen == sorted(seen) and seen[-1] == 24 and len(seen) >= 5  # progress after each chunk
    assert ImportedReport.objects.count() == 24
    assert len(parser.calls) == 24
    # agencies matched by name across the copies: one agency per distinct printed name
    n_fixture_agencies = len({r.agency_name_printed for r in ImportedReport.objects.all()})
    assert ImportedReport.objects.values("agency").distinct().count() <= n_fixture_agencies


def test_resume_after_limit_processes_each_file_once(tmp_path, parser):
    make_corpus(tmp_path, 30)
    b = create_batch(tmp_path)
    res = run_batch(b, chunk_size=4, limit=13)
    assert res.counts[ItemStatus.DONE] == 13 and res.counts[ItemStatus.PENDING] == 17
    b.refresh_from_db()
    assert b.status == BatchStatus.INTERRUPTED and b.finished_at is None
    call_command("import_batch", resume=b.pk, no_progress=True)
    b.refresh_from_db()
    assert (b.done, b.failed, b.status) == (30, 0, BatchStatus.FINISHED)
    # every file parsed exactly once, one report per file
    assert Counter(parser.calls).most_common(1)[0][1] == 1 and len(parser.calls) == 30
    assert ImportItem.objects.filter(batch=b, report__isnull=False).values("report").distinct().count() == 30
    # a further resume has nothing to do
    call_command("import_batch", resume=b.pk, no_progress=True)
    assert len(parser.calls) == 30


def test_interrupt_midway_rolls_back_the_item_in_flight(tmp_path, parser):
    make_corpus(tmp_path, 20)
    b = create_batch(tmp_path)
    parser.fail_on[9] = KeyboardInterrupt()  # Ctrl-C while the 9th file is being parsed
    with pytest.raises(KeyboardInterrupt):
        run_batch(b, chunk_size=3)
    c = item_counts(b)
    assert c == {"pending": 12, "done": 8, "failed": 0}
    b.refresh_from_db()
    assert b.status == BatchStatus.INTERRUPTED
    assert ImportedReport.objects.count() == 8
    run_batch(b, chunk_size=3)
    assert item_counts(b) == {"pending": 0, "done": 20, "failed": 0}
    # the interrupted file was parsed twice (rolled back the first time), every other file once
    counts = Counter(parser.calls)
    assert sorted(counts.values()) == [1] * 19 + [2]
    assert ImportedReport.objects.count() == 20


def test_parser_error_fails_one_item_and_retry(tmp_path, parser):
    make_corpus(tmp_path, 6)
    b = create_batch(tmp_path)
    parser.fail_on[2] = ValueError("表格无法识别")
    run_batch(b)
    c = item_counts(b)
    assert c == {"pending": 0, "done": 5, "failed": 1}
    bad = ImportItem.objects.get(batch=b, status=ItemStatus.FAILED)
    assert "表格无法识别" in bad.error and bad.report is None
    call_command("import_batch", resume=b.pk, retry_failed=True, no_progress=True)
    assert item_counts(b) == {"pending": 0, "done": 6, "failed": 0}


def test_same_content_twice_gives_one_report(tmp_path, parser):
    src = fixture_files()[0]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / src.name).write_bytes(src.read_bytes())
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / src.name).write_bytes(src.read_bytes())
    b = create_batch(tmp_path)
    run_batch(b)
    items = list(ImportItem.objects.filter(batch=b).order_by("path"))
    assert [i.status for i in items] == ["done", "done"]
    assert items[0].report_id == items[1].report_id
    assert [i.duplicate for i in items] == [False, True]
    # a second batch of the same directory creates no report either
    b2 = create_batch(tmp_path)
    run_batch(b2)
    assert ImportedReport.objects.count() == 1
    assert all(i.duplicate for i in ImportItem.objects.filter(batch=b2))
    assert len(parser.calls) == 1


def test_zip_batch_with_gbk_names(tmp_path, parser):
    files = make_corpus(tmp_path / "src", 5)
    zpath = tmp_path / "reports.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in files:
            zf.writestr(p.name, p.read_bytes())
        # a member named in GBK without the UTF-8 flag, as Windows zip tools write it
        gbk_name = "年报/" + files[0].name.replace("_", "-", 1)

        class GbkInfo(zipfile.ZipInfo):
            def _encodeFilenameFlags(self):
                return gbk_name.encode("gbk"), self.flag_bits & ~0x800

        info = GbkInfo(gbk_name)
        raw = gbk_name.encode("gbk").decode("cp437")
        zf.writestr(info, files[0].read_bytes() + b" ")
        zf.writestr("__MACOSX/._x.txt", b"junk")
    with zipfile.ZipFile(zpath) as zf:
        gbk = [i for i in zf.infolist() if not (i.flag_bits & 0x800) and i.filename.startswith(raw[:3])]
        assert gbk and zip_display_name(gbk[0]).startswith("年报/")
    b = create_batch(zpath)
    assert b.source_kind == "zip" and b.total == 6
    run_batch(b)
    assert item_counts(b)["done"] == 6
    assert ImportedReport.objects.filter(source_name__startswith="00000-").exists()


def test_import_batch_command_with_export(tmp_path, parser):
    import csv

    make_corpus(tmp_path / "src", 6)
    out = tmp_path / "cells.csv"
    call_command("import_batch", str(tmp_path / "src"), no_progress=True, export=str(out), chunk_size=4)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {int(r["report_id"]) for r in rows} == set(ImportedReport.objects.values_list("pk", flat=True))
    assert len({r["report_id"] for r in rows}) == 6


def _section4_page_png() -> tuple[bytes, dict]:
    """Section 4 of a fixture as the platform prints it, one page image at 200 dpi."""
    import io
    import json

    import pypdfium2 as pdfium

    from gongkai.core.report_data import ReportData
    from gongkai.core.report_render import render_pdf
    from gongkai.core.report_rules import fill_totals
    from gongkai.report_import.corpus import fixtures_dir

    e = next(
        r
        for r in json.loads((fixtures_dir() / "expected.json").read_text("utf-8"))["reports"]
        if r["file"] == "2021_pingtan_flattext.txt"
    )
    pdf = render_pdf(fill_totals(ReportData.from_dict(e), only_blank=True))
    b = io.BytesIO()
    pdfium.PdfDocument(pdf)[2].render(scale=200 / 72).to_pil().convert("L").save(b, "PNG")
    return b.getvalue(), e


SAVED_PAGE = (
    "<html><body><h1>平潭综合实验区2021年政府信息公开工作年度报告</h1>"
    "<h2>四、政府信息公开行政复议、行政诉讼情况</h2><p><img src='年报_files/image003.png'></p>"
    "<h2>五、存在的主要问题及改进情况</h2></body></html>"
)


def test_saved_web_page_in_a_zip_is_one_item_read_with_its_pictures(tmp_path, parser):
    """A saved page (年报.html + 年报_files/) in a zip: the pictures are part of the page, not items
    of their own, and the page's Section 4 printed as a picture is read from the zip."""
    png, e = _section4_page_png()
    zpath = tmp_path / "pages.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("网页/年报.html", SAVED_PAGE)
        zf.writestr("网页/年报_files/image003.png", png)
        zf.writestr("网页/其他.png", b"not a picture")  # a picture of no page stays an item
    assert enumerate_source(zpath)[1] == ["网页/其他.png", "网页/年报.html"]
    b = create_batch(zpath)
    run_batch(b)
    report = ImportedReport.objects.get(source_name__endswith="年报.html")
    assert report.parsed["tables"]["review_litigation"] == {"count": e["review_litigation"]}


def test_saved_web_page_in_a_directory_keeps_its_pictures_out_of_the_items(tmp_path):
    (tmp_path / "年报_files").mkdir()
    (tmp_path / "年报_files" / "image003.png").write_bytes(b"x")
    (tmp_path / "年报.htm").write_text(SAVED_PAGE, encoding="utf-8")
    (tmp_path / "扫描件.png").write_bytes(b"x")
    assert enumerate_source(tmp_path)[1] == ["年报.htm", "扫描件.png"]
