import datetime as dt
import re
from pathlib import Path

import pytest

from gongkai.core import answers as A
from gongkai.core import report_schema as rs

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference" / "regulation-2019.md"


def _norm(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


def test_taxonomy_is_exactly_the_2021_table3_leaves_in_order():
    assert [(a.key, a.label) for a in A.ANSWER_TYPES] == rs.outcome_choices("2021")
    assert A.answer_choices() == rs.outcome_choices("2021")
    groups = [a.group for a in A.ANSWER_TYPES]
    assert groups.count("withheld") == 8
    assert groups.count("unable") == 3
    assert groups.count("not_processed") == 5
    assert groups.count("other") == 3


def test_group_labels_come_from_the_schema():
    table = rs.get_template("2021").applications
    for a in A.ANSWER_TYPES:
        if a.group not in ("granted", "partial"):
            assert a.group_label == table.row(a.group).label
            assert a.label == f"{a.group_label}－{a.row_label}"


def test_mapping_to_2019_rows():
    keys_2019 = [k for k, _ in rs.outcome_choices("2019")]
    assert set(A.KEY_2021_TO_2019.values()) == set(keys_2019)
    for key in ("other_no_correction", "other_fee_unpaid", "other_other"):
        assert A.to_2019(key) == "other"
    for key, _ in rs.outcome_choices("2021"):
        if not key.startswith("other_"):
            assert A.to_2019(key) == key
    with pytest.raises(KeyError):
        A.to_2019("nonsense")


def test_every_category_has_a_legal_basis_or_documented_note_and_a_remedy():
    for a in A.ANSWER_TYPES:
        assert a.citations or a.basis_note, a.key
        if a.citations:
            assert a.legal_basis.startswith("《中华人民共和国政府信息公开条例》第")
        r = a.remedy(dt.date(2026, 11, 23), "某某区人民政府", "某某区人民法院")
        assert "六十日" in r.text and "某某区人民政府" in r.text and "行政复议" in r.text
        # SPC-2011 Art. 2: no lawsuit for refusing to create information or to supply publications
        assert ("行政诉讼" in r.text) == a.litigable
    assert {a.key for a in A.ANSWER_TYPES if not a.litigable} == {"unable_needs_creation", "np_publication"}


def test_quotes_are_verbatim_substrings_of_the_articles():
    for a in A.ANSWER_TYPES:
        for c in a.citations:
            assert c.quote, (a.key, c.ref)
            assert c.quote in A.ARTICLE_TEXT[c.article], (a.key, c.ref, c.quote)
            if c.item:
                line = [
                    ln
                    for ln in A.ARTICLE_TEXT[c.article].split("\n")
                    if ln.startswith(f"（{A.cn_number(c.item)}）")
                ]
                assert len(line) == 1 and c.quote in line[0], (a.key, c.ref)
            if c.paragraph:
                assert c.quote in A.ARTICLE_TEXT[c.article].split("\n")[c.paragraph - 1], (a.key, c.ref)


def test_article_text_matches_the_reference_copy_of_the_regulation():
    text = _norm(REFERENCE.read_text("utf-8"))
    for n, body in A.ARTICLE_TEXT.items():
        lines = body.split("\n")
        m = re.search(rf"^第{A.cn_number(n)}条 (.+)$", text, re.M)
        assert m, n
        assert m.group(1) == lines[0], n
        rest = text[m.end() :].lstrip("\n").split("\n\n")
        for i, line in enumerate(lines[1:]):
            assert rest[i].strip() == line, (n, i)


@pytest.mark.parametrize(
    ("n", "cn"),
    [(2, "二"), (10, "十"), (14, "十四"), (20, "二十"), (36, "三十六"), (42, "四十二"), (99, "九十九")],
)
def test_cn_number(n, cn):
    assert A.cn_number(n) == cn


def test_citation_refs():
    assert A.Citation(36, item=3).ref == "第三十六条第（三）项"
    assert A.Citation(16, paragraph=2).ref == "第十六条第二款"
    assert (
        A.answer("withheld_state_secret").legal_basis
        == "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"
    )
    assert "第十五条" in A.answer("withheld_third_party").legal_basis
    assert A.answer("withheld_internal_affairs").legal_basis.endswith("第十六条第一款、第三十六条第（三）项")


def test_refusals_need_head_approval_and_reconsideration_first():
    for a in A.ANSWER_TYPES:
        refusal = a.group in ("withheld", "partial")
        assert a.is_refusal == refusal, a.key
        if refusal:
            assert a.requires_head_approval
            r = A.remedy_for(a.key, dt.date(2024, 1, 1))
            assert r.reconsideration_first and r.litigation_months is None
            assert "应当先" in r.text and "第二十三条" in r.text and "十五日" in r.text
        else:
            r = A.remedy_for(a.key, dt.date(2026, 5, 1))
            assert not r.reconsideration_first
            if a.litigable:
                assert "六个月" in r.text and r.litigation_months == 6
            else:
                assert "行政诉讼" not in r.text and r.litigation_months is None
    assert A.answer("np_mass_repeated").requires_head_approval


def test_before_2024_refusals_offer_either_remedy():
    r = A.remedy_for("withheld_state_secret", dt.date(2023, 12, 31))
    assert not r.reconsideration_first and "六个月" in r.text


def test_other_processing_ends_without_a_letter():
    no_letter = {a.key for a in A.ANSWER_TYPES if not a.needs_answer_letter}
    assert no_letter == {"other_no_correction", "other_fee_unpaid", "other_other"}


def test_required_fields_and_validation():
    assert A.answer_problems("granted", {"access_method": "现将相关信息以电子邮件方式提供给您。"}) == []
    assert A.answer_problems("granted", {}) == ["请填写获取信息的方式、途径"]
    assert "请填写具体理由" in A.answer_problems("withheld_state_secret", {})
    with pytest.raises(A.AnswerValidationError) as exc:
        A.validate_answer("partial", {"withheld_part": "第2页", "reason": "x", "access_method": "y"})
    assert exc.value.errors == ["请填写不予公开的依据（类别）"]
    bad = A.answer_problems(
        "partial",
        {"withheld_part": "第2页", "reason": "x", "access_method": "y", "withheld_ground": "granted"},
    )
    assert bad and "第十四条" in bad[0]
    assert A.answer_problems("nonsense") == ["未知的办理结果“nonsense”"]
    assert "2021年版" in A.answer_problems("other", template_id="2019")[0]
    assert A.answer_problems("withheld_state_secret", {"reason": "x"}, head_approved=False) == [
        "该答复须经负责人审批同意"
    ]
    assert A.answer_problems("withheld_state_secret", {"reason": "x"}, head_approved=True) == []
    assert A.answer_problems("granted", {"access_method": "x"}, variant="nope")
    assert A.validate_answer("np_publication").key == "np_publication"


def test_decision_texts_cite_the_basis_and_fill_the_facts():
    t = A.decision_text("withheld_process_info", {"reason": "所申请的会议纪要属于内部讨论记录"})
    assert "所申请的会议纪要属于内部讨论记录。根据" in t
    assert "第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。" in t

    t = A.decision_text(
        "partial",
        {
            "withheld_part": "第3页所载个人身份信息",
            "withheld_ground": "withheld_third_party",
            "reason": "该部分内容涉及个人隐私",
            "access_method": "现将其余内容以电子邮件方式提供给您",
        },
    )
    assert "第十五条、第三十二条、第三十七条" in t and t.endswith("提供给您。")

    t = A.decision_text(
        "unable_not_held",
        {
            "reason": "该信息由市统计局制作。",
            "responsible_agency": "某某市统计局",
            "responsible_contact": "010-1",
        },
        variant="not_responsible_known",
    )
    assert "第三十六条第（五）项" in t and "某某市统计局" in t and "010-1" in t
    assert "第三十六条第（四）项" in A.decision_text("unable_not_held", variant="not_exist")
    assert "公共图书馆" in A.decision_text("np_publication")
    assert "2026年3月1日" in A.decision_text("np_repeat", {"previous_reply": "2026年3月1日"})
    assert "国办函〔2020〕109号" in A.decision_text("other_fee_unpaid", {"fee_notice_date": "2026年3月1日"})
    assert (
        A.decision_text("other_other", {"reason": "申请人于2026年3月2日书面撤回申请"})
        == "申请人于2026年3月2日书面撤回申请。"
    )
    with pytest.raises(A.AnswerValidationError):
        A.decision_text("np_repeat")


def test_every_default_variant_renders_with_dummy_facts():
    for a in A.ANSWER_TYPES:
        for v in a.variants:
            facts = dict.fromkeys(v.required_fields, "某事实")
            if "withheld_ground" in facts:
                facts["withheld_ground"] = "withheld_state_secret"
            text = A.decision_text(a.key, facts, variant=v.key)
            assert "{" not in text and "}" not in text
            assert text.endswith("。")
            assert "。。" not in text
