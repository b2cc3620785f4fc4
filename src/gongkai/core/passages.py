"""Questions answered from the policy base (问答): passages of documents and their ranking —
plain Python, no Django, no model: retrieval only, nothing is generated.

- :func:`split` cuts a document body into passages: an article (第X条), a numbered item (一、 /
  （一）) or a paragraph starts a passage; short neighbours are joined, long ones cut at sentence
  ends, so each passage is a readable answer of about ``max_chars``.
- :class:`BM25` ranks passages for a question's content words (Okapi BM25, k1 = 1.2, b = 0.75);
  the document title's words count as part of every passage of that document (weight
  ``title_weight``), so a question naming the policy finds it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

_START = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+[条章节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])"
)
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


def split(body: str, max_chars: int = 300, min_chars: int = 40) -> list[str]:
    lines = [ln.strip() for ln in (body or "").splitlines() if ln.strip()]
    blocks: list[str] = []
    for ln in lines:
        if blocks and not _START.match(ln) and len(blocks[-1]) < min_chars:
            blocks[-1] += ln
        else:
            blocks.append(ln)
    out: list[str] = []
    for b in blocks:
        if len(b) <= max_chars:
            out.append(b)
            continue
        cur = ""
        for sent in _SENTENCE_END.split(b):
            if cur and len(cur) + len(sent) > max_chars:
                out.append(cur)
                cur = ""
            cur += sent
        if cur:
            out.append(cur)
    return out


@dataclass(frozen=True)
class Scored:
    index: int
    score: float


class BM25:
    def __init__(
        self,
        docs: Sequence[Sequence[str]],
        titles: Sequence[Sequence[str]] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        title_weight: float = 1.0,
    ):
        self.k1, self.b = k1, b
        self.n = len(docs)
        self.tf: list[Counter[str]] = []
        self.lengths: list[float] = []
        for i, d in enumerate(docs):
            tf = Counter(d)
            if titles is not None:
                for w in set(titles[i]):
                    tf[w] += title_weight
            self.tf.append(tf)
            self.lengths.append(sum(tf.values()))
        self.avg = (sum(self.lengths) / self.n) if self.n else 0.0
        df: Counter[str] = Counter()
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, tf in enumerate(self.tf):
            for w in tf:
                df[w] += 1
                self.postings[w].append(i)
        self.idf = {w: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for w, f in df.items()}

    def score(self, query: Sequence[str], i: int) -> float:
        tf, length = self.tf[i], self.lengths[i]
        s = 0.0
        for w in set(query):
            f = tf.get(w)
            if not f:
                continue
            s += (
                self.idf[w]
                * f
                * (self.k1 + 1)
                / (f + self.k1 * (1 - self.b + self.b * length / (self.avg or 1)))
            )
        return s

    def search(self, query: Sequence[str], k: int = 10) -> list[Scored]:
        candidates = {i for w in set(query) for i in self.postings.get(w, ())}
        scored = [Scored(i, self.score(query, i)) for i in candidates]
        scored.sort(key=lambda s: (-s.score, s.index))
        return [s for s in scored[:k] if s.score > 0]
