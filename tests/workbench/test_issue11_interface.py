"""Issue 11 item 6: no English or developer text in the interface — the draft-answer form's legal
basis, rule ids in audit findings (kept in a tooltip), the admin header, people's names instead of
login names."""

import re

import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies.models import Membership, Role
from gongkai.annual_reports.services.reports import get_or_create_draft, publish
from gongkai.core.report_parse import parse_path
from gongkai.report_import.corpus import fixtures_dir
from gongkai.report_import.services import save_parsed_report
from gongkai.workbench.actions import answer_basis_rows

pytestmark = pytest.mark.django_db


def test_draft_answer_basis_is_chinese():
    rows = answer_basis_rows()
    assert rows
    for row in rows:
        assert not re.search(r"[A-Za-z]{3,}", row["basis"]), row
    other = next(r for r in rows if r["value"].startswith("other_other|"))
    assert "由承办人" in other["basis"]


def _user(name, full, agency, role):
    u = get_user_model().objects.create_user(name, password="x", first_name=full)
    Membership.objects.create(user=u, agency=agency, role=role)
    return u


def test_audit_findings_keep_rule_ids_out_of_the_sentence(client, tree):
    city, dept, _ = tree
    sup = _user("jb_sup", "市政务公开办", city, Role.SUPERVISOR)
    report = save_parsed_report(
        parse_path(fixtures_dir() / "2021_pingtan-gaj_flattext.txt"), agency=dept, user=sup
    )
    assert report.findings, "the fixture report has audit findings"
    client.force_login(sup)
    html = client.get(f"/workbench/imports/reports/{report.pk}/").content.decode()
    rule = report.findings[0]["rule"]
    assert f"[{rule}]" not in html
    assert f'title="校验规则：{rule}"' in html
    assert "导入人：市政务公开办" in html and "jb_sup" not in html


def test_admin_header_is_chinese(client):
    admin = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert "Django 管理" not in html and "Django administration" not in html
    assert "政府信息公开平台" in html


def test_report_versions_name_the_publisher_not_the_login(client, tree):
    city, dept, _ = tree
    head = _user("jb_housing_head", "住建局负责人王某", dept, Role.HEAD)
    report, draft = get_or_create_draft(dept, 2025, user=head)
    publish(draft, head, override_reason="测试")
    client.force_login(head)
    html = client.get(f"/workbench/reports/{report.pk}/").content.decode()
    assert "住建局负责人王某" in html and "jb_housing_head" not in html
