"""``gongkai import-documents``: saved government pages and a manifest with DOCX/PDF/HTML/TXT
files; dry run first, per-file errors in Chinese, re-running updates instead of duplicating."""

import datetime as dt
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core import record_lifecycle as lc
from gongkai.records.models import IndexCounter, IssuerCode, Record, RecordEvent
from gongkai.search import services as search_services
from gongkai.search.backends.base import SearchFilters

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
D = dt.date


@pytest.fixture
def region(db):
    city = Agency.objects.create(
        name="临江市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="临政依申"
    )
    out = {"city": city}
    for key, name in (
        ("office", "临江市人民政府办公室"),
        ("edu", "临江市教育局"),
        ("health", "临江市卫生健康委员会"),
        ("jb_office", "临江市江北区人民政府办公室"),
        ("province", "临江省人民政府办公厅"),
    ):
        out[key] = Agency.objects.create(
            name=name, kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix=key
        )
    return out


def run(*args) -> str:
    out = StringIO()
    call_command("import_documents", *map(str, args), "--no-progress", stdout=out)
    return out.getvalue()


def test_saved_pages_dry_run_then_import_then_update(region, tmp_path, django_capture_on_commit_callbacks):
    pages = tmp_path / "pages"
    shutil.copytree(DATA / "saved_pages", pages)
    report = run(pages, "--dry-run")
    assert "试运行（未保存）：新增 3 件，更新 0 件，未变化 0 件，错误 1 件" in report
    assert "找不到发文机关“国务院办公厅”" in report
    assert Record.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        report = run(pages, "--agency", "临江市人民政府")
    assert "导入完成：新增 4 件" in report  # the State Council page goes to the default agency
    prov = Record.objects.get(doc_number="临政办发〔2023〕20号")
    assert prov.agency == region["province"] and prov.index_number == "11330000002482870P/2023-00123"
    assert (prov.written_on, prov.published_on, prov.state, prov.validity) == (
        D(2023, 5, 10),
        D(2023, 5, 12),
        lc.PUBLISHED,
        lc.IN_FORCE,
    )
    assert prov.topic is not None and prov.topic.name == "综合政务"
    old = Record.objects.get(doc_number="江北政办发〔2020〕5号")
    assert (old.state, old.validity, old.validity_changed_on) == (
        lc.REPEALED,
        lc.VALIDITY_REPEALED,
        D(2020, 3, 5),
    )
    edu = Record.objects.get(doc_number="临教发〔2019〕7号")
    assert edu.state == lc.EXPIRED and edu.written_on == D(2019, 3, 28) and "免试就近入学" in edu.body
    assert RecordEvent.objects.filter(action="import").count() == 4
    hits = search_services.get_backend().search("保障性租赁住房", SearchFilters(), page=1, per_page=10)
    assert [h.title for h in hits.hits] == ["国务院办公厅关于加快发展保障性租赁住房的意见"]

    # again: nothing changes; a corrected page updates its record
    assert "新增 0 件，更新 0 件，未变化 4 件" in run(pages, "--agency", "临江市人民政府")
    page = pages / "province_list.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("有效性：</span>有效", "有效性：</span>已失效"),
        encoding="utf-8",
    )
    report = run(pages, "--agency", "临江市人民政府")
    assert "更新 1 件" in report and "有效性" in report
    prov.refresh_from_db()
    assert prov.state == lc.EXPIRED and Record.objects.count() == 4
    ev = prov.events.get(action="import_update")
    assert ev.from_state == lc.PUBLISHED and ev.to_state == lc.EXPIRED and "validity" in ev.data["changed"]


def test_manifest_with_files_and_per_row_errors(region, tmp_path):
    IssuerCode.objects.create(agency=region["city"], code="000000901")
    report = json.loads(run(DATA / "import_manifest", "--json"))
    assert report["summary"] == {"新增": 4, "更新": 0, "未变化": 0, "错误": 1}
    bad = next(r for r in report["items"] if r["action"] == "错误")
    assert "第6行：找不到文件“files/missing.docx”" in bad["message"]
    renewal = Record.objects.get(doc_number="临政发〔2022〕8号")
    assert renewal.index_number == "000000901/2022-00008" and "口袋公园" in renewal.body
    assert renewal.category == lc.POLICY and renewal.doc_type == "通知"
    # the city's own 索引号 counter moved past the imported one
    assert IndexCounter.objects.get(agency=region["city"], year=2022).last_serial == 8
    normative = Record.objects.get(doc_number="临政办规〔2021〕2号")
    assert normative.category == lc.NORMATIVE and normative.state == lc.REPEALED
    assert "合法性审核" in normative.body and normative.index_number.endswith("/2021-00001")
    assert "义务教育法" in Record.objects.get(title__contains="招生范围").body
    assert "十二项" in Record.objects.get(doc_number="临卫发〔2023〕3号").body  # from the PDF
    # a bad date on the same row is reported once the file exists
    tmp = tmp_path / "m"
    shutil.copytree(DATA / "import_manifest", tmp)
    (tmp / "files" / "missing.docx").write_bytes((tmp / "files" / "city-renewal.docx").read_bytes())
    report = json.loads(run(tmp, "--json", "--dry-run"))
    bad = next(r for r in report["items"] if r["action"] == "错误")
    assert "日期无法识别：2024-13-01" in bad["message"]


def test_async_runs_chunks_as_celery_tasks(region, tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(DATA / "saved_pages", pages)
    out = run(pages, "--agency", str(region["city"].pk), "--async", "--chunk-size", "2")
    assert "已提交 2 个导入任务（共 4 件，每批 2 件）" in out
    assert Record.objects.count() == 4  # eager in tests: the tasks ran


def test_unknown_default_agency_and_missing_path(region):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到机关"):
        run(DATA / "saved_pages", "--agency", "不存在的机关")
    with pytest.raises(CommandError, match="路径不存在"):
        run(DATA / "nothing-here")
