"""The disclosure column in a real browser: a citizen searches 「我要找政策」, opens a document,
sees it is in force (or repealed, with the link to the one replacing it), switches the larger-text
mode; axe-core (vendored from npm) finds no serious or critical accessibility violation on the
column pages."""

import sys
from pathlib import Path

import pytest
from django.db import transaction

from gongkai.records.models import Record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "column"))
from column_fixtures import make_docs, make_region  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the current page (WCAG 2.x A/AA rules)."""
    # Evaluated through the DevTools protocol: an injected <script> would be refused by the
    # page's Content-Security-Policy, which the test keeps on.
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                                    resultTypes: ['violations']})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def column_data(db):
    with transaction.atomic():
        region = make_region()
        docs = make_docs(region)
    # records were indexed by the record_changed receiver after commit
    return region, docs


def test_find_a_policy_open_it_and_check_accessibility(live_server, context, column_data, shots):
    region, docs = column_data
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert axe_problems(page) == []
    shots(page, "column-home")
    page.fill("#q", "稳岗补贴")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#results")
    assert "共 2 条" in page.inner_text("#result-count")
    first = page.locator(".hit").first
    assert first.locator("mark").first.inner_text() in ("稳岗", "补贴", "稳岗补贴")
    assert "（2024年修订）" in first.inner_text()  # in force ranked first
    assert "已废止" in page.locator(".hit").nth(1).inner_text()
    assert axe_problems(page) == []
    shots(page, "column-search")

    # filters: the repealed one only
    page.select_option("#f-validity", "repealed")
    page.click("fieldset.filters button")
    page.wait_for_selector("#results")
    assert "共 1 条" in page.inner_text("#result-count")
    page.click(".hit h3 a")
    page.wait_for_selector("#validity-banner")
    assert "本文件已废止" in page.inner_text("#validity-banner")
    assert axe_problems(page) == []
    shots(page, "column-document-repealed")
    page.click("#validity-banner a")
    page.wait_for_selector("#doc-meta")
    assert page.locator("#validity-banner").count() == 0
    assert "现行有效" in page.inner_text("#doc-meta")
    assert Record.objects.get(pk=docs["new"].pk).index_number in page.inner_text("#doc-meta")
    assert axe_problems(page) == []
    shots(page, "column-document")


def test_column_pages_accessible_and_larger_text(live_server, context, column_data, shots):
    region, docs = column_data
    page = context.new_page()
    city = region["city"].pk
    for path in (
        f"/gk/{city}/",
        f"/gk/{city}/guide/",
        f"/gk/{city}/system/",
        f"/region/{city}/statutory/?item=20-11",
        f"/region/{city}/catalogue/",
        f"/region/{city}/policies/?q=补贴",
    ):
        page.goto(live_server.url + path)
        assert axe_problems(page) == [], path
    shots(page, "column-policies")

    page.goto(live_server.url + f"/region/{city}/catalogue/")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("#large-text")
    assert page.get_attribute("#large-text", "aria-pressed") == "true"
    bigger = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert bigger >= size * 1.3
    page.reload()  # remembered
    assert page.evaluate("() => document.documentElement.classList.contains('large-text')")
    assert axe_problems(page) == []
    shots(page, "column-catalogue-large-text")
    page.click("#large-text")
    assert page.get_attribute("#large-text", "aria-pressed") == "false"
