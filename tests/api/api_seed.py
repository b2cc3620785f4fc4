"""Seeded data for the API tests: cases in several states (answered with a fee notice, in
handling, freshly received) in the agencies of ``casework_fixtures``."""

from __future__ import annotations

import datetime as dt
import pathlib

from casework_fixtures import COMPANY, NATURAL, at

from gongkai.annual_reports.services.reports import get_or_create_draft, publish
from gongkai.appeals.models import Appeal
from gongkai.applications.services import submit_application, transition
from gongkai.core.report_parse import parse_path
from gongkai.report_import.services import save_parsed_report

REPORTS = pathlib.Path(__file__).resolve().parent.parent / "data" / "reports"


def seed_api_data(agencies, staff) -> dict:
    dept, other = agencies["dept"], agencies["other"]
    reg, handler = staff["registrar"], staff["handler"]
    received = submit_application(dept, NATURAL, channel="in_person", actor=reg, submitted_at=at(2026, 3, 2))
    handling = submit_application(dept, COMPANY, channel="in_person", actor=reg, submitted_at=at(2026, 3, 5))
    handling = transition(
        handling, "accept", reg, effective_date=dt.date(2026, 3, 6), data={"handler": handler.pk}
    )
    drafted = submit_application(dept, NATURAL, channel="in_person", actor=reg, submitted_at=at(2026, 4, 1))
    drafted = transition(drafted, "accept", handler, effective_date=dt.date(2026, 4, 2))
    drafted = transition(
        drafted,
        "draft_answer",
        handler,
        effective_date=dt.date(2026, 4, 3),
        data={"outcome": "granted", "variant": "provided", "fields": {"access_method": "随告知书提供"}},
    )
    foreign = submit_application(other, NATURAL, channel="internet", submitted_at=at(2026, 3, 2))
    out = {"received": received, "handling": handling, "drafted": drafted, "foreign": foreign}
    out["appeal"] = Appeal.objects.create(
        kind="review", agency=dept, application=drafted, filed_date=dt.date(2026, 5, 6), body="某市人民政府"
    )
    out["foreign_appeal"] = Appeal.objects.create(
        kind="lit_direct", agency=other, filed_date=dt.date(2026, 5, 7)
    )
    return out


def seed_reports(agencies, staff) -> dict:
    """A published 2025 report of the department, the city's region report (published by the
    platform: ``user=None``), and one imported report of the department."""
    head = staff["head"]
    report, draft = get_or_create_draft(agencies["dept"], 2025, user=head)
    publish(draft, head, override_reason="测试数据", published_at=at(2026, 1, 20))
    region, rdraft = get_or_create_draft(agencies["city"], 2025, subtree=True, user=None)
    publish(rdraft, None, override_reason="测试数据", published_at=at(2026, 3, 20))
    imported = save_parsed_report(
        parse_path(REPORTS / "2021_pingtan-gaj_flattext.txt"), agency=agencies["dept"]
    )
    return {"report": report, "region": region, "imported": imported}
