"""Issue 11 in the browser: the applicant corrects online with a loosely typed number; staff take a
case through 补正 and an extension, and the notices say what is on record."""

import datetime as dt

import pytest
from browser_helpers import login, logout
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.applications.services import submit_application, transition
from gongkai.letters.models import GeneratedDocument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dept(db):
    from gongkai.letters.defaults import install_default_templates

    install_default_templates()  # the transactional test database was flushed of migration data
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    return Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )


def _user(django_user_model, dept, name, full, *roles):
    u = django_user_model.objects.create_user(name, password="pw-123456", first_name=full)
    for r in roles:
        Membership.objects.create(user=u, agency=dept, role=r)
    return u


def _submit(dept, actor):
    return submit_application(
        dept,
        {
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "id_document_number": "11010519491231002X",
            "email": "lisi@example.com",
            "description": "某校招生简章",
        },
        channel="in_person",
        actor=actor,
        submitted_at=timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30)),
    )


def test_applicant_answers_the_correction_online(
    live_server, context, dept, django_user_model, shots, tmp_path
):
    handler = _user(django_user_model, dept, "handler", "承办人乙", Role.HANDLER, Role.REGISTRAR)
    app = _submit(dept, handler)
    transition(
        app,
        "request_correction",
        handler,
        effective_date=dt.date(2026, 11, 3),
        data={"items": "请写明学校名称和年份", "period_workdays": 15},
    )
    page = context.new_page()
    page.goto(live_server.url + "/track/")
    typed = app.tracking_number.replace("〔", "（").replace("〕", "）").replace("号", "")
    typed = typed.replace("0001", "０００１")  # full-width digits, as an IME types them
    page.fill("#id_tracking_number", typed)
    page.fill("#id_query_code", app.issued_query_code)
    page.click("button:has-text('查询')")
    page.wait_for_selector("#state")
    assert page.inner_text("#correction-deadline") == "2026年11月24日"
    assert "请写明学校名称和年份" in page.inner_text("#corr ~ p, section[aria-labelledby=corr]")
    assert page.get_attribute("#id_text", "required") is not None  # the browser asks for the text
    attachment = tmp_path / "补正说明.txt"
    attachment.write_text("学校：某市第一中学；年份：2025年", encoding="utf-8")
    page.fill("#id_text", "某市第一中学2025年招生简章")
    page.set_input_files("#id_attachments", str(attachment))
    page.click("button:has-text('提交补正')")
    page.wait_for_selector(".messages")
    assert "补正已提交" in page.content()
    assert "机关已收到补正材料，答复期限重新计算" in page.inner_text(".timeline")
    shots(page, "portal-correction-submitted")
    app.refresh_from_db()
    ev = app.events.last()
    assert (app.state, ev.action, ev.actor, ev.actor_label) == (
        "in_handling",
        "receive_correction",
        None,
        "申请人",
    )
    assert app.correction_received_on == timezone.localdate()
    assert ev.data["text"] == "某市第一中学2025年招生简章" and app.attachments.filter(event=ev).count() == 1
    assert app.handler == handler


def _do(page, action, fields=None, checks=()):
    page.click(f"#action-{action} > summary")
    for name, value in (fields or {}).items():
        page.fill(f"#id_{action}-{name}", value)
    for name in checks:
        page.check(f"#id_{action}-{name}")
    page.click(f"#action-{action} button[type=submit]")


def test_correction_path_assigns_the_handler_and_the_extension_gives_her_reason(
    live_server, context, dept, django_user_model
):
    handler = _user(django_user_model, dept, "handler", "承办人乙", Role.HANDLER, Role.REGISTRAR)
    _user(django_user_model, dept, "head", "负责人丁", Role.HEAD)
    app = _submit(dept, handler)
    base = live_server.url
    page = context.new_page()
    login(page, base, "handler")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    _do(
        page,
        "request_correction",
        {
            "reason": "请写明学校名称",
            "guidance": "可参照本局网站公布的学校名录",
            "effective_date": "2026-11-03",
        },
    )
    page.wait_for_selector(".messages .success")
    _do(page, "receive_correction", {"reason": "已补正学校名称", "effective_date": "2026-11-05"})
    page.wait_for_selector(".messages .success")
    assert "承办人乙" in page.inner_text("main") and "未分配" not in page.inner_text("main")
    _do(
        page,
        "request_extension",
        {"reason": "需调取多所学校档案", "days": "10", "effective_date": "2026-11-20"},
    )
    page.wait_for_selector(".messages .success")
    logout(page)
    login(page, base, "head")
    page.goto(f"{base}/workbench/cases/{app.pk}/")
    _do(page, "approve_extension", {"reason": "同意延长10个工作日。", "effective_date": "2026-11-23"})
    page.wait_for_selector(".messages .success")
    app.refresh_from_db()
    assert app.handler.username == "handler"
    notice = GeneratedDocument.objects.get(application=app, kind="extension").rendered_text
    assert "因需调取多所学校档案，本机关无法在法定期限内作出答复" in "".join(notice.split())
    assert "同意延长" not in notice
    correction = GeneratedDocument.objects.get(application=app, kind="correction").rendered_text
    assert "指导和释明：可参照本局网站公布的学校名录" in "".join(correction.split())
