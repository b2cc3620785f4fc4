"""Issue 11 item 17: accessibility in error states — field errors keep their list semantics inside
the alert, every invalid field points at its own error by id, the supervision figures' labelled
group has a role; axe-core finds nothing serious on those pages."""

from __future__ import annotations

import pytest
from browser_helpers import login
from test_column_browser import axe_problems

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(db):
    return Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")


def test_form_errors_are_announced_and_referenced(live_server, context, city):
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(live_server.url + "/apply/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector(".has-error")
    invalid = page.eval_on_selector_all(
        "[aria-invalid=true]",
        """els => els.map(e => ({id: e.id, described: ((e.closest('fieldset[aria-describedby]') || e).getAttribute('aria-describedby') || '').split(' ')
                .filter(Boolean).map(i => { const t = document.getElementById(i); return t ? t.getAttribute('role') : 'MISSING'; })}))""",
    )
    assert invalid
    for field in invalid:
        assert "MISSING" not in field["described"], field
        assert "alert" in field["described"], field
    alerts = page.locator("div.errorlist[role=alert]").count()
    assert alerts > 0 and page.locator("div.errorlist[role=alert] > ul > li").count() >= alerts
    assert page.locator("ul[role=alert]").count() == 0
    assert axe_problems(page) == []


def test_supervision_figures_group_has_a_role(live_server, context, city, django_user_model):
    user = django_user_model.objects.create_user("sup", password="pw-123456", first_name="监督人员")
    Membership.objects.create(user=user, agency=city, role=Role.SUPERVISOR)
    page = context.new_page()
    page.set_default_timeout(60000)
    login(page, live_server.url, "sup")
    page.goto(live_server.url + "/workbench/supervision/")
    assert page.locator(".sv-kpis").first.get_attribute("role") == "group"
    assert axe_problems(page) == []
