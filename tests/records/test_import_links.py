"""``gongkai import-documents`` on saved pages that link attachments (附件: DOCX/PDF/XLSX/images
in the page's ``_files/`` folder, beside it, or remote) and the documents that amended or
repealed them (有效性 notices, 相关文件): records linked with their date, attachments stored and
searchable, idempotent on re-run; remote files only with ``--fetch-remote`` (a local server)."""

import datetime as dt
import http.server
import shutil
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core import record_lifecycle as lc
from gongkai.records import import_links
from gongkai.records.models import Record, RecordAttachment, RecordEvent
from gongkai.search import services as search_services
from gongkai.search.backends.base import SearchFilters

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
REMOTE = "http://www.linjiang.gov.cn"
D = dt.date


@pytest.fixture
def region(db):
    city = Agency.objects.create(
        name="临江市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="临政依申"
    )
    for name, prefix in (("临江市人民政府办公室", "office"), ("临江市教育局", "edu")):
        Agency.objects.create(name=name, kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix=prefix)
    return city


@pytest.fixture
def pages(tmp_path):
    out = tmp_path / "site"
    shutil.copytree(DATA / "saved_pages_links", out)
    return out


def run(*args) -> str:
    out = StringIO()
    call_command("import_documents", *map(str, args), "--no-progress", stdout=out)
    return out.getvalue()


def rec(doc_number: str) -> Record:
    return Record.objects.get(doc_number=doc_number)


def search(q: str) -> list[str]:
    page = search_services.get_backend().search(q, SearchFilters(), page=1, per_page=10)
    return [h.title for h in page.hits]


