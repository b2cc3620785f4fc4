"""Case page: allowed actions only, the whole casework through the action forms, errors, intake."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from wb_helpers import make_app

from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.services import find_by_tracking

pytestmark = pytest.mark.django_db


def act(client, app, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("workbench:case_action", args=[app.pk, action]), data)


def test_forms_shown_are_exactly_the_allowed_actions(client, staff, tree):
    from gongkai.applications.services.workflow import allowed_actions

    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    for who in ("handler", "reviewer", "head", "registrar"):
        client.force_login(staff[who])
        r = client.get(reverse("workbench:case", args=[app.pk]))
        keys = [a["key"] for a in r.context["actions"]]
        assert keys == allowed_actions(app, staff[who])
        html = r.content.decode()
        for k in keys:
            assert f'id="action-{k}"' in html
    client.force_login(staff["reviewer"])
    assert (
        "action-request_correction"
        not in client.get(reverse("workbench:case", args=[app.pk])).content.decode()
    )


def test_full_casework_through_the_forms(client, staff, tree):
    app = make_app(
        tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"], description="某校2025年招生简章"
    )
    client.force_login(staff["handler"])
    r = act(client, app, "accept", effective_date="2026-03-02")
    assert r.status_code == 302, r.content.decode()[:2000]
    r = act(
        client,
        app,
        "request_correction",
        reason="请写明所需信息的年份和学校名称",
        period_workdays="10",
        effective_date="2026-03-03",
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == "correction_requested" and app.correction_requested_on == dt.date(2026, 3, 3)
    r = act(client, app, "receive_correction", reason="申请人补正了学校名称", effective_date="2026-03-10")
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == "in_handling" and app.correction_received_on == dt.date(2026, 3, 10)
    due_before = app.due_date
    r = act(client, app, "request_extension", reason="需要调取档案", days="15", effective_date="2026-03-20")
    assert r.status_code == 302
    client.force_login(staff["head"])
    r = act(client, app, "approve_extension", reason="同意延期", effective_date="2026-03-23")
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.extension_days == 15 and app.due_date > due_before
    client.force_login(staff["handler"])
    r = act(
        client,
        app,
        "draft_answer",
        outcome_variant="granted|provided",
        access_method="随本告知书附送电子文件",
        reason="拟予公开",
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    client.force_login(staff["reviewer"])
    assert act(client, app, "approve_review", reason="同意").status_code == 302
    r = act(client, app, "answer", effective_date="2026-04-01")
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == "answered" and app.outcome == "granted" and app.answered_on == dt.date(2026, 4, 1)

    page = client.get(reverse("workbench:case", args=[app.pk]))
    html = page.content.decode()
    reply = [d for d in page.context["documents"] if d["doc"].kind == "reply"]
    assert reply, "the answer generates the reply letter"
    pdf_url = dict(reply[0]["links"])["PDF"]
    resp = client.get(pdf_url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF")
    client.force_login(staff["other_handler"])
    assert client.get(pdf_url).status_code == 404  # another agency's document: 404, not 403
    client.force_login(staff["reviewer"])
    # the timeline names actors and reasons for staff
    for text in ("承办人乙", "负责人丁", "审核人丙", "需要调取档案", "告知补正", "批准延期"):
        assert text in html
    assert "（一）予以公开" in html

    client.force_login(staff["registrar"])
    assert (
        act(
            client,
            app,
            "deliver",
            method="email",
            reason="电子邮件已发送，回执编号001",
            effective_date="2026-04-01",
        ).status_code
        == 302
    )
    assert act(client, app, "archive", effective_date="2026-04-02").status_code == 302
    app.refresh_from_db()
    assert app.state == "archived"


def test_form_error_shown_in_chinese_and_nothing_saved(client, staff, tree):
    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(staff["handler"])
    act(client, app, "accept", effective_date="2026-03-02")
    n = ApplicationEvent.objects.filter(application=app).count()
    r = act(client, app, "request_extension", reason="", days="30")
    assert r.status_code == 400
    html = r.content.decode()
    assert "请填写延期理由" in html and "延长的期限最长不得超过20个工作日" in html
    assert 'id="action-request_extension" open' in html
    assert ApplicationEvent.objects.filter(application=app).count() == n
    assert Application.objects.get(pk=app.pk).state == "in_handling"


def test_service_refusal_is_shown_and_nothing_saved(client, staff, tree):
    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(staff["handler"])
    act(
        client,
        app,
        "request_correction",
        reason="请写明年份",
        period_workdays="10",
        effective_date="2026-03-05",
    )
    n = ApplicationEvent.objects.filter(application=app).count()
    r = act(client, app, "receive_correction", effective_date="2026-03-04")
    assert r.status_code == 400
    assert "收到补正的日期不能早于补正告知日期" in r.content.decode()
    assert ApplicationEvent.objects.filter(application=app).count() == n
    assert Application.objects.get(pk=app.pk).state == "correction_requested"


def test_draft_answer_requires_the_facts_of_the_category(client, staff, tree):
    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(staff["handler"])
    act(client, app, "accept", effective_date="2026-03-02")
    r = act(client, app, "draft_answer", outcome_variant="withheld_state_secret|default")
    assert r.status_code == 400
    assert "请填写具体理由" in r.content.decode()
    html = client.get(reverse("workbench:case", args=[app.pk])).content.decode()
    # grouped select with the Table 3 groups and the legal basis table
    assert '<optgroup label="（三）不予公开">' in html
    assert "第十四条" in html


def test_action_not_allowed_for_role_is_refused(client, staff, tree):
    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(staff["reviewer"])
    r = act(client, app, "accept", effective_date="2026-03-02")
    assert r.status_code == 302
    assert Application.objects.get(pk=app.pk).state == "registered"
    assert "该操作当前不可执行" in client.get(r["Location"]).content.decode()


def test_intake_letter_requires_signed_date_then_registers(client, staff, tree):
    client.force_login(staff["registrar"])
    page = client.get(reverse("workbench:intake"))
    assert page.status_code == 200 and "登记政府信息公开申请" in page.content.decode()
    data = {
        "agency": tree[1].pk,
        "channel": "letter",
        "submitted_on": "2026-03-02",
        "receipt_basis": "post_signed",
        "received_date": "",
        "receipt_evidence": "EMS 1234567890，登记员甲签收",
        "applicant_type": "natural_person",
        "applicant_name": "孙七",
        "id_document_type": "resident_id",
        "id_document_number": "11010519491231002X",
        "postal_address": "某市某路2号",
        "description": "某文件",
        "requested_form": "paper",
        "delivery_method": "post",
    }
    r = client.post(reverse("workbench:intake"), data)
    assert r.status_code == 200
    assert "请填写签收日期" in r.content.decode()
    assert Application.objects.count() == 0
    data["received_date"] = "2026-03-03"
    r = client.post(reverse("workbench:intake"), data)
    # registered: the printable 查询码告知单 for the applicant, shown this once and not cached
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    app = Application.objects.get()
    code = re.search(r'id="notice-code">([A-Z0-9]{8})<', r.content.decode()).group(1)
    assert find_by_tracking(app.tracking_number, code) == app
    assert code not in client.get(reverse("workbench:case", args=[app.pk])).content.decode()
    assert (
        app.channel == "letter"
        and app.received_date == dt.date(2026, 3, 3)
        and app.receipt_basis == "post_signed"
    )
    assert app.registered_by == staff["registrar"]
    assert "EMS 1234567890" in app.receipt_evidence


def test_intake_is_404_for_users_without_intake_role(client, staff):
    client.force_login(staff["reviewer"])
    assert client.get(reverse("workbench:intake")).status_code == 404


def test_answer_select_shows_the_legal_basis_of_each_category(client, staff, tree):
    from gongkai.core import answers

    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(staff["handler"])
    act(client, app, "accept", effective_date="2026-03-02")
    r = client.get(reverse("workbench:case", args=[app.pk]))
    basis = r.context["answer_basis_map"]
    secret = answers.answer("withheld_state_secret")
    assert secret.legal_basis in basis["withheld_state_secret|default"]
    assert "须经负责人审批" in basis["withheld_state_secret|default"]
    assert 'id="answer-basis-data"' in r.content.decode()
    assert len(basis) == sum(len(a.variants) for a in answers.ANSWER_TYPES)


def test_art35_explanation_and_delayed_answer_forms(client, staff, tree):
    app = make_app(tree[1], dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(staff["handler"])
    act(client, app, "accept", effective_date="2026-03-02")
    r = act(
        client, app, "request_explanation", reason="一个月内提交同类申请三十件", effective_date="2026-03-03"
    )
    assert r.status_code == 400 and "请确定说明理由的期限" in r.content.decode()
    r = act(
        client,
        app,
        "request_explanation",
        reason="一个月内提交同类申请三十件",
        deadline="2026-03-13",
        effective_date="2026-03-03",
    )
    assert r.status_code == 302
    client.force_login(staff["head"])
    r = act(
        client,
        app,
        "set_delayed_answer",
        reason="理由合理但数量大",
        new_due="2026-06-30",
        effective_date="2026-03-20",
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    app.refresh_from_db()
    assert app.delayed_due_date == dt.date(2026, 6, 30)
    assert "延迟答复期限" in client.get(reverse("workbench:case", args=[app.pk])).content.decode()


def test_answer_fact_map_names_only_form_fields():
    from gongkai.workbench.actions import DraftAnswerForm, answer_fact_map

    form = DraftAnswerForm(prefix="draft_answer")
    facts = answer_fact_map()
    assert facts["granted|provided"] == ["access_method"]
    assert "fact_reason" in facts["withheld_state_secret|default"]
    assert {"withheld_part", "withheld_ground", "fact_reason", "access_method"} <= set(
        facts["partial|default"]
    )
    for names in facts.values():
        assert set(names) <= set(form.fields)
