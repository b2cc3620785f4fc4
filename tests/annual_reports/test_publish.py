import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.annual_reports.models import AnnualReport, FrozenVersionError, ReportVersion
from gongkai.annual_reports.services import (
    PublishBlocked,
    get_or_create_draft,
    publish,
    recompute_draft,
    start_correction,
    timeliness,
    update_narratives,
    version_data,
)
from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db
D = dt.date


def rules(version):
    return {f["rule"] for f in version.findings}


def test_carry_over_chain_across_three_years(region, users, make_app):
    edu, head = region["edu"], users["head"]
    make_app(edu, "natural_person", D(2021, 12, 30), D(2022, 1, 5), "granted")
    make_app(edu, "natural_person", D(2022, 12, 30), D(2023, 1, 5), "granted")
    make_app(edu, "legal_other", D(2022, 6, 1))  # open through 2023
    make_app(edu, "natural_person", D(2023, 12, 30))
    for year in (2021, 2022, 2023):
        _, draft = get_or_create_draft(edu, year, user=head)
        assert "cross_year.carry_over" not in rules(draft)
        publish(draft, head)
    r = {
        y: version_data(AnnualReport.objects.get(agency=edu, year=y).current_version)
        for y in (2021, 2022, 2023)
    }
    for y in (2022, 2023):
        assert (
            r[y].tables["applications"]["carried_over_from_prior_year"]
            == r[y - 1].tables["applications"]["carried_forward"]
        )
    assert r[2023].tables["applications"]["carried_over_from_prior_year"]["total"] == 2
    assert r[2023].tables["applications"]["carried_forward"]["total"] == 2
    # 2021 had no previous report: warned, not blocked
    assert "cross_year.no_previous" in rules(AnnualReport.objects.get(agency=edu, year=2021).current_version)


def _break_2023(region, users, make_app):
    """Publish 2022, then change history so that 2023's carry-over no longer matches."""
    edu, head = region["edu"], users["head"]
    make_app(edu, "natural_person", D(2022, 12, 30))
    _, d22 = get_or_create_draft(edu, 2022, user=head)
    publish(d22, head)
    Application.objects.filter(agency=edu).update(received_date=D(2023, 1, 3), year=2023)
    _, d23 = get_or_create_draft(edu, 2023, user=head)
    assert "cross_year.carry_over" in rules(d23) and d23.error_count
    return d23


def test_publish_blocked_on_error_and_head_override(region, users, make_app):
    d23 = _break_2023(region, users, make_app)
    with pytest.raises(PublishBlocked):
        publish(d23, users["head"])
    with pytest.raises(PermissionDenied):
        publish(d23, users["reviewer"], override_reason="上年报告数据有误")
    with pytest.raises(PermissionDenied):
        publish(d23, users["handler"])
    d23.refresh_from_db()
    assert not d23.is_published
    v = publish(d23, users["head"], override_reason="上年报告结转数据有误，已说明")
    v.refresh_from_db()
    assert v.is_published and v.override_reason == "上年报告结转数据有误，已说明"
    assert v.published_by == users["head"] and v.error_count >= 1
    assert v.report.status == "published" and v.report.current_version == v


def test_published_version_frozen_and_correction_is_new_version(region, users, make_app):
    edu, head = region["edu"], users["head"]
    make_app(edu, "natural_person", D(2023, 3, 1), D(2023, 3, 3), "granted")
    report, draft = get_or_create_draft(edu, 2023, user=head)
    update_narratives(
        draft, {"overview": "本年度总体情况。", "problems": "存在问题。"}, user=users["handler"]
    )
    v1 = publish(draft, users["reviewer"])
    assert v1.number == 1 and v1.override_reason == ""
    v1.data = {**v1.data, "agency_name": "改名"}
    with pytest.raises(FrozenVersionError):
        v1.save()
    with pytest.raises(FrozenVersionError):
        v1.delete()
    with pytest.raises(ValidationError):
        update_narratives(ReportVersion.objects.get(pk=v1.pk), {"overview": "x"}, user=head)
    # new data arrives, then a correction
    make_app(edu, "natural_person", D(2023, 4, 1), D(2023, 4, 3), "partial")
    v2 = start_correction(report, user=head)
    assert v2.number == 2 and v2.data["text_sections"]["overview"] == "本年度总体情况。"
    recompute_draft(v2, user=head)
    with pytest.raises(ValidationError):
        publish(v2, head)  # change note required
    publish(v2, head, change_note="补录4月申请1件")
    report.refresh_from_db()
    assert report.current_version.number == 2
    v1 = ReportVersion.objects.get(pk=v1.pk)
    assert version_data(v1).tables["applications"]["results_total"]["total"] == 1
    assert version_data(report.current_version).tables["applications"]["results_total"]["total"] == 2
    assert report.current_version.change_note == "补录4月申请1件"


def test_narratives_prefilled_from_last_year(region, users):
    edu, head = region["edu"], users["head"]
    _, d = get_or_create_draft(edu, 2022, user=head)
    update_narratives(d, {"problems": "去年的问题"}, user=head)
    publish(d, head)
    _, d23 = get_or_create_draft(edu, 2023, user=head)
    assert d23.data["text_sections"]["problems"] == "去年的问题"


def test_handler_elsewhere_cannot_draft(region, users):
    with pytest.raises(PermissionDenied):
        get_or_create_draft(region["city"], 2023, user=users["handler"])


