"""Agency settings (机关设置): letterhead, tracking prefix, own letter templates, staff roles."""

import datetime as dt

import pytest
from django.urls import reverse
from wb_helpers import make_app

from gongkai.agencies import services
from gongkai.agencies.models import AgencyChange, AgencyChangeImmutable, Membership, Role
from gongkai.letters import agency_templates
from gongkai.letters.models import LetterTemplate
from gongkai.letters.services import generate_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(staff, tree, django_user_model):
    city, dept, other = tree
    u = django_user_model.objects.create_user("edu_admin", password="pw-123456", first_name="教育局管理员")
    Membership.objects.create(user=u, agency=dept, role=Role.ADMIN)
    return u


def _url(agency):
    return reverse("workbench:agency_settings", args=[agency.pk])


def _tpl_url(agency, kind):
    return reverse("workbench:agency_template", args=[agency.pk, kind])


LETTERHEAD = {
    "action": "letterhead",
    "letterhead_name": "某市教育局（政务公开办公室）",
    "address": "某市人民路88号",
    "postal_code": "350001",
    "phone": "0591-12345678",
    "email": "gk@edu.example.gov.cn",
    "office_hours": "工作日9:00—17:00",
    "reconsideration_body": "某市人民政府",
    "court": "某市某区人民法院",
}


def test_letterhead_edit_appears_in_next_letter(client, tree, staff, admin):
    city, dept, other = tree
    client.force_login(admin)
    r = client.get(_url(dept))
    assert r.status_code == 200 and "文书抬头信息" in r.content.decode()
    r = client.post(_url(dept), LETTERHEAD)
    assert r.status_code == 302
    dept.refresh_from_db()
    assert dept.phone == "0591-12345678" and dept.letterhead_name == "某市教育局（政务公开办公室）"
    change = AgencyChange.objects.get(agency=dept)
    assert change.actor == admin and change.action == "letterhead" and "联系电话" in change.summary
    assert change.details["phone"] == ["", "0591-12345678"]
    with pytest.raises(AgencyChangeImmutable):
        change.save()

    app = make_app(dept, dt.date(2026, 3, 2), registrar=staff["registrar"])
    doc = generate_document(app, "receipt", staff["registrar"])
    assert "某市教育局（政务公开办公室）" in doc.rendered_text
    assert "0591-12345678" in doc.rendered_text and "某市人民路88号" in doc.rendered_text
    page = client.get(_url(dept)).content.decode()
    assert "修改文书抬头信息" in page  # change log shown


def test_letterhead_bad_input_changes_nothing(client, tree, admin):
    city, dept, other = tree
    client.force_login(admin)
    r = client.post(_url(dept), {**LETTERHEAD, "email": "not-an-email"})
    assert r.status_code == 400 and "电子邮箱格式不正确" in r.content.decode()
    r = client.post(_url(dept), {**LETTERHEAD, "postal_code": "12ab"})
    assert "邮政编码应为6位数字" in r.content.decode()
    dept.refresh_from_db()
    assert dept.phone == "" and not AgencyChange.objects.exists()


def test_tracking_prefix_rules_and_only_new_numbers(client, tree, staff, admin):
    city, dept, other = tree
    old_app = make_app(dept, dt.date(2026, 3, 2), registrar=staff["registrar"])
    assert old_app.tracking_number.startswith("市教依申〔2026〕")
    client.force_login(admin)
    for bad, msg in [("", "不能为空"), ("教依申〔", "不能包含“〔”“〕”"), ("市财依申", "已被其他机关使用")]:
        r = client.post(_url(dept), {"action": "prefix", "tracking_prefix": bad})
        assert r.status_code == 400 and msg in r.content.decode(), bad
    dept.refresh_from_db()
    assert dept.tracking_prefix == "市教依申"
    r = client.post(_url(dept), {"action": "prefix", "tracking_prefix": "教育依申"})
    assert r.status_code == 302
    follow = client.get(_url(dept)).content.decode()
    assert "仅此后登记的申请使用新前缀" in follow
    dept.refresh_from_db()
    new_app = make_app(dept, dt.date(2026, 3, 3), registrar=staff["registrar"])
    old_app.refresh_from_db()
    assert old_app.tracking_number.startswith("市教依申〔2026〕0001")
    assert new_app.tracking_number == "教育依申〔2026〕0002号"
    assert AgencyChange.objects.get(agency=dept, action="tracking_prefix").details == {
        "tracking_prefix": ["市教依申", "教育依申"]
    }


