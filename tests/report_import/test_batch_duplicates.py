"""Issue 11 item 12 for batches: files of a batch (directory, zip, several uploads) or of the
command line that repeat an earlier import — before the batch or earlier in the same batch — are
listed with what they match and why; the user chooses replace / keep both / cancel per file or for
all, applied in one transaction and recorded on the file."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from gongkai.report_import.batch import create_batch, run_batch
from gongkai.report_import.corpus import _variant, fixtures_dir
from gongkai.report_import.duplicates import batch_repeats, resolve_batch
from gongkai.report_import.models import ImportedReport, ImportItem

pytestmark = pytest.mark.django_db

SAME = "2021_pingtan-gaj_flattext.txt"  # imported several times
OTHER = "2024_pingtan-shs_flattext.txt"


def _copy(name: str, i: int) -> bytes:
    """The fixture with a trailing whitespace line: other bytes, same report."""
    return _variant((fixtures_dir() / name).read_bytes(), ".txt", i)


@pytest.fixture
def earlier(tmp_path, parser):
    """A report imported before the batch (a batch of its own)."""
    d = tmp_path / "before"
    d.mkdir()
    (d / "早先导入.txt").write_bytes(_copy(SAME, 5))
    run_batch(create_batch(d))
    return ImportedReport.objects.get(source_name="早先导入.txt")


@pytest.fixture
def batch(tmp_path, earlier):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "a.txt").write_bytes(_copy(SAME, 0))
    (d / "b.txt").write_bytes(_copy(SAME, 1))  # repeats a.txt in the same batch
    (d / "c.txt").write_bytes(_copy(SAME, 0))  # the same file as a.txt
    (d / "d.txt").write_bytes(_copy(OTHER, 0))  # another report
    b = create_batch(d)
    run_batch(b)
    return b


def _items(b) -> dict[str, ImportItem]:
    return {it.path: it for it in ImportItem.objects.filter(batch=b).select_related("report")}


def test_repeats_name_what_each_file_matches_and_why(batch, earlier):
    reps = {r.item.path: r for r in batch_repeats(batch)}
    assert sorted(reps) == ["a.txt", "b.txt", "c.txt"]
    items = _items(batch)
    assert reps["a.txt"].reason == "cells" and reps["a.txt"].earlier == [earlier]
    assert reps["b.txt"].earlier == [earlier, items["a.txt"].report]  # also within the batch
    assert reps["c.txt"].reason == "file" and reps["c.txt"].earlier == [items["a.txt"].report]
    assert not reps["c.txt"].choosable  # same content is stored once: nothing to choose
    assert ImportedReport.objects.count() == 4  # nothing removed before the user chose


def test_choices_per_file_applied_and_recorded(batch, earlier, django_user_model):
    user = django_user_model.objects.create_user("chooser", first_name="审核员甲")
    items = _items(batch)
    a_report, b_report = items["a.txt"].report, items["b.txt"].report
    done = resolve_batch(batch, {items["a.txt"].pk: "replace", items["b.txt"].pk: "cancel"}, user)
    assert done == {"replace": 1, "keep": 0, "cancel": 1}
    same = ImportedReport.objects.filter(agency=a_report.agency, year=a_report.year)
    assert list(same) == [a_report]  # the earlier import replaced, b.txt's copy cancelled
    items = _items(batch)
    assert items["a.txt"].resolution == "replace" and items["a.txt"].resolved_by == user
    assert f"#{earlier.pk}「早先导入.txt」" in items["a.txt"].resolution_note
    assert items["b.txt"].resolution == "cancel" and items["b.txt"].report == a_report
    assert f"#{b_report.pk}「b.txt」" in items["b.txt"].resolution_note
    # the earlier batch's file now shows the report that replaced its own
    assert ImportItem.objects.get(path="早先导入.txt").report == a_report
    assert [r.item.path for r in batch_repeats(batch) if r.choosable] == []


def test_choices_apply_in_one_transaction(batch, earlier):
    items = _items(batch)
    with pytest.raises(ValueError):
        resolve_batch(batch, {items["a.txt"].pk: "replace", items["b.txt"].pk: "bogus"})
    assert ImportedReport.objects.filter(pk=earlier.pk).exists()  # the replace was rolled back
    assert not ImportItem.objects.exclude(resolution="").exists()


def _supervisor(report):
    from gongkai.agencies.models import Membership, Role

    u = get_user_model().objects.create_user("sup", password="x", first_name="市政务公开办")
    Membership.objects.create(user=u, agency=report.agency, role=Role.SUPERVISOR)
    return u


def test_batch_page_lists_repeats_and_applies_the_choice_for_all(client, batch, earlier):
    batch.created_by = _supervisor(earlier)
    batch.save()
    client.force_login(batch.created_by)
    url = reverse("report_import:batch", args=[batch.pk])
    page = client.get(url).content.decode()
    assert "重复的报告（3 份）" in page
    assert "机关、年度和各表数据与此前导入的报告完全相同" in page
    assert "早先导入.txt" in page and "本批次" in page and "同一文件（内容完全相同）" in page
    items = _items(batch)
    r = client.post(url, {f"choice_{items['b.txt'].pk}": "cancel", "all": "keep"}, follow=True)
    assert "已处理重复的报告：两份都保留1份，取消本次导入1份。" in r.content.decode()
    items = _items(batch)
    assert (items["a.txt"].resolution, items["b.txt"].resolution) == ("keep", "cancel")
    assert ImportedReport.objects.filter(source_name__in=["早先导入.txt", "a.txt"]).count() == 2
    assert not ImportedReport.objects.filter(source_name="b.txt").exists()
    page = client.get(url).content.decode()
    assert "市政务公开办" in page and "两份都保留（与此前导入的#" in page  # the record is shown


def test_batch_page_without_a_choice_changes_nothing(client, batch, earlier):
    batch.created_by = _supervisor(earlier)
    batch.save()
    client.force_login(batch.created_by)
    r = client.post(reverse("report_import:batch", args=[batch.pk]), {"all": ""}, follow=True)
    assert "请为重复的报告选择处理方式" in r.content.decode()
    assert ImportedReport.objects.count() == 4


def _import_report(path, **opts) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_report", str(path), save=True, stdout=out, stderr=err, **opts)
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize(
    ("how", "kept"),
    [
        (None, ["第一次.txt"]),
        ("skip", ["第一次.txt"]),
        ("keep", ["第一次.txt", "第二次.txt"]),
        ("replace", ["第二次.txt"]),
    ],
)
def test_cli_import_report_on_duplicate(tmp_path, how, kept):
    first, second = tmp_path / "第一次.txt", tmp_path / "第二次.txt"
    first.write_bytes(_copy(SAME, 0))
    second.write_bytes(_copy(SAME, 1))
    _import_report(first)
    out = _import_report(second, **({"on_duplicate": how} if how else {}))
    assert "重复（机关、年度和各表数据完全相同）" in out and "「第一次.txt」" in out
    if how is None:  # not a terminal: skipped, and said how to change it
        assert "未保存本次导入" in out and "--on-duplicate=replace" in out
    assert sorted(ImportedReport.objects.values_list("source_name", flat=True)) == sorted(kept)
    again = _import_report(tmp_path / kept[0])  # the same file again: said, not saved
    assert "同一文件此前已导入" in again and ImportedReport.objects.count() == len(kept)


def test_cli_import_batch_on_duplicate(tmp_path, earlier):
    d = tmp_path / "cli"
    d.mkdir()
    (d / "x.txt").write_bytes(_copy(SAME, 7))
    out = io.StringIO()
    call_command("import_batch", str(d), no_progress=True, on_duplicate="replace", stdout=out)
    assert (
        "1 份报告与此前导入的报告重复" in out.getvalue()
        and "已按 --on-duplicate=replace 处理 1 份" in out.getvalue()
    )
    assert list(ImportedReport.objects.values_list("source_name", flat=True)) == ["x.txt"]
    assert ImportItem.objects.get(path="x.txt").resolution == "replace"
