"""Questions answered from the policy base: retrieval of passages (no generated text).

The corpus is every passage of the documents in force (published, 现行有效) and every question–
answer pair and paragraph of published interpretations. It is built in the process and kept
until the corpus changes (a cheap fingerprint query per question: counts and last changes).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.db.models import Count, F, Max, Sum
from django.urls import reverse
from django.utils import timezone

from gongkai.core import interpretation_rules as irules
from gongkai.core import passages as ps
from gongkai.core import record_lifecycle as lc
from gongkai.core.search_text import normalize
from gongkai.core.text_cluster import words

from .models import HIDDEN, PINNED, QUESTION, SEARCH, Curation, QueryLog

WINDOW_DAYS = 90


@dataclass(frozen=True)
class Passage:
    text: str
    title: str
    date: dt.date | None
    url: str
    source: str  # 政策文件 · 政策解读
    doc_key: str  # records.record:<id> / interpretations.interpretation:<id>


_lock = threading.Lock()
_cache: dict = {"key": None, "passages": [], "index": None}


def _fingerprint():
    from gongkai.interpretations.models import Interpretation
    from gongkai.records.models import Record

    r = Record.objects.filter(state=lc.PUBLISHED, validity=lc.IN_FORCE).aggregate(
        n=Count("pk"), t=Max("updated_at")
    )
    i = Interpretation.objects.filter(state=irules.PUBLISHED).aggregate(n=Count("pk"), t=Max("updated_at"))
    return (r["n"], r["t"], i["n"], i["t"])


def _build() -> list[Passage]:
    from gongkai.interpretations.models import Interpretation
    from gongkai.records.models import Record

    out: list[Passage] = []
    for r in Record.objects.filter(state=lc.PUBLISHED, validity=lc.IN_FORCE).only(
        "pk", "title", "body", "summary", "published_on"
    ):
        url = reverse("column:document", args=[r.pk])
        for text in ps.split(r.body) or ([r.summary] if r.summary else []):
            out.append(Passage(text, r.title, r.published_on, url, "政策文件", f"records.record:{r.pk}"))
    for i in Interpretation.objects.filter(state=irules.PUBLISHED).prefetch_related("qa_pairs"):
        url = reverse("interpretations:detail", args=[i.pk])
        for p in i.qa_pairs.all():
            out.append(
                Passage(
                    f"问：{p.question}\n答：{p.answer}",
                    i.title,
                    i.published_on,
                    url,
                    "政策解读",
                    f"interpretations.interpretation:{i.pk}",
                )
            )
        for text in ps.split(i.body):
            out.append(
                Passage(
                    text, i.title, i.published_on, url, "政策解读", f"interpretations.interpretation:{i.pk}"
                )
            )
    return out


def corpus():
    key = _fingerprint()
    with _lock:
        if _cache["key"] != key:
            passages = _build()
            _cache.update(
                key=key,
                passages=passages,
                index=ps.BM25([words(p.text) for p in passages], [words(p.title) for p in passages]),
            )
        return _cache["passages"], _cache["index"]


def answer(question: str, k: int = 5) -> list[tuple[Passage, float]]:
    passages, index = corpus()
    return [(passages[s.index], s.score) for s in index.search(words(question), k)]


def answer_documents(question: str, k: int = 5) -> list[str]:
    """The distinct documents of the best passages, best first (for evaluation)."""
    passages, index = corpus()
    out: list[str] = []
    for s in index.search(words(question), k * 4):
        key = passages[s.index].doc_key
        if key not in out:
            out.append(key)
        if len(out) == k:
            break
    return out


# -- 猜您想问 ---------------------------------------------------------------------------------------
def _clean(text: str) -> str:
    return normalize(text or "").strip()[:200]


def log(kind: str, text: str) -> None:
    text = _clean(text)
    if len(text) < 2:
        return
    day = timezone.localdate()
    row, _ = QueryLog.objects.get_or_create(day=day, kind=kind, text=text)
    QueryLog.objects.filter(pk=row.pk).update(count=F("count") + 1)


def log_search(request, query: str) -> None:
    log(SEARCH, query)


def top(kind: str, n: int = 10, days: int = WINDOW_DAYS, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    hidden = set(Curation.objects.filter(kind=kind, state=HIDDEN).values_list("text", flat=True))
    rows = (
        QueryLog.objects.filter(kind=kind, day__gt=today - dt.timedelta(days=days), day__lte=today)
        .values("text")
        .annotate(total=Sum("count"))
        .order_by("-total", "text")
    )
    return [r for r in rows[: n + len(hidden)] if r["text"] not in hidden][:n]


def suggestions(n: int = 10) -> list[str]:
    """猜您想问: pinned questions first, then the most asked of the last 90 days."""
    pinned = list(Curation.objects.filter(kind=QUESTION, state=PINNED).values_list("text", flat=True))
    asked = [r["text"] for r in top(QUESTION, n) if r["text"] not in pinned]
    return (pinned + asked)[:n]
