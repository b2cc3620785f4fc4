"""Passage splitting and BM25 ranking (core.passages)."""

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import passages as ps
from gongkai.core.text_cluster import words

BODY = """第一条 为了规范校外培训机构收费行为，保护学生和家长合法权益，制定本办法。
第二条 本办法适用于本市行政区域内面向中小学生的校外培训机构。
第三条 校外培训机构一次性收取费用的时间跨度不得超过3个月或60课时。
第四条 学员退费的，培训机构应当在7个工作日内退还未消课时的费用。"""


def test_articles_are_passages():
    parts = ps.split(BODY)
    assert len(parts) == 4 and parts[3].startswith("第四条")


@given(st.lists(st.text(alphabet="政策补贴申请条件。，", min_size=1, max_size=200), min_size=1, max_size=10))
def test_split_keeps_every_character(lines):
    body = "\n".join(lines)
    joined = "".join(ps.split(body, max_chars=80))
    assert joined == "".join(ln.strip() for ln in body.splitlines() if ln.strip())


def test_bm25_finds_the_answering_article():
    parts = ps.split(BODY)
    index = ps.BM25([words(p) for p in parts])
    best = index.search(words("退费多久能退回来"), 3)
    assert best and best[0].index == 3
    assert index.search(words("火星移民"), 3) == []
