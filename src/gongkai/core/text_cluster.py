"""Grouping requests that ask for the same information, and ranking passages for a question —
TF-IDF over segmented Chinese words, plain Python + numpy, no Django, no model downloads.

- :func:`words`: the content words of a text (jieba search-mode segmentation through rjieba,
  normalised; punctuation, digits-only tokens, single characters and common request phrasing
  such as 申请 / 公开 / 信息 dropped).
- :class:`TfIdf`: fit on a corpus; :meth:`TfIdf.vectors` gives L2-normalised rows, so a dot
  product is the cosine similarity.
- :func:`clusters`: groups of items whose similarity reaches ``min_similarity`` (connected
  components of the similarity graph — single linkage), each with its distinct applicants.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .lazy import lazy_module
from .search_text import normalize

np = lazy_module("numpy")  # imported where vectors are computed, not when the app starts

# Words every disclosure request repeats: they say nothing about WHAT is asked for.
STOPWORDS = frozenset(
    [
        "申请",
        "公开",
        "政府",
        "信息",
        "政府信息",
        "请求",
        "要求",
        "请",
        "贵",
        "本人",
        "我",
        "我们",
        "你们",
        "贵单位",
        "贵局",
        "依法",
        "依据",
        "根据",
        "条例",
        "关于",
        "有关",
        "相关",
        "提供",
        "获取",
        "复印件",
        "复印",
        "查阅",
        "文件",
        "资料",
        "内容",
        "情况",
        "材料",
        "以及",
        "及其",
        "和",
        "与",
        "或",
        "的",
        "了",
        "是",
        "在",
        "对",
        "为",
        "于",
        "及",
        "其",
        "该",
        "此",
        "等",
        "中",
        "上",
        "下",
        "予以",
        "进行",
        "一份",
        "全部",
        "具体",
        "如下",
        "所需",
        "需要",
        "希望",
        "能否",
        "是否",
        "哪些",
        "什么",
        "多少",
        "如何",
        "怎么",
        "怎样",
        "何时",
        "可以",
        "的话",
        "吗",
        "呢",
        "么",
        "年度",
        "年",
        "月",
        "日",
    ]
)
_TOKEN_OK = re.compile(r"[\w]", re.UNICODE)


def _segment(text: str) -> list[str]:
    import rjieba

    return rjieba.cut_for_search(text)


def words(text: str, segment: Callable[[str], Iterable[str]] | None = None) -> list[str]:
    """Content words of ``text`` (with repeats)."""
    out = []
    for w in (segment or _segment)(normalize(text or "")):
        w = w.strip()
        if len(w) < 2 or w in STOPWORDS or not _TOKEN_OK.search(w) or w.isdigit():
            continue
        out.append(w)
    return out


class TfIdf:
    """Smoothed IDF (``log((1+n)/(1+df)) + 1``), sublinear TF, L2-normalised vectors."""

    def __init__(self, docs: Sequence[Sequence[str]]):
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        self.vocab = {w: i for i, w in enumerate(sorted(df))}
        n = len(docs)
        self.idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in sorted(df)], dtype=float)

    def vector(self, doc: Sequence[str]) -> np.ndarray:
        v = np.zeros(len(self.vocab))
        for w, c in Counter(doc).items():
            i = self.vocab.get(w)
            if i is not None:
                v[i] = (1 + math.log(c)) * self.idf[i]
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def vectors(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        if not docs:
            return np.zeros((0, len(self.vocab)))
        return np.vstack([self.vector(d) for d in docs])


def similarity_matrix(docs: Sequence[Sequence[str]]) -> np.ndarray:
    m = TfIdf(docs).vectors(docs)
    return m @ m.T if len(docs) else np.zeros((0, 0))


@dataclass(frozen=True)
class Item:
    key: int  # e.g. the application id
    applicant: str  # who asked (distinct applicants count, not requests)
    text: str


@dataclass(frozen=True)
class Cluster:
    keys: tuple[int, ...]
    applicants: frozenset[str]
    terms: tuple[str, ...]  # the words most items share (a title for the proposal)

    @property
    def size(self) -> int:
        return len(self.applicants)


def clusters(
    items: Sequence[Item],
    min_similarity: float = 0.5,
    min_applicants: int = 1,
    segment: Callable[[str], Iterable[str]] | None = None,
) -> list[Cluster]:
    """Connected groups of items at least ``min_similarity`` alike (cosine of TF-IDF vectors),
    keeping those with ``min_applicants`` distinct applicants or more; largest first."""
    docs = [words(it.text, segment) for it in items]
    sim = similarity_matrix(docs)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows, cols = np.nonzero(np.triu(sim >= min_similarity, k=1))
    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        if docs[i]:
            groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        applicants = frozenset(items[i].applicant for i in members)
        if len(applicants) < min_applicants:
            continue
        shared = Counter(w for i in members for w in set(docs[i]))
        terms = tuple(
            w for w, c in shared.most_common(6) if c >= max(2, len(members) // 2 + 1) or len(members) == 1
        )
        out.append(Cluster(tuple(sorted(items[i].key for i in members)), applicants, terms))
    return sorted(out, key=lambda c: (-c.size, c.keys))


def rank(query: str, passages: Sequence[str], segment=None, idf_docs: Sequence[Sequence[str]] | None = None):
    """Passages ordered by cosine similarity to ``query`` (TF-IDF fitted on the passages):
    ``[(index, score), …]`` with score > 0, best first; ties keep passage order."""
    docs = [words(p, segment) for p in passages]
    model = TfIdf(idf_docs if idf_docs is not None else docs)
    q = model.vector(words(query, segment))
    if not q.any() or not docs:
        return []
    scores = model.vectors(docs) @ q
    order = sorted(range(len(docs)), key=lambda i: (-scores[i], i))
    return [(i, float(scores[i])) for i in order if scores[i] > 0]
