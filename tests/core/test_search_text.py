"""Search text processing (core, no Django): normalisation, segmentation, query parsing, snippets."""

import datetime as dt
import html
import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.search_text import (
    SearchDocument,
    index_words,
    mark,
    normalize,
    normalize_doc_number,
    parse_query,
    piece_lexemes,
    query_words,
    snippet,
    sort_facet,
    tsquery_literal,
    vector_literal,
)


def test_normalize_full_width_case_and_traditional():
    assert normalize("ＡＢＣ　１２３") == "abc 123"
    assert normalize("政府資訊公開") == "政府信息公开"
    # simplified text is left alone (tw2sp would turn 文件 into 文档)
    assert normalize("行政规范性文件") == "行政规范性文件"


def test_doc_number_brackets_unified():
    expected = "临政发〔2024〕12号"
    for raw in (
        "临政发〔2024〕12号",
        "临政发[2024]12号",
        "临政发（2024）12号",
        "临政发【2024】12号",
        "临政发 [2024] 12 号",
    ):
        assert normalize_doc_number(raw) == expected


def test_index_words_search_mode_has_sub_words():
    words = index_words(normalize("关于促进中小企业高质量发展的若干措施"))
    assert {"中小企业", "中小", "企业", "小企业", "高质量", "质量", "发展", "措施"} <= words
    assert not any(re.search(r"\W", w) for w in words)


def test_query_words_are_maximal_tokens():
    assert query_words("中小企业发展") == ["中小企业", "发展"]
    # a lone character cut off a word is not an index word
    assert query_words("业高质量") == ["高质量"]
    assert query_words("的") == ["的"]


def test_parse_query_terms_phrases_negation_doc_numbers():
    q = parse_query('就业  补贴 -农村 "促进中小企业" 临政发[2024]12号 資訊')
    got = [(t.text, t.phrase, t.negated, t.doc_number) for t in q.terms]
    assert got == [
        ("就业", False, False, False),
        ("补贴", False, False, False),
        ("农村", False, True, False),
        ("促进中小企业", True, False, False),
        ("临政发〔2024〕12号", True, False, True),
        ("信息", False, False, False),
    ]
    assert [t.text for t in q.positive] == ["就业", "补贴", "促进中小企业", "临政发〔2024〕12号", "信息"]
    assert parse_query("「政府信息公开」").terms[0].phrase
    assert parse_query("   ").empty
    assert parse_query("，。！").empty
    assert parse_query('"未闭合').terms[0].text == "未闭合"


def test_literals_quote():
    assert sorted(vector_literal(["企业", "a'b", "企业"], ["f:year:2024"]).split(" ")) == [
        "'a''b'",
        "'f:year:2024'",
        "'企业'",
    ]
    assert tsquery_literal(["就业", "补贴"], ["f:topic:labor"]) == "'就业' & '补贴' & 'f:topic:labor'"


def test_document_facets():
    doc = SearchDocument(
        "records.record", 1, "标题", agency_id=3, issuer_ids=[3, 5], topic="labor", year=2024, in_force=False
    )
    assert doc.facets() == [
        "f:kind:records.record",
        "f:in_force:0",
        "f:agency:3",
        "f:issuer:3",
        "f:issuer:5",
        "f:topic:labor",
        "f:year:2024",
    ]


def test_mark_escapes_and_marks_full_width_text():
    assert mark("ＡＢＣ<b>中小企业", ["abc", "企业"]) == "<mark>ＡＢＣ</mark>&lt;b&gt;中小<mark>企业</mark>"


def test_snippet_windows_around_matches():
    text = "前言。" * 50 + "关于促进中小企业高质量发展的若干措施。" + "结语。" * 50
    s = snippet(text, ["中小企业"], width=40)
    assert "<mark>中小企业</mark>" in s
    assert s.startswith("…") and s.endswith("…")
    assert len(re.sub("<[^>]+>", "", s)) <= 40 + 2
    assert snippet("没有匹配的正文", ["企业"]) == "没有匹配的正文"
    assert snippet("", ["企业"]) == ""


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=4), max_size=4))
def test_mark_keeps_the_text(text, needles):
    """Removing the marks and unescaping gives back the text exactly, whatever the input."""
    out = mark(text, needles)
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == text
    assert "<" not in out.replace("<mark>", "").replace("</mark>", "")


def test_pieces_and_sort_bucket_lexemes():
    assert piece_lexemes("临政发〔2024〕") == {
        "b:临政",
        "b:政发",
        "b:发〔",
        "b:〔2",
        "b:20",
        "b:02",
        "b:24",
        "b:4〕",
    }
    assert piece_lexemes("企业 发展") == {"b:企业", "b:业发", "b:发展"}
    assert piece_lexemes("企") == set()
    assert sort_facet(True, dt.date(2026, 3, 9)) == "f:sort:1:202603"
    assert sort_facet(False, None) == "f:sort:0:none"


def test_match_form_keeps_offsets_and_long_snippets_find_late_matches():
    from gongkai.core.search_text import normalize_for_match

    assert normalize_for_match("ＡｂC企业") == "abc企业"
    assert normalize_for_match("İA") == "İa"  # lower() would lengthen İ: kept as is
    body = "前言" * 2000 + "支持中小企业发展" + "正文" * 100 + "企业补贴" + "结尾" * 500
    s = snippet(body, ["企业"], width=40)
    assert s.count("<mark>企业</mark>") == 2 and s.startswith("…") and s.endswith("…")


@given(
    st.lists(st.text(min_size=1, max_size=6)), st.lists(st.sampled_from(["f:year:2024", "f:sort:1:202401"]))
)
def test_vector_literal_fast_path_quotes_like_the_slow_one(words, facets):
    from gongkai.core.search_text import _quote

    lexemes = set(words) | set(facets)
    assert vector_literal(words, facets) == " ".join(_quote(w) for w in lexemes)
