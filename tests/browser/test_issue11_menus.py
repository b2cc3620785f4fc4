"""Issue 11 in the browser: every menu entry a role is shown opens (no 404/403 behind a link) —
item 5; the file picker is Chinese whatever the browser's language — item 6."""

from __future__ import annotations

import pytest
from browser_helpers import login

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ("/workbench/", "/workbench/reports/")
MENUS = "header nav a, nav.tabs a, nav.ri-subnav a"


@pytest.fixture
def dept(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    return Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )


@pytest.mark.parametrize("role", [Role.HANDLER, Role.HEAD, Role.ADMIN, Role.SUPERVISOR])
def test_every_menu_entry_shown_opens(live_server, context, dept, django_user_model, role):
    agency = dept.parent if role == Role.SUPERVISOR else dept
    user = django_user_model.objects.create_user(f"u_{role}", password="pw-123456", first_name="某人")
    Membership.objects.create(user=user, agency=agency, role=role)
    page = context.new_page()
    page.set_default_timeout(60000)  # a loaded machine
    login(page, live_server.url, user.username)
    seen = set()
    for start in PAGES:
        page.goto(live_server.url + start)
        for href in page.eval_on_selector_all(MENUS, "els => els.map(e => e.getAttribute('href'))"):
            if href and href.startswith("/") and href not in seen:
                seen.add(href)
    assert seen
    shown_supervision = "/workbench/reports/supervision/" in seen
    assert shown_supervision == (role == Role.SUPERVISOR)
    for href in sorted(seen):
        resp = page.goto(live_server.url + href)
        assert resp.status < 400, (role, href, resp.status)


def test_file_picker_is_chinese_in_an_english_browser(live_server, browser, tmp_path):
    ctx = browser.new_context(locale="en-US")
    page = ctx.new_page()
    page.goto(live_server.url + "/apply/")
    picker = page.locator(".gk-file-picker").first
    picker.wait_for()
    assert picker.locator(".gk-file-button").inner_text().startswith("选择文件")
    assert picker.locator(".gk-file-names").inner_text() == "未选择文件"
    f = tmp_path / "身份证.pdf"
    f.write_bytes(b"%PDF-1.4\n")
    with page.expect_file_chooser() as fc:
        picker.locator(".gk-file-button").click()
    fc.value.set_files(str(f))
    assert picker.locator(".gk-file-names").inner_text() == "已选择：身份证.pdf"
    ctx.close()