def test_attachments_and_replacing_documents(region, pages, django_capture_on_commit_callbacks):
    report = run(pages, "--dry-run")
    assert "试运行（未保存）：新增 5 件，更新 0 件，未变化 0 件，错误 0 件" in report
    assert "附件 2 个：附件1：临江市城市道路占用申请表.docx、附件2：占用范围示意图.png" in report
    assert "远程附件 1 个（未下载，需要 --fetch-remote）：附件3：修复费用计算表.xlsx" in report
    assert "找不到附件文件“/u/cms/www/201903/旧版收费说明.doc”" in report
    assert (
        "将关联替代文件《临江市人民政府关于印发临江市城市道路管理办法的通知》（2023/new_rule.html），2023-05-01废止"
        in report
    )
    assert "将关联替代文件《临江市教育局关于修改〈关于加强中小学校食堂管理的意见〉的决定》" in report
    assert Record.objects.count() == 0 and RecordAttachment.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        report = run(pages)
    assert "导入完成：新增 5 件，更新 0 件，未变化 0 件，错误 0 件" in report
    assert "远程附件未下载（使用 --fetch-remote 下载）" in report

    old, new = rec("临政办规〔2019〕2号"), rec("临政规〔2023〕3号")
    # the notice (「本文件已于2023年5月1日被《…》废止」) wins over the stale 有效性：有效 of the block
    assert (old.validity, old.state, old.replaced_by, old.validity_changed_on) == (
        lc.VALIDITY_REPEALED,
        lc.REPEALED,
        new,
        D(2023, 5, 1),
    )
    # the replacing document stays in force (its own 「…同时废止」 sentence is not a notice)
    assert (new.validity, new.replaced_by) == (lc.IN_FORCE, None)
    meals, decision = rec("临教发〔2021〕12号"), rec("临教发〔2024〕2号")
    assert (meals.validity, meals.replaced_by, meals.validity_changed_on) == (
        lc.VALIDITY_AMENDED,
        decision,
        D(2024, 3, 8),  # no date in the notice: the amending decision's 发布日期
    )
    # repealed without a notice: the newest 相关文件 published after it (linked by its site URL)
    stalls = rec("临政办发〔2021〕4号")
    assert (stalls.validity, stalls.replaced_by, stalls.validity_changed_on) == (
        lc.VALIDITY_REPEALED,
        new,
        D(2023, 4, 7),
    )
    assert RecordEvent.objects.filter(action="import_link").count() == 3

    atts = {a.original_name: a for a in old.attachments.all()}
    assert sorted(atts) == ["附件1：临江市城市道路占用申请表.docx", "附件2：占用范围示意图.png"]
    assert "施工方案" in atts["附件1：临江市城市道路占用申请表.docx"].text
    assert atts["附件2：占用范围示意图.png"].text_error == "图片文件，未提取文字"
    assert "沥青路面" in new.attachments.get().text
    assert RecordEvent.objects.filter(record=old, action="attach", label="导入附件").count() == 1
    # attachment text is searchable like an uploaded attachment's
    assert search("施工方案") == [old.title]
    assert search("沥青路面 修复") == [new.title]

    # idempotent: nothing changes on a second run
    with django_capture_on_commit_callbacks(execute=True):
        report = run(pages)
    assert "导入完成：新增 0 件，更新 0 件，未变化 5 件，错误 0 件" in report
    assert (
        RecordAttachment.objects.count() == 3
        and RecordEvent.objects.filter(action="import_link").count() == 3
    )

    # a changed attachment file replaces the stored one (same name), re-extracted
    docx = pages / "2019" / "old_rule_files" / "附件1.docx"
    docx.write_bytes((DATA / "import_manifest" / "files" / "city-renewal.docx").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        report = run(pages)
    assert "导入完成：新增 0 件，更新 1 件，未变化 4 件" in report
    assert "更新：附件" in report
    att = old.attachments.get(original_name="附件1：临江市城市道路占用申请表.docx")
    assert "口袋公园" in att.text and RecordAttachment.objects.count() == 3


def test_link_outside_the_folder_is_not_read(region, pages, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("不应导入的内容", encoding="utf-8")
    page = pages / "2023" / "new_rule.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("new_rule_att.pdf", "../../secret.txt"), encoding="utf-8"
    )
    report = run(pages, "--dry-run")
    assert "找不到附件文件“../../secret.txt”" in report


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/to-file.pdf":
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()
            return
        if self.path == "/slow.pdf":
            self.send_response(200)
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"%PDF" + b"0" * 1000)
                self.wfile.flush()
                time.sleep(0.1)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    (root / "zwgk" / "2019").mkdir(parents=True)
    shutil.copy(DATA / "remote_fee_table.xlsx", root / "zwgk" / "2019" / "P020190301599999.xlsx")
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: _Handler(*a, directory=str(root), **k)
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_remote_from_a_local_server(region, pages, server, django_capture_on_commit_callbacks):
    page = pages / "2019" / "old_rule.html"
    page.write_text(page.read_text(encoding="utf-8").replace(REMOTE, server), encoding="utf-8")
    assert "远程附件 1 个（将下载）" in run(pages, "--dry-run", "--fetch-remote")
    with django_capture_on_commit_callbacks(execute=True):
        run(pages, "--fetch-remote")
    xlsx = rec("临政办规〔2019〕2号").attachments.get(original_name="附件3：修复费用计算表.xlsx")
    assert "沥青路面修复  平方米  120" in xlsx.text
    assert search('"人行道铺装修复"') == [rec("临政办规〔2019〕2号").title]


def test_fetch_limits(server, settings):
    with pytest.raises(import_links.FetchError, match="只能下载 http/https"):
        import_links.fetch("file:///etc/hostname", limit=1000, timeout=1)
    with pytest.raises(import_links.FetchError, match="重定向到不允许的地址"):
        import_links.fetch(server + "/to-file.pdf", limit=1000, timeout=2)
    with pytest.raises(import_links.FetchError, match="超过大小上限"):
        import_links.fetch(server + "/zwgk/2019/P020190301599999.xlsx", limit=1000, timeout=2)
    with pytest.raises(import_links.FetchError, match="下载超时"):
        import_links.fetch(server + "/slow.pdf", limit=10**6, timeout=0.5)
    with pytest.raises(import_links.FetchError, match="下载失败"):
        import_links.fetch(server + "/missing.pdf", limit=1000, timeout=2)
    assert len(import_links.fetch(server + "/zwgk/2019/P020190301599999.xlsx", limit=10**6, timeout=2)) > 1000
