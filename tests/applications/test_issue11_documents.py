"""Issue 11 item 7: punctuation and wording of letters and reports."""

import datetime as dt
import re

import pytest
from casework_fixtures import NATURAL, at

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.applications.services import submit_application
from gongkai.core.report_data import ReportData
from gongkai.core.report_render import render_html_fragment, report_title
from gongkai.demo.reports import _narratives
from gongkai.letters.services import preview_letter, quoted_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("安排。", "安排"),
        ("安排", "安排"),
        ("安排！ ", "安排"),
        ("第1号文件；", "第1号文件"),
        ("A.B 文件.", "A.B 文件"),
    ],
)
def test_quoted_request_drops_the_applicants_final_stop(typed, quoted):
    assert quoted_request(typed) == quoted


def test_letter_quotes_the_request_without_a_double_stop(agency, staff):
    data = dict(NATURAL, description="2025年老旧小区改造项目的资金安排。")
    app = submit_application(
        agency, data, channel="in_person", actor=staff["registrar"], submitted_at=at(2026, 3, 2)
    )
    text = "".join(preview_letter(app, "receipt", {"issue_date": dt.date(2026, 3, 2)}).paragraphs)
    assert "资金安排”" in text
    assert "。”" not in text


def test_region_report_is_titled_for_the_region():
    single = ReportData.empty("2021", "临江市人民政府", 2025, meta={"scope": "single"})
    region = ReportData.empty("2021", "临江市人民政府", 2025, meta={"scope": "subtree"})
    assert report_title(single) == "临江市人民政府2025年政府信息公开工作年度报告"
    assert report_title(region) == "临江市2025年政府信息公开工作年度报告"
    assert "<h1>临江市<" in render_html_fragment(region)
    assert "临江市2025年政府信息公开工作年度报告" in re.sub(r"<[^>]+>", "", render_html_fragment(region))
    dept = ReportData.empty("2021", "临江市教育局", 2025, meta={"scope": "subtree"})
    assert report_title(dept) == "临江市教育局系统2025年政府信息公开工作年度报告"


def test_demo_narratives_promise_no_missing_table_and_speak_for_a_region():
    city = Agency(name="临江市人民政府", kind=AgencyKind.GOVERNMENT)
    own = _narratives(city, 2025, "", 10, 9)
    region = _narratives(city, 2025, "临江市", 30, 28)
    for texts in (own, region):
        assert "见下表" not in "".join(texts.values())
    assert "本机关" in own["other_matters"]
    assert "本机关" not in "".join(region.values()) and "本行政区域" in region["other_matters"]
    assert region["overview"].startswith("2025年，临江市认真贯彻")
