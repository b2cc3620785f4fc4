"""问答: passages answering a question from documents in force and interpretations' Q&A; the
evaluation over 36 question → expected-document pairs; 猜您想问 from anonymised logs."""

import datetime as dt

import pytest
import time_machine
from corpus import DOCS, INTERPRETATION_QA, QUESTIONS
from records_fixtures import publish

from gongkai.core import interpretation_rules as irules
from gongkai.interpretations import services as interp
from gongkai.qa import services
from gongkai.qa.models import HIDDEN, PINNED, QUESTION, QueryLog
from gongkai.records.services import lifecycle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def policy_base(agencies, staff):
    keys = {}
    for n, (key, (title, body)) in enumerate(DOCS.items(), 1):
        rec = publish(agencies["dept"], staff, title=title, body=body, doc_number=f"临发〔2026〕{n}号")
        keys[f"records.record:{rec.pk}"] = key
        for q, a in INTERPRETATION_QA.get(key, []):
            i = interp.create(
                agencies["dept"],
                {"title": f"《{title}》政策问答", "form": irules.QA},
                records=[rec],
                qa=[(q, a)],
                actor=staff["handler"],
            )
            interp.transition(i, "submit", actor=staff["handler"])
            interp.transition(i, "publish", actor=staff["reviewer"])
            keys[f"interpretations.interpretation:{i.pk}"] = key
    return keys


def test_retrieval_evaluation(policy_base, capsys):
    top1 = top5 = 0
    misses = []
    for question, expected in QUESTIONS:
        found = [policy_base[k] for k in services.answer_documents(question, 5)]
        top1 += bool(found) and found[0] == expected
        top5 += expected in found
        if not found or found[0] != expected:
            misses.append((question, expected, found[:3]))
    n = len(QUESTIONS)
    with capsys.disabled():
        print(
            f"\nQ&A retrieval over {n} questions: top-1 {top1}/{n} = {top1 / n:.0%}, top-5 {top5}/{n} = {top5 / n:.0%}"
        )
        for m in misses:
            print("  top-1 miss:", m)
    assert n >= 30
    assert top5 / n >= 0.9 and top1 / n >= 0.75


def test_the_right_passage_with_document_date_and_link(policy_base, client):
    html = client.get("/qa/", {"q": "老小区加装电梯政府补多少钱"}).content.decode()
    assert "每部电梯给予20万元财政补助" in html and "临江市老旧小区改造工作方案" in html and "/docs/" in html
    # an interpretation's Q&A answers too
    html = client.get("/qa/", {"q": "培训补贴多久能到账"}).content.decode()
    assert "20个工作日内发放" in html and "/interpretations/" in html


def test_repealed_documents_are_not_answers(policy_base, agencies, staff):
    from gongkai.records.models import Record

    rec = Record.objects.get(title="临江市养犬管理条例实施细则")
    assert any("犬链" in p.text for p, _ in services.answer("遛狗的狗绳有长度要求吗"))
    lifecycle.transition(rec, "repeal", actor=staff["handler"], reason="已废止")
    assert not any("犬链" in p.text for p, _ in services.answer("遛狗的狗绳有长度要求吗"))


def test_guess_what_you_ask_from_anonymised_logs(agencies, staff, client):
    for q in ["养狗需要办证吗"] * 3 + ["住院报销比例是多少"] * 2 + ["测试问题"]:
        client.get("/qa/", {"q": q})
    client.get("/search/", {"q": "垃圾分类"})
    row = QueryLog.objects.get(text="养狗需要办证吗")
    assert row.count == 3 and {f.name for f in QueryLog._meta.fields} == {
        "id",
        "day",
        "kind",
        "text",
        "count",
    }
    assert services.suggestions()[:2] == ["养狗需要办证吗", "住院报销比例是多少"]
    assert [t["text"] for t in services.top("search")] == ["垃圾分类"]

    from gongkai.agencies.models import Membership, Role

    Membership.objects.create(user=staff["head"], agency=agencies["dept"], role=Role.ADMIN)
    client.force_login(staff["head"])
    client.post("/workbench/qa/actions/", {"kind": QUESTION, "text": "测试问题", "state": HIDDEN})
    client.post("/workbench/qa/actions/", {"kind": QUESTION, "text": "公积金怎么提取", "state": PINNED})
    assert services.suggestions()[0] == "公积金怎么提取" and "测试问题" not in services.suggestions()
    client.force_login(staff["handler"])  # not an administrator
    assert client.get("/workbench/qa/").status_code == 404

    with time_machine.travel(dt.datetime(2027, 3, 15, 10, tzinfo=dt.UTC), tick=True):
        assert "养狗需要办证吗" not in services.suggestions()  # older than 90 days
