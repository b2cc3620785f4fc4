"""Lifecycle transitions allowed and refused by state and role; the event trail; checks registry."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from records_fixtures import POLICY, draft, publish

from gongkai.core import record_lifecycle as lc
from gongkai.records import checks
from gongkai.records.models import ImmutableEventError, Record, RecordEvent
from gongkai.records.services import lifecycle
from gongkai.records.services.lifecycle import TransitionError
from gongkai.records.signals import record_changed

pytestmark = pytest.mark.django_db
D = dt.date


def test_full_flow_records_every_step_by_role(agencies, staff):
    dept = agencies["dept"]
    rec = publish(dept, staff)
    assert rec.state == lc.PUBLISHED
    assert rec.published_on == D(2026, 11, 20)
    assert rec.index_number == f"{dept.pk:09d}/2026-00001"
    events = list(rec.events.order_by("seq"))
    assert [e.action for e in events] == ["create", "decide_attribute", "submit_review", "approve", "publish"]
    assert [e.role for e in events] == ["handler", "handler", "handler", "reviewer", "handler"]
    assert events[3].data["secrecy_reviewed"] is True
    assert events[4].data["index_number"] == rec.index_number
    assert [e.to_state for e in events][-1] == lc.PUBLISHED


def test_amend_and_repeal_link_the_replacing_document(agencies, staff):
    dept = agencies["dept"]
    old = publish(dept, staff, title="旧办法")
    new = publish(dept, staff, title="新办法", on=D(2026, 11, 25))
    old = lifecycle.transition(
        old, "amend", actor=staff["handler"], data={"replaced_by": new.pk, "date": D(2026, 11, 25)}
    )
    assert (old.state, old.validity, old.replaced_by_id) == (lc.AMENDED, lc.VALIDITY_AMENDED, new.pk)
    assert old.validity_changed_on == D(2026, 11, 25)
    assert list(new.replaces.all()) == [old]
    assert new.events.order_by("-seq").first().action == "replaces"
    old = lifecycle.transition(
        old, "repeal", actor=staff["head"], reason="被新办法替代", data={"date": D(2026, 11, 26)}
    )
    assert (old.state, old.validity, old.replaced_by_id) == (lc.REPEALED, lc.VALIDITY_REPEALED, new.pk)
    other = publish(dept, staff, title="有效期两年的通知")
    other = lifecycle.transition(other, "expire", actor=staff["handler"], reason="有效期届满")
    assert (other.state, other.validity) == (lc.EXPIRED, lc.VALIDITY_EXPIRED)


@pytest.mark.parametrize(
    "action,user,code",
    [
        ("submit_review", "handler", "state"),  # attribute not yet decided
        ("publish", "handler", "state"),
        ("approve", "reviewer", "state"),
        ("decide_attribute", "reviewer", "role"),  # reviewers do not draft
        ("decide_attribute", "supervisor", "role"),  # supervisors read, act on nothing
        ("decide_attribute", "outsider", "role"),  # roles in another agency count for nothing
        ("no_such_action", "handler", "unknown"),
    ],
)
def test_refused_in_draft(agencies, staff, action, user, code):
    rec = draft(agencies["dept"], staff["handler"])
    with pytest.raises(TransitionError) as exc:
        lifecycle.transition(rec, action, actor=staff[user], data={"disclosure_attribute": "proactive"})
    assert exc.value.code == code
    rec.refresh_from_db()
    assert rec.state == lc.DRAFT
    assert rec.events.count() == 1


def test_preconditions_of_review_and_attribute(agencies, staff):
    rec = draft(agencies["dept"], staff["handler"])
    with pytest.raises(TransitionError, match="理由和法律依据"):
        lifecycle.transition(
            rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "not_disclosed"}
        )
    lifecycle.transition(
        rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "proactive"}
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    with pytest.raises(TransitionError, match="保密审查"):
        lifecycle.transition(rec, "approve", actor=staff["reviewer"], data={})
    with pytest.raises(TransitionError, match="征求意见"):
        lifecycle.transition(rec, "approve", actor=staff["reviewer"], data={"secrecy_reviewed": True})
    with pytest.raises(TransitionError, match="政策解读"):
        lifecycle.transition(
            rec,
            "approve",
            actor=staff["reviewer"],
            data={"secrecy_reviewed": True, "consultation_note": "内部管理事项"},
        )
    with pytest.raises(TransitionError) as exc:  # handlers do not approve their own drafts
        lifecycle.transition(rec, "approve", actor=staff["handler"], data={"secrecy_reviewed": True})
    assert exc.value.code == "role"
    with pytest.raises(TransitionError, match="退回修改的理由"):
        lifecycle.transition(rec, "return_to_draft", actor=staff["reviewer"])
    rec = lifecycle.transition(rec, "return_to_draft", actor=staff["reviewer"], reason="文号有误")
    assert rec.state == lc.DRAFT
    assert rec.events.order_by("-seq").first().reason == "文号有误"


def test_withheld_record_cannot_be_published_and_is_reassessed(agencies, staff):
    rec = draft(agencies["dept"], staff["handler"], category="other", title="内部研究稿")
    lifecycle.transition(
        rec,
        "decide_attribute",
        actor=staff["handler"],
        data={
            "disclosure_attribute": "not_disclosed",
            "attribute_reason": "过程性信息",
            "attribute_basis": "条例第十六条第二款",
        },
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    lifecycle.transition(rec, "approve", actor=staff["reviewer"], data={"secrecy_reviewed": True})
    with pytest.raises(TransitionError, match="不能主动公开"):
        lifecycle.transition(rec, "publish", actor=staff["handler"])
    rec = lifecycle.transition(rec, "withhold", actor=staff["handler"], data={"date": D(2026, 11, 30)})
    assert rec.state == lc.WITHHELD
    assert rec.next_reassessment_on == D(2027, 11, 30)
    assert rec.publish_due is None  # the Art. 26 clock does not run for withheld information
    with pytest.raises(TransitionError, match="复核理由"):
        lifecycle.transition(rec, "reassess", actor=staff["reviewer"], data={"decision": "keep"})
    rec = lifecycle.transition(
        rec,
        "reassess",
        actor=staff["reviewer"],
        reason="情况已变化",
        data={"decision": "disclose", "date": D(2026, 12, 1)},
    )
    assert (rec.state, rec.disclosure_attribute, rec.formed_on) == (lc.APPROVED, lc.PROACTIVE, D(2026, 12, 1))
    assert rec.publish_due is not None
    rec = lifecycle.transition(rec, "publish", actor=staff["head"])
    assert rec.index_number


def test_edits_are_recorded_and_content_is_locked_after_review(agencies, staff):
    rec = draft(agencies["dept"], staff["handler"])
    lifecycle.update_record(rec, {"title": "新标题", "keywords": "培训"}, actor=staff["handler"])
    ev = rec.events.order_by("-seq").first()
    assert ev.action == "edit" and ev.data["changes"]["title"] == [POLICY["title"], "新标题"]
    rec = publish(agencies["dept"], staff)
    with pytest.raises(TransitionError) as exc:
        lifecycle.update_record(rec, {"body": "改过的正文"}, actor=staff["handler"])
    assert exc.value.code == "state"
    lifecycle.update_record(rec, {"keywords": "校外培训"}, actor=staff["handler"])  # catalogue field: allowed
    assert Record.objects.get(pk=rec.pk).keywords == "校外培训"
    with pytest.raises(TransitionError):
        lifecycle.update_record(rec, {"keywords": "x"}, actor=staff["supervisor"])


def test_events_are_append_only(agencies, staff):
    rec = draft(agencies["dept"], staff["handler"])
    ev = rec.events.get()
    with pytest.raises(ImmutableEventError):
        ev.save()
    with pytest.raises(ImmutableEventError):
        RecordEvent.objects.filter(record=rec).update(reason="x")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("UPDATE records_recordevent SET reason = 'x'")


def test_registered_checks_extend_preconditions(agencies, staff):
    def no_publish(record, data):
        return "存在未处理的个人信息" if "身份证" in record.body else None

    checks.register("publish")(no_publish)
    try:
        with pytest.raises(TransitionError, match="个人信息") as exc:
            publish(agencies["dept"], staff, body="附件含身份证号码")
        assert exc.value.code == "precondition"
        assert publish(agencies["dept"], staff).state == lc.PUBLISHED
    finally:
        checks.unregister("publish", no_publish)


@pytest.mark.django_db(transaction=True)
def test_record_changed_is_sent_after_commit_only(agencies, staff):
    seen = []

    def receiver(sender, record, action, **kw):
        seen.append((record.pk, action))

    record_changed.connect(receiver)
    try:
        rec = draft(agencies["dept"], staff["handler"])
        assert seen == [(rec.pk, "create")]
        with pytest.raises(RuntimeError), transaction.atomic():
            lifecycle.update_record(rec, {"title": "回滚的修改"}, actor=staff["handler"])
            raise RuntimeError
        assert seen == [(rec.pk, "create")]
        lifecycle.transition(
            rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "proactive"}
        )
        assert seen[-1] == (rec.pk, "decide_attribute")
    finally:
        record_changed.disconnect(receiver)


def test_default_topics_are_loaded():
    from gongkai.records.models import Topic

    assert Topic.objects.filter(parent=None).count() == 22
    assert Topic.objects.get(code="1501").name == "就业"