def test_template_override_preview_and_revert(client, tree, staff, admin):
    city, dept, other = tree
    app = make_app(dept, dt.date(2026, 3, 2), registrar=staff["registrar"])
    client.force_login(admin)
    r = client.get(_url(dept))
    assert "平台默认模板" in r.content.decode()
    assert {s.source for s in r.context["templates"]} == {"default"}

    r = client.post(_tpl_url(dept, "receipt"), {"action": "create"})
    assert r.status_code == 302
    own = LetterTemplate.objects.get(agency=dept, kind="receipt")
    default = LetterTemplate.objects.get(agency=None, kind="receipt")
    assert own.body == default.body and own.title == default.title

    form = {f: getattr(own, f) for f in agency_templates.EDITABLE_FIELDS}
    form["body"] = own.body + "\n\n本机关特别提示：请妥善保管受理编号{{ tracking_number }}。"
    r = client.post(_tpl_url(dept, "receipt"), {"action": "save", **form})
    assert r.status_code == 302
    own.refresh_from_db()
    assert "本机关特别提示" in own.body and own.updated_by == admin

    html = client.get(
        reverse("workbench:agency_template_preview", args=[dept.pk, "receipt", "html"])
    ).content.decode()
    assert "本机关特别提示：请妥善保管受理编号" + app.tracking_number in html
    assert "本机关近期申请" in html
    pdf = client.get(reverse("workbench:agency_template_preview", args=[dept.pk, "receipt", "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    doc = generate_document(app, "receipt", staff["registrar"])
    assert "本机关特别提示" in doc.rendered_text
    statuses = {s.kind: s for s in client.get(_url(dept)).context["templates"]}
    assert statuses["receipt"].source == "own" and statuses["reply"].source == "default"

    r = client.post(_tpl_url(dept, "receipt"), {"action": "revert"})
    assert r.status_code == 302
    assert not LetterTemplate.objects.filter(agency=dept).exists()
    assert {s.source for s in client.get(_url(dept)).context["templates"]} == {"default"}
    html = client.get(
        reverse("workbench:agency_template_preview", args=[dept.pk, "receipt", "html"])
    ).content.decode()
    assert "本机关特别提示" not in html
    actions = list(AgencyChange.objects.filter(agency=dept).order_by("pk").values_list("action", flat=True))
    assert actions == ["template_create", "template_update", "template_revert"]
    assert "本机关特别提示" in AgencyChange.objects.get(action="template_revert").details["removed"]["body"]


def test_preview_every_kind_without_cases_uses_sample(client, tree, admin):
    city, dept, other = tree
    client.force_login(admin)
    for s in agency_templates.template_overview(dept):
        r = client.get(reverse("workbench:agency_template_preview", args=[dept.pk, s.kind, "html"]))
        assert r.status_code == 200, (s.kind, r.content.decode()[:200])
        assert "示例申请" in r.content.decode()


def test_invalid_template_syntax_rejected_nothing_saved(client, tree, admin):
    city, dept, other = tree
    client.force_login(admin)
    client.post(_tpl_url(dept, "reply"), {"action": "create"})
    own = LetterTemplate.objects.get(agency=dept, kind="reply")
    before = own.body
    form = {f: getattr(own, f) for f in agency_templates.EDITABLE_FIELDS}
    r = client.post(
        _tpl_url(dept, "reply"),
        {"action": "save", **form, "body": "您好，{% if answer.key %}未闭合", "title": "新标题"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "模板未保存" in body and "模板语法错误" in body
    own.refresh_from_db()
    assert own.body == before and own.title != "新标题"
    assert AgencyChange.objects.filter(agency=dept, action="template_update").count() == 0
    with pytest.raises(agency_templates.TemplateEditError) as exc:
        agency_templates.update_own_template(dept, "reply", admin, {"body": "{{ a|nosuchfilter }}"})
    assert "模板语法错误" in str(exc.value)


def test_membership_add_and_remove_rules(client, tree, staff, admin, django_user_model):
    city, dept, other = tree
    newbie = django_user_model.objects.create_user("newbie", password="pw-123456")
    client.force_login(admin)
    r = client.post(_url(dept), {"action": "member_add", "username": "ghost", "role": "handler"})
    assert r.status_code == 400 and "用户“ghost”不存在" in r.content.decode()
    r = client.post(_url(dept), {"action": "member_add", "username": "newbie", "role": "reviewer"})
    assert (
        r.status_code == 302 and Membership.objects.filter(user=newbie, agency=dept, role="reviewer").exists()
    )
    r = client.post(_url(dept), {"action": "member_add", "username": "newbie", "role": "reviewer"})
    assert "已是本机关的审核人" in r.content.decode()
    with pytest.raises(services.AgencySettingsError):
        services.add_membership(dept, admin, "newbie", Role.SUPERVISOR)
    assert not Membership.objects.filter(user=newbie, role="supervisor").exists()

    own_admin = Membership.objects.get(user=admin, agency=dept, role="admin")
    r = client.post(_url(dept), {"action": "member_remove", "membership": own_admin.pk})
    assert r.status_code == 400 and "不能移除自己的机关管理员角色" in r.content.decode()
    assert Membership.objects.filter(pk=own_admin.pk).exists()

    sup = Membership.objects.create(user=newbie, agency=dept, role=Role.SUPERVISOR)
    r = client.post(_url(dept), {"action": "member_remove", "membership": sup.pk})
    assert "监督人员岗位" in r.content.decode() and Membership.objects.filter(pk=sup.pk).exists()

    foreign = Membership.objects.get(user=staff["other_handler"])  # another agency's role
    r = client.post(_url(dept), {"action": "member_remove", "membership": foreign.pk})
    assert "不存在" in r.content.decode() and Membership.objects.filter(pk=foreign.pk).exists()

    handler = Membership.objects.get(user=staff["handler"], agency=dept)
    r = client.post(_url(dept), {"action": "member_remove", "membership": handler.pk})
    assert r.status_code == 302 and not Membership.objects.filter(pk=handler.pk).exists()
    summaries = list(AgencyChange.objects.filter(agency=dept).values_list("summary", flat=True))
    assert any("添加岗位：newbie（审核人）" in s for s in summaries)
    assert any("移除岗位：handler（承办人）" in s for s in summaries)


def test_non_admin_gets_404_and_changes_nothing(client, tree, staff, admin, django_user_model):
    city, dept, other = tree
    other_admin = django_user_model.objects.create_user("fin_admin", password="pw-123456")
    Membership.objects.create(user=other_admin, agency=other, role=Role.ADMIN)
    for user in (staff["handler"], staff["head"], staff["supervisor"], other_admin):
        client.force_login(user)
        assert client.get(_url(dept)).status_code == 404
        assert client.post(_url(dept), {**LETTERHEAD}).status_code == 404
        assert client.post(_tpl_url(dept, "receipt"), {"action": "create"}).status_code == 404
        assert (
            client.get(
                reverse("workbench:agency_template_preview", args=[dept.pk, "receipt", "html"])
            ).status_code
            == 404
        )
    dept.refresh_from_db()
    assert dept.phone == "" and not LetterTemplate.objects.filter(agency=dept).exists()
    assert not AgencyChange.objects.exists()
    with pytest.raises(Exception) as exc:
        services.update_letterhead(dept, staff["handler"], {"phone": "1"})
    assert "机关管理员" in str(exc.value)
    # the other agency's admin manages only their own agency
    client.force_login(other_admin)
    assert client.get(_url(other)).status_code == 200
    assert client.get(reverse("workbench:agency_index")).status_code == 302


def test_superuser_and_nav(client, tree, admin, staff, django_user_model):
    city, dept, other = tree
    root = django_user_model.objects.create_superuser("root", password="pw-123456")
    client.force_login(root)
    assert client.get(_url(other)).status_code == 200
    assert client.get(reverse("workbench:agency_index")).status_code == 200
    client.force_login(admin)
    page = client.get(reverse("workbench:queue")).content.decode()
    assert "机关设置" in page
    assert client.get(reverse("workbench:agency_index"))["Location"] == _url(dept)
    client.force_login(staff["handler"])
    assert "机关设置" not in client.get(reverse("workbench:queue")).content.decode()
    assert client.get(reverse("workbench:agency_index")).status_code == 404


def test_ancestor_template_is_inherited_and_copied(tree, admin, django_user_model):
    city, dept, other = tree
    root = django_user_model.objects.create_superuser("root2", password="pw-123456")
    city_tpl = agency_templates.create_own_template(city, "correction", root)
    agency_templates.update_own_template(
        city, "correction", root, {"body": city_tpl.body + "\n\n市级统一提示。"}
    )
    status = {s.kind: s for s in agency_templates.template_overview(dept)}["correction"]
    assert status.source == "inherited" and "某市人民政府" in status.source_label
    own = agency_templates.create_own_template(dept, "correction", admin)
    assert own.body.endswith("市级统一提示。")
    assert "某市人民政府模板" in AgencyChange.objects.filter(agency=dept).get().summary
    with pytest.raises(agency_templates.TemplateEditError):
        agency_templates.create_own_template(dept, "correction", admin)  # already has one


def test_settings_show_derived_remedy_bodies_and_vertical_leadership(client, tree, staff, admin):
    """Issue 11 item 24: blank fields show the derived default; 垂直领导 changes the body (ARL Art. 27)."""
    city, dept, other = tree
    client.force_login(admin)
    page = client.get(_url(dept)).content.decode()
    assert f"留空则为：{city.name}" in page  # a department: its people's government (ARL Art. 24)
    assert "留空则为：本机关所在地基层人民法院" in page
    r = client.post(
        _url(dept), {**LETTERHEAD, "reconsideration_body": "", "court": "", "vertically_led": "on"}
    )
    assert r.status_code == 302
    dept.refresh_from_db()
    assert dept.vertically_led and "实行垂直领导" in AgencyChange.objects.get(agency=dept).summary
    page = client.get(_url(dept)).content.decode()
    assert "留空则为：上一级主管部门" in page
    app = make_app(dept, dt.date(2026, 3, 2), registrar=staff["registrar"])
    app.outcome = "withheld_state_secret"
    app.answer_data = {"fields": {"reason": "已定密。"}}
    app.save()
    doc = generate_document(app, "reply", staff["registrar"])
    assert "向上一级主管部门申请行政复议" in "".join(doc.rendered_text.split())
