"""Issue 11 item 12 in the browser: a supervisor opens a batch whose files repeat an earlier import,
chooses for one file and for all the others, and sees the choice recorded."""

import pytest
from browser_helpers import login

from gongkai.agencies.models import Membership, Role
from gongkai.report_import.batch import create_batch, run_batch
from gongkai.report_import.corpus import _variant, fixtures_dir
from gongkai.report_import.models import ImportedReport, ImportItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAME = "2021_pingtan-gaj_flattext.txt"


def _copy(i: int) -> bytes:
    return _variant((fixtures_dir() / SAME).read_bytes(), ".txt", i)


def test_supervisor_chooses_what_to_do_with_repeated_reports(
    live_server, context, django_user_model, tmp_path, shots
):
    before, later = tmp_path / "before", tmp_path / "later"
    before.mkdir()
    later.mkdir()
    (before / "第一次.txt").write_bytes(_copy(0))
    run_batch(create_batch(before))
    first = ImportedReport.objects.get()
    user = django_user_model.objects.create_user("sup", password="pw-123456", first_name="监督员甲")
    Membership.objects.create(user=user, agency=first.agency, role=Role.SUPERVISOR)
    (later / "a.txt").write_bytes(_copy(1))
    (later / "b.txt").write_bytes(_copy(2))
    batch = create_batch(later, user=user)
    run_batch(batch)

    page = context.new_page()
    login(page, live_server.url, "sup")
    page.goto(f"{live_server.url}/workbench/imports/batches/{batch.pk}/")
    rows = page.locator("#repeats tbody tr")
    assert rows.count() == 2
    assert "第一次.txt" in rows.nth(0).inner_text() and "本批次" in rows.nth(1).inner_text()
    shots(page, "import-repeats")
    a = ImportItem.objects.get(path="a.txt")
    page.get_by_role("group", name="a.txt 的处理方式").get_by_label("替换此前导入的报告").check()
    page.get_by_label("未逐个选择的文件统一：").select_option("cancel")
    page.get_by_role("button", name="确定").click()
    page.locator("ul.messages").get_by_text(
        "已处理重复的报告：替换此前导入的报告1份，取消本次导入1份。"
    ).wait_for()
    assert list(ImportedReport.objects.values_list("source_name", flat=True)) == ["a.txt"]
    assert "监督员甲" in page.locator("#repeats").inner_text()
    a.refresh_from_db()
    assert a.resolution == "replace" and a.resolved_by == user