def test_supervisor_timeliness(region, users):
    head, cityhead = users["head"], users["cityhead"]
    _, d = get_or_create_draft(region["edu"], 2023, user=head)
    publish(d, head)
    ReportVersion.objects.filter(pk=d.pk)  # published now (2026): late for 2023
    AnnualReport.objects.filter(pk=d.report_id).update(
        first_published_at=timezone.make_aware(dt.datetime(2024, 1, 30, 10))
    )
    _, cd = get_or_create_draft(region["city"], 2023, subtree=True, user=cityhead)
    publish(cd, cityhead)
    AnnualReport.objects.filter(pk=cd.report_id).update(
        first_published_at=timezone.make_aware(dt.datetime(2024, 4, 2, 10))
    )
    rows = {r.agency.name: r for r in timeliness(region["city"], 2023, today=D(2024, 5, 1))}
    assert rows["某市教育局"].status == "on_time" and rows["某市教育局"].deadline == D(2024, 1, 31)
    assert rows["某市人民政府"].status == "late" and rows["某市人民政府"].deadline == D(2024, 3, 31)
    assert rows["某区人民政府"].status == "missing_overdue"
    early = {r.agency.name: r for r in timeliness(region["city"], 2023, today=D(2024, 2, 10))}
    assert early["某区人民政府"].status == "not_due"
    assert early["某镇人民政府"].status == "not_due"


def test_carry_over_against_imported_published_report(region, users, make_app):
    from gongkai.report_import.models import ImportedReport

    edu, head = region["edu"], users["head"]
    ImportedReport.objects.create(
        agency=edu,
        year=2022,
        template_id="2021",
        source_name="2022年度报告.html",
        sha256="a" * 64,
        parsed={"tables": {"applications": {"carried_forward": {"natural_person": 1, "total": 1}}}},
    )
    _, d = get_or_create_draft(edu, 2023, user=head)
    assert "cross_year.no_previous" not in rules(d)
    carry = [f for f in d.findings if f["rule"] == "cross_year.carry_over"]
    assert {f["column"] for f in carry} == {"natural_person", "total"}
    make_app(edu, "natural_person", D(2022, 12, 30), D(2023, 1, 4), "granted")
    from gongkai.annual_reports.services import recompute_draft

    recompute_draft(d, user=head)
    d.refresh_from_db()
    assert "cross_year.carry_over" not in rules(d) and d.error_count == 0


def test_bulk_and_database_changes_to_published_versions_are_refused(region, users):
    from django.db import IntegrityError, connection, transaction

    head = users["head"]
    _, d = get_or_create_draft(region["edu"], 2023, user=head)
    ReportVersion.objects.filter(pk=d.pk).update(change_note="draft edits are allowed")
    v = publish(d, head)
    with pytest.raises(FrozenVersionError):
        ReportVersion.objects.filter(pk=v.pk).update(change_note="x")
    with pytest.raises(FrozenVersionError):
        ReportVersion.objects.filter(report=v.report).delete()
    if connection.vendor == "postgresql":  # below the ORM: the trigger of migration 0002
        table = ReportVersion._meta.db_table
        for sql in (
            f"UPDATE {table} SET change_note = 'x' WHERE id = %s",
            f"DELETE FROM {table} WHERE id = %s",
        ):
            with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, [v.pk])
    assert ReportVersion.objects.get(pk=v.pk).change_note == ""


@pytest.mark.date_sensitive
def test_recorded_earlier_publication_time(region, users):
    head = users["head"]
    report, d = get_or_create_draft(region["edu"], 2023, user=head)
    when = timezone.make_aware(dt.datetime(2024, 1, 25, 10))
    with pytest.raises(ValidationError):
        publish(d, head, published_at=timezone.now() + dt.timedelta(days=1))
    v = publish(d, head, published_at=when)
    report.refresh_from_db()
    assert v.published_at == when and report.first_published_at == when
    rows = {r.agency: r for r in timeliness(region["city"], 2023, today=D(2024, 5, 1))}
    assert rows[region["edu"]].status == "on_time"


def test_section2_comes_from_records_and_published_reports_stay_frozen(region, users):
    """Art. 20(1) of a draft is counted from the records; a record repealed after publication
    changes a new draft (a correction), never the published version."""
    from gongkai.records.models import Record
    from gongkai.records.services import lifecycle

    edu, head = region["edu"], users["head"]
    rec = Record.objects.create(
        agency=edu,
        category="normative",
        title="某市教育局学生资助管理办法",
        written_on=D(2023, 3, 1),
        published_on=D(2023, 3, 8),
        state="published",
        disclosure_attribute="proactive",
    )
    Record.objects.create(
        agency=edu, category="rule", title="草稿", written_on=D(2023, 5, 1)
    )  # a draft: not issued
    report, draft = get_or_create_draft(edu, 2023, user=head)
    v1 = publish(draft, head)
    frozen = version_data(v1).tables["art20_1"]
    assert frozen["admin_normative_docs"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert frozen["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    lifecycle.transition(rec, "repeal", actor=head, reason="已清理", data={"date": D(2023, 12, 1)})
    assert version_data(ReportVersion.objects.get(pk=v1.pk)).tables["art20_1"] == frozen
    v2 = start_correction(report, user=head)
    recompute_draft(v2, user=head)
    assert version_data(v2).tables["art20_1"]["admin_normative_docs"] == {
        "issued": 1,
        "repealed": 1,
        "in_force": 0,
    }
