"""TF-IDF similarity, clustering of request texts and passage ranking (core.text_cluster)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import text_cluster as tc

ASKS = [
    "申请公开2025年度临江区老旧小区改造项目的资金使用明细",
    "请提供临江区2025年老旧小区改造项目资金使用明细",
    "本人申请获取临江区老旧小区改造工程资金的使用明细情况",
    "申请公开某街道垃圾分类收运车辆采购合同",
    "申请公开2024年度区教育局部门预算",
]


def test_words_drop_request_phrasing():
    w = tc.words("申请公开政府信息：老旧小区改造资金明细")
    assert "申请" not in w and "公开" not in w and "老旧" in w and "明细" in w


def test_three_applicants_same_information_cluster():
    items = [tc.Item(i, f"申请人{i}", t) for i, t in enumerate(ASKS)]
    found = tc.clusters(items, min_similarity=0.4, min_applicants=3)
    assert [c.keys for c in found] == [(0, 1, 2)]
    assert {"改造", "资金", "明细"} <= set(found[0].terms)


def test_one_applicant_asking_three_times_is_one_applicant():
    items = [tc.Item(i, "同一人", t) for i, t in enumerate(ASKS[:3])]
    assert tc.clusters(items, min_similarity=0.4, min_applicants=3) == []
    assert tc.clusters(items, min_similarity=0.4, min_applicants=1)[0].size == 1


vocab = st.sampled_from(
    ["老旧小区", "改造", "资金", "明细", "垃圾分类", "采购", "合同", "预算", "教育局", "道路"]
)
texts = st.lists(st.lists(vocab, min_size=1, max_size=6).map("".join), min_size=1, max_size=12)


@settings(max_examples=50, deadline=None)
@given(texts)
def test_similarity_is_a_cosine(docs_text):
    docs = [tc.words(t) for t in docs_text]
    sim = tc.similarity_matrix(docs)
    assert np.allclose(sim, sim.T)
    assert (sim >= -1e-9).all() and (sim <= 1 + 1e-9).all()
    for i, d in enumerate(docs):
        if d:
            assert abs(sim[i, i] - 1) < 1e-9


@settings(max_examples=50, deadline=None)
@given(texts, st.floats(0.1, 0.95))
def test_clusters_partition_and_threshold_is_monotonic(docs_text, t):
    items = [tc.Item(i, f"a{i}", x) for i, x in enumerate(docs_text)]
    loose = tc.clusters(items, min_similarity=t)
    strict = tc.clusters(items, min_similarity=min(1.0, t + 0.05))
    keys = [k for c in loose for k in c.keys]
    assert len(keys) == len(set(keys))  # a partition
    # every strict cluster lies inside one loose cluster
    for c in strict:
        assert any(set(c.keys) <= set(lc.keys) for lc in loose)


def test_rank_prefers_the_matching_passage():
    passages = [
        "老旧小区改造资金由区财政统筹安排。",
        "垃圾分类收运车辆由街道采购。",
        "教育局预算按年度公开。",
    ]
    order = tc.rank("老旧小区改造的钱从哪里来", passages)
    assert order[0][0] == 0
