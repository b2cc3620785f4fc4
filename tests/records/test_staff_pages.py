"""Staff pages of records in the workbench: the officer's flow through the forms, roles, the
supervisor's read-only subtree, attachments with text extracted outside the request, the
clean-up campaign applied in one step, the Art. 18 re-assessment list and the supervision
dashboard's Art. 26 figures."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from records_fixtures import POLICY, draft, make_user, publish, withhold

from gongkai.agencies.models import Role
from gongkai.core import record_lifecycle as lc
from gongkai.records.models import CleanupCampaign, Record, RecordEvent
from gongkai.records.services import cleanup, lifecycle

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post_action(client, rec, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("records:action", args=[rec.pk, action]), data)


def test_officer_drafts_reviews_publishes_amends_and_repeals_through_the_pages(client, agencies, staff):
    dept = agencies["dept"]
    client.force_login(staff["handler"])
    r = client.post(
        reverse("records:new"),
        {
            "agency": dept.pk,
            "joint_agencies": [agencies["other"].pk],
            "category": "normative",
            "title": "某市教育局关于规范校外培训机构管理的通知",
            "doc_number": "市教发〔2026〕9号",
            "doc_type": "通知",
            "written_on": "2026-11-16",
            "art_item": "20-1",
            "disclosure_mode": "website",
            "body": "为规范校外培训机构管理，现通知如下。",
        },
    )
    rec = Record.objects.get(doc_number="市教发〔2026〕9号")
    assert r.status_code == 302 and r["Location"] == reverse("records:detail", args=[rec.pk])
    assert list(rec.joint_agencies.all()) == [agencies["other"]]
    page = client.get(r["Location"]).content.decode()
    assert "认定公开属性" in page and "公开期限" in page

    # not proactive without a reason: refused in Chinese, nothing changed
    r = post_action(client, rec, "decide_attribute", disclosure_attribute="not_disclosed")
    assert r.status_code == 200 and "应当写明理由和法律依据" in r.content.decode()
    assert Record.objects.get(pk=rec.pk).state == lc.DRAFT
    assert post_action(client, rec, "decide_attribute", disclosure_attribute="proactive").status_code == 302
    assert post_action(client, rec, "submit_review").status_code == 302
    # the handler may not approve; the page does not offer it and the POST is refused
    r = post_action(client, rec, "approve", secrecy_reviewed="on")
    assert "没有“审查通过”的权限" in r.content.decode()

    client.force_login(staff["reviewer"])
    r = post_action(client, rec, "approve", consultation_held="on", interpretation_ready="on")
    assert "尚未完成保密审查" in r.content.decode()
    r = post_action(
        client, rec, "approve", secrecy_reviewed="on", consultation_held="on", interpretation_ready="on"
    )
    assert r.status_code == 302

    client.force_login(staff["handler"])
    assert post_action(client, rec, "publish", date="2026-11-27").status_code == 302
    rec.refresh_from_db()
    assert rec.state == lc.PUBLISHED and rec.index_number.endswith("/2026-00001")
    # content locked after review: the edit page offers catalogue fields only
    edit = client.get(reverse("records:edit", args=[rec.pk])).content.decode()
    assert 'name="keywords"' in edit and 'name="body"' not in edit

    new = publish(
        dept, staff, doc_number="市教发〔2026〕12号", written_on=D(2026, 11, 20), on=D(2026, 11, 30)
    )
    r = post_action(client, rec, "amend", replaced_by="市教发〔2026〕12号", date="2026-11-30")
    assert r.status_code == 302
    r = post_action(client, rec, "repeal", date="2026-11-30")
    assert "请写明废止的理由或依据" in r.content.decode()
    r = post_action(client, rec, "repeal", date="2026-11-30", reason="已被新文件替代")
    assert r.status_code == 302
    rec.refresh_from_db()
    assert (rec.state, rec.validity, rec.replaced_by_id) == (lc.REPEALED, lc.VALIDITY_REPEALED, new.pk)
    actions = list(RecordEvent.objects.filter(record=rec).values_list("action", flat=True))
    assert actions == ["create", "decide_attribute", "submit_review", "approve", "publish", "amend", "repeal"]
    page = client.get(reverse("records:detail", args=[rec.pk])).content.decode()
    assert "已废止" in page and "已被新文件替代" in page
    public = client.get(reverse("column:document", args=[rec.pk])).content.decode()
    assert 'id="validity-banner"' in public and "已废止" in public


def test_supervisor_reads_the_subtree_without_actions_outsider_gets_404(client, agencies, staff):
    rec = draft(agencies["dept"], staff["handler"])
    client.force_login(staff["supervisor"])
    assert rec.title in client.get(reverse("records:list") + "?tab=all").content.decode()
    page = client.get(reverse("records:detail", args=[rec.pk])).content.decode()
    assert "您当前没有可执行的操作" in page and 'id="edit-record"' not in page
    r = post_action(client, rec, "decide_attribute", disclosure_attribute="proactive")
    assert "没有“认定公开属性”的权限" in r.content.decode()
    assert client.get(reverse("records:edit", args=[rec.pk])).status_code == 404
    assert client.get(reverse("records:new")).status_code == 404
    assert Record.objects.get(pk=rec.pk).state == lc.DRAFT

    client.force_login(staff["outsider"])  # staff of a sibling agency
    assert client.get(reverse("records:detail", args=[rec.pk])).status_code == 404
    assert post_action(client, rec, "decide_attribute", disclosure_attribute="proactive").status_code == 404
    assert rec.title not in client.get(reverse("records:list") + "?tab=all").content.decode()


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_attachment_text_is_extracted_by_the_task_and_searchable(
    client, agencies, staff, django_capture_on_commit_callbacks
):
    rec = publish(agencies["dept"], staff)
    client.force_login(staff["handler"])
    upload = SimpleUploadedFile(
        "实施细则.docx",
        _docx("第一条 校外培训机构应当公示收费项目和标准。"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("records:attach", args=[rec.pk]), {"files": [upload]})
    assert r.status_code == 302
    att = rec.attachments.get()
    assert "公示收费项目" in att.text and att.text_error == ""
    assert RecordEvent.objects.filter(record=rec, action="attach").exists()
    from gongkai.search import services as search_services
    from gongkai.search.backends.base import SearchFilters

    hits = search_services.get_backend().search("收费项目", SearchFilters(), page=1, per_page=10)
    assert [h.object_id for h in hits.hits] == [rec.pk]
    # a wrong type is refused in Chinese
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    r = client.post(reverse("records:attach", args=[rec.pk]), {"files": [bad]}, follow=True)
    assert "文件类型不允许上传" in r.content.decode()
    # staff download checks visibility
    assert client.get(reverse("records:attachment", args=[att.pk])).status_code == 200
    client.force_login(staff["outsider"])
    assert client.get(reverse("records:attachment", args=[att.pk])).status_code == 404


def test_cleanup_campaign_over_the_subtree_applied_in_one_step(client, agencies, staff):
    city, dept = agencies["city"], agencies["dept"]
    keep = publish(dept, staff, written_on=D(2020, 3, 2), on=D(2020, 3, 10))
    gone = publish(dept, staff, doc_number="市教发〔2021〕1号", written_on=D(2021, 3, 1), on=D(2021, 3, 5))
    fix = publish(dept, staff, doc_number="市教发〔2026〕5号")
    organiser = make_user("city-admin", city, Role.ADMIN)
    client.force_login(organiser)
    r = client.post(
        reverse("records:campaigns"),
        {"name": "2026年规范性文件清理", "agency": city.pk, "include_subtree": "on"},
    )
    campaign = CleanupCampaign.objects.get()
    assert r.status_code == 302 and campaign.items.count() == 3
    page = client.get(reverse("records:campaign", args=[campaign.pk])).content.decode()
    assert page.count("超过清理周期") == 2  # written 2020 and 2021, cycle 24 months
    items = {i.record_id: i for i in campaign.items.all()}
    r = client.post(
        reverse("records:campaign", args=[campaign.pk]),
        {f"decision-{items[gone.pk].pk}": "repeal", f"reason-{items[gone.pk].pk}": ""},
    )
    assert "应当写明理由" in r.content.decode()
    r = client.post(reverse("records:campaign_apply", args=[campaign.pk]), follow=True)
    assert "未作出清理结论" in r.content.decode()
    client.post(
        reverse("records:campaign", args=[campaign.pk]),
        {
            f"decision-{items[keep.pk].pk}": "keep",
            f"decision-{items[gone.pk].pk}": "repeal",
            f"reason-{items[gone.pk].pk}": "上位法已废止",
            f"decision-{items[fix.pk].pk}": "amend",
            f"reason-{items[fix.pk].pk}": "与新标准不一致",
        },
    )
    r = client.post(reverse("records:campaign_apply", args=[campaign.pk]), follow=True)
    assert "清理结果已应用" in r.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == CleanupCampaign.APPLIED and campaign.applied_on == D(2026, 11, 30)
    gone.refresh_from_db(), keep.refresh_from_db(), fix.refresh_from_db()
    assert gone.state == lc.REPEALED and "上位法已废止" in gone.events.get(action="repeal").reason
    assert keep.state == lc.PUBLISHED and keep.last_reviewed_on == D(2026, 11, 30)
    assert fix.needs_amendment and fix.state == lc.PUBLISHED
    assert all(r.events.filter(action="cleanup_review").exists() for r in (keep, gone, fix))
    # applied once: a second apply is refused
    with pytest.raises(lifecycle.TransitionError):
        cleanup.apply_campaign(campaign, actor=organiser)
    # the dept's own handler (not of the organising agency) may read but not decide
    client.force_login(staff["handler"])
    assert client.get(reverse("records:campaign", args=[campaign.pk])).status_code == 404
    client.force_login(staff["supervisor"])
    assert "一次性应用" not in client.get(reverse("records:campaign", args=[campaign.pk])).content.decode()


def test_withheld_reassessment_due_list_and_decision_recorded(client, agencies, staff):
    dept = agencies["dept"]
    rec = withhold(dept, staff, D(2025, 12, 1))
    rec.refresh_from_db()
    assert rec.next_reassessment_on == D(2026, 12, 1)
    client.force_login(staff["reviewer"])
    listing = client.get(reverse("records:list") + "?tab=reassess").content.decode()
    assert rec.title in listing and "2026-12-01" in listing
    r = post_action(client, rec, "reassess", decision="keep", reason="商业秘密仍未解密")
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.next_reassessment_on == D(2027, 11, 30)
    ev = rec.events.get(action="reassess")
    assert ev.reason == "商业秘密仍未解密" and ev.data["decision"] == "keep" and ev.actor == staff["reviewer"]
    assert rec.title not in client.get(reverse("records:list") + "?tab=reassess").content.decode()


def test_queue_tabs_and_supervision_dashboard_show_art26_overdue(client, agencies, staff):
    dept = agencies["dept"]
    late = draft(dept, staff["handler"], title="逾期未公开的通知", written_on=D(2026, 9, 28))
    draft(dept, staff["handler"], title="期限内的通知", written_on=D(2026, 11, 27))
    client.force_login(staff["handler"])
    page = client.get(reverse("records:list") + "?tab=overdue").content.decode()
    assert "逾期未公开的通知" in page and "期限内的通知" not in page and "已逾期" in page
    client.force_login(staff["supervisor"])
    page = client.get(reverse("workbench:supervision")).content.decode()
    assert 'id="record-clock"' in page and f'data-agency="{dept.pk}"' in page
    assert late.publish_due < D(2026, 11, 30)


def test_content_fields_posted_after_review_are_not_applied(client, agencies, staff):
    rec = publish(agencies["dept"], staff)
    client.force_login(staff["handler"])
    r = client.post(reverse("records:edit", args=[rec.pk]), {"keywords": "校外培训", "title": "改过的标题"})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.keywords == "校外培训" and rec.title == POLICY["title"]
