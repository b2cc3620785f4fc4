"""Art. 44: three applicants asking for the same information trigger a proposal; the decision
is recorded once and counted; the case page shows similar past applications and their answers."""

import datetime as dt

import pytest
from casework_fixtures import NATURAL, at

from gongkai.applications.models import Application
from gongkai.applications.services import submit_application
from gongkai.core.pii import id_check_char
from gongkai.frequent import services
from gongkai.frequent.models import DECLINE, PROPOSED, PUBLISH

pytestmark = pytest.mark.django_db

SAME = [
    "申请公开2025年度本区老旧小区改造项目的资金使用明细",
    "请提供本区2025年老旧小区改造项目资金使用明细",
    "本人申请获取本区老旧小区改造工程资金使用明细情况",
]
OTHER = "申请公开区教育局2024年部门预算"


def id_no(n: int) -> str:
    first17 = f"110101199001{n:02d}{n:03d}"
    return first17 + id_check_char(first17)


def ask(agency, staff, description, n, when=None):
    data = dict(NATURAL, description=description, applicant_name=f"申请人{n}", id_document_number=id_no(n))
    return submit_application(
        agency, data, channel="in_person", actor=staff["registrar"], submitted_at=when or at(2026, 11, 2 + n)
    )


def test_three_applicants_trigger_one_proposal(agencies, staff):
    dept = agencies["dept"]
    ask(dept, staff, SAME[0], 1)
    ask(dept, staff, SAME[1], 2)
    ask(dept, staff, OTHER, 3)
    assert services.detect(dept) == []  # two applicants only
    third = ask(dept, staff, SAME[2], 4)
    (p,) = services.detect(dept)
    assert p.applicant_count == 3 and p.state == PROPOSED and third in p.applications.all()
    assert "老旧" in p.title or "改造" in p.title
    assert services.detect(dept) == []  # nothing new: no duplicate proposal


def test_same_applicant_three_times_is_not_frequent(agencies, staff):
    dept = agencies["dept"]
    for i, text in enumerate(SAME):
        data = dict(NATURAL, description=text)
        submit_application(
            dept, data, channel="in_person", actor=staff["registrar"], submitted_at=at(2026, 11, 3 + i)
        )
    assert services.detect(dept) == []


def test_across_a_region(agencies, staff):
    from casework_fixtures import make_user

    from gongkai.agencies.models import Role

    other_reg = make_user("reg2", agencies["other"], Role.REGISTRAR)
    ask(agencies["dept"], staff, SAME[0], 1)
    ask(agencies["dept"], staff, SAME[1], 2)
    data = dict(NATURAL, description=SAME[2], applicant_name="申请人9", id_document_number=id_no(9))
    submit_application(
        agencies["other"], data, channel="in_person", actor=other_reg, submitted_at=at(2026, 11, 9)
    )
    assert services.detect(agencies["dept"]) == []
    (p,) = services.detect(agencies["city"], region=True)
    assert p.scope == "region" and p.applicant_count == 3


def test_decision_recorded_once_and_counted(agencies, staff, client):
    dept = agencies["dept"]
    for n, text in enumerate(SAME, 1):
        ask(dept, staff, text, n)
    (p,) = services.detect(dept)
    with pytest.raises(services.ProposalError):
        services.decide(p, PUBLISH, actor=staff["handler"])  # the head or admin decides
    with pytest.raises(services.ProposalError, match="理由"):
        services.decide(p, DECLINE, actor=staff["head"])
    p = services.decide(p, PUBLISH, actor=staff["head"], record_title="2025年度老旧小区改造项目资金使用情况")
    assert p.record.state == "draft" and p.record.title.startswith("2025年度老旧小区")
    with pytest.raises(services.ProposalError, match="已作出决定"):
        services.decide(p, DECLINE, actor=staff["head"], reason="x")
    assert [e.action for e in p.events.all()] == ["propose", PUBLISH]
    row = services.figures([dept], 2026)[0]
    assert (row["proposed"], row["published"], row["declined"]) == (1, 1, 0)
    client.force_login(staff["head"])
    assert "老旧小区" in client.get("/workbench/frequent/").content.decode()


def test_case_page_shows_similar_past_applications_with_answers(agencies, staff, client):
    dept = agencies["dept"]
    past = ask(dept, staff, SAME[0], 1, when=at(2026, 6, 1))
    Application.objects.filter(pk=past.pk).update(
        answered_on=dt.date(2026, 6, 20),
        answer_text="经检索，资金使用明细已在区政府网站公开。",
        outcome="public_all",
    )
    ask(dept, staff, OTHER, 2, when=at(2026, 6, 2))
    new = ask(dept, staff, SAME[1], 3)
    client.force_login(staff["handler"])
    html = client.get(f"/workbench/cases/{new.pk}/").content.decode()
    assert "相似的既往申请及答复" in html and past.tracking_number in html and "已在区政府网站公开" in html
    assert OTHER not in html
