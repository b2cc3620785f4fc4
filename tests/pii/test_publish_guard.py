"""Personal data planted in a record's text and its DOCX and PDF attachments is found before
publication, blocks it until decided, and is absent from what the public gets."""

import pytest
from pii_helpers import CARD, ID_IN_DOCX, ID_IN_PDF, ID_IN_TEXT, INVALID_IDS, planted_record, read

from gongkai.core import pii as core
from gongkai.pii import services
from gongkai.pii.models import CONFIRMED, DISMISSED, PENDING
from gongkai.records.models import Record
from gongkai.records.services import lifecycle
from gongkai.search import services as search

pytestmark = pytest.mark.django_db(transaction=True)


def decide_all(rec, actor):
    for hit in services.hits_of(rec).filter(status=PENDING):
        hit.refresh_from_db()
        if hit.status != PENDING:
            continue
        if hit.kind == core.PERSON_NAME:
            services.decide(hit, DISMISSED, actor=actor, reason="不是自然人姓名")
        else:
            services.decide(hit, CONFIRMED, actor=actor)


def test_every_valid_id_found_and_invalid_ones_not(agencies, staff):
    rec = planted_record(agencies["dept"], staff)
    hits = services.scan(rec)
    ids = {(h.source_label, h.value) for h in hits if h.kind == core.ID_CARD}
    assert ids == {
        ("正文", ID_IN_TEXT),
        ("附件：处罚决定书.docx", ID_IN_DOCX),
        ("附件：名单.pdf", ID_IN_PDF),
    }
    values = {h.value for h in hits}
    for bad in INVALID_IDS:
        assert bad not in values
    assert CARD in values and "13812345678" in values


def test_publication_blocked_until_every_hit_is_decided(agencies, staff, client):
    rec = planted_record(agencies["dept"], staff)
    with pytest.raises(lifecycle.TransitionError) as exc:
        lifecycle.transition(rec, "publish", actor=staff["handler"])
    assert "个人信息" in exc.value.message
    rec.refresh_from_db()
    assert rec.state == "approved" and not rec.published_on
    assert client.get(f"/docs/{rec.pk}/").status_code == 404

    services.scan(rec)
    first = services.hits_of(rec).filter(kind=core.ID_CARD).first()
    services.decide(first, CONFIRMED, actor=staff["handler"])
    with pytest.raises(lifecycle.TransitionError):  # the other hits are still open
        lifecycle.transition(rec, "publish", actor=staff["handler"])

    decide_all(rec, staff["handler"])
    rec = lifecycle.transition(rec, "publish", actor=staff["handler"])
    assert rec.state == "published"


def test_published_text_and_files_are_redacted(agencies, staff, client):
    rec = planted_record(agencies["dept"], staff)
    services.scan(rec)
    decide_all(rec, staff["handler"])
    lifecycle.transition(rec, "publish", actor=staff["handler"])
    rec = Record.objects.get(pk=rec.pk)
    assert ID_IN_TEXT not in rec.body and "13812345678" not in rec.body
    assert core.MASKS[core.ID_CARD] in rec.body
    assert INVALID_IDS[0] in rec.body  # not personal data: published as written

    page = client.get(f"/docs/{rec.pk}/").content.decode()
    assert ID_IN_TEXT not in page
    for att in rec.attachments.all():
        resp = client.get(f"/docs/{rec.pk}/attachments/{att.pk}/")
        assert resp.status_code == 200
        data = b"".join(resp.streaming_content)
        from gongkai.pii import extract

        text = extract.text_of(data, att.original_name)
        assert ID_IN_DOCX not in text and ID_IN_PDF not in text and CARD not in text
        assert "已隐去" in text
        # the stored original is untouched (kept in the agency's file), only the public copy changes
        assert any(v in read(att.file, att.original_name) for v in (ID_IN_DOCX, ID_IN_PDF))
    assert search.search(rec.title).total == 1  # indexed, with the redacted attachment texts
    for value in (ID_IN_PDF, ID_IN_DOCX, ID_IN_TEXT):
        assert all(h.object_id != rec.pk for h in search.search(f'"{value}"').hits)


def test_text_changed_after_the_scan_is_checked_again(agencies, staff):
    rec = planted_record(agencies["dept"], staff)
    services.scan(rec)
    decide_all(rec, staff["handler"])
    Record.objects.filter(pk=rec.pk).update(summary="联系人邮箱 li.si@example.org")
    with pytest.raises(lifecycle.TransitionError) as exc:
        lifecycle.transition(rec, "publish", actor=staff["handler"])
    assert "电子邮箱" in exc.value.message


def test_decisions_are_final_and_dismissal_needs_a_reason(agencies, staff):
    rec = planted_record(agencies["dept"], staff)
    hit = services.scan(rec)[0]
    with pytest.raises(services.DecisionError):
        services.decide(hit, DISMISSED, actor=staff["handler"])
    services.decide(hit, CONFIRMED, actor=staff["handler"])
    with pytest.raises(services.DecisionError):
        services.decide(hit, DISMISSED, actor=staff["handler"], reason="改主意")
    hit.refresh_from_db()
    assert hit.status == CONFIRMED and hit.decided_by == staff["handler"] and hit.decided_at


def test_check_page_for_staff_of_the_agency_only(agencies, staff, client):
    rec = planted_record(agencies["dept"], staff)
    url = f"/workbench/pii/records.record/{rec.pk}/"
    client.force_login(staff["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(staff["supervisor"])  # reads the subtree, decides nothing
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "scan"}).status_code == 403
    client.force_login(staff["handler"])
    client.post(url, {"action": "scan"})
    page = client.get(url).content.decode()
    assert ID_IN_PDF in page and "不能发布" in page
    hit = services.hits_of(rec).get(value=ID_IN_PDF)
    client.post(url, {"action": "confirmed", "hit": hit.pk})
    hit.refresh_from_db()
    assert hit.status == CONFIRMED
    assert "records.record" in client.get("/workbench/pii/").content.decode()
