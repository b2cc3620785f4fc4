"""Policy interpretation (政策解读) — plain Python, no Django.

- The lifecycle of an interpretation: one table, :data:`TRANSITIONS` (draft → in_review →
  published; returned to draft with a reason; a published one may be withdrawn with a reason).
- 「三同步」: a document that requires an interpretation (a setting per document category; default
  行政规范性文件 and 其他政策文件) should be released with one; where it cannot be simultaneous, within
  a configured number of working days after the document (default 3, local practice — Guangzhou
  穗府办函〔2017〕313号, Zhengzhou 2016 — the national source is unverified, hence a setting).
  :func:`sync_status` classifies one document from its publication date and its first
  interpretation's publication date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DRAFT = "draft"
IN_REVIEW = "in_review"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
STATE_CHOICES = [(DRAFT, "起草"), (IN_REVIEW, "审核中"), (PUBLISHED, "已发布"), (WITHDRAWN, "已撤回")]
STATE_LABELS = dict(STATE_CHOICES)

TEXT = "text"
GRAPHIC = "graphic"
MEDIA = "media"
QA = "qa"
FORM_CHOICES = [(TEXT, "文字解读"), (GRAPHIC, "图解"), (MEDIA, "音视频解读"), (QA, "简明问答")]
FORM_LABELS = dict(FORM_CHOICES)

HANDLER, REVIEWER, HEAD, ADMIN, REGISTRAR = "handler", "reviewer", "head", "admin", "registrar"
AUTHORS = (HANDLER, ADMIN, REGISTRAR)
REVIEWERS = (REVIEWER, HEAD)

DEFAULT_LIMIT_WORKDAYS = 3
DEFAULT_REQUIRED_CATEGORIES = ("normative", "policy")


def content_problem(item: dict) -> str | None:
    """What an interpretation of its form lacks before review (``item``: form, body, images
    (list of alt texts), media (file or link present), transcript, qa (count), records (count))."""
    if not item.get("records"):
        return "请关联至少一份被解读的文件"
    form = item.get("form")
    if form == TEXT and not (item.get("body") or "").strip():
        return "文字解读应当有解读正文"
    if form == GRAPHIC:
        alts = item.get("images") or []
        if not alts:
            return "图解应当至少上传一张图片"
        if any(not (a or "").strip() for a in alts):
            return "每张图片都应当填写替代文字（供读屏软件朗读）"
    if form == MEDIA:
        if not item.get("media"):
            return "音视频解读应当上传文件或填写链接"
        if not (item.get("transcript") or "").strip():
            return "音视频解读应当附文字稿"
    if form == QA and not item.get("qa"):
        return "简明问答应当至少有一组问答"
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_content: bool = False
    reason_required: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", "提交审核", (DRAFT,), IN_REVIEW, AUTHORS, needs_content=True),
        Transition("return", "退回修改", (IN_REVIEW,), DRAFT, REVIEWERS, reason_required="请说明退回的理由"),
        Transition("publish", "审核通过并发布", (IN_REVIEW,), PUBLISHED, REVIEWERS, needs_content=True),
        Transition(
            "withdraw", "撤回", (PUBLISHED,), WITHDRAWN, REVIEWERS, reason_required="请说明撤回的理由"
        ),
    ]
}


def refusal(action: str, state: str, roles: Iterable[str], item: dict, reason: str) -> str | None:
    t = TRANSITIONS.get(action)
    if t is None:
        return "未知操作"
    if state not in t.sources:
        return f"当前状态“{STATE_LABELS.get(state, state)}”下不能{t.label}"
    if not set(roles) & set(t.roles):
        return f"您在本机关没有“{t.label}”的权限"
    if t.reason_required and not (reason or "").strip():
        return t.reason_required
    if t.needs_content:
        return content_problem(item)
    return None


def available(state: str, roles: Iterable[str]) -> list[Transition]:
    have = set(roles)
    return [t for t in TRANSITIONS.values() if state in t.sources and have & set(t.roles)]


# -- 三同步 ----------------------------------------------------------------------------------------
SAME_DAY = "same_day"
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
NOT_REQUIRED = "not_required"
SYNC_LABELS = {
    SAME_DAY: "同步解读",
    ON_TIME: "限期内解读",
    LATE: "解读滞后",
    MISSING: "缺少解读",
    PENDING: "待解读（未超期）",
    NOT_REQUIRED: "无需解读",
}
FLAGGED = (LATE, MISSING)


@dataclass(frozen=True)
class SyncState:
    status: str
    due: dt.date | None  # the last day an interpretation is on time
    lag_workdays: int | None = None  # working days between document and interpretation

    @property
    def label(self) -> str:
        return SYNC_LABELS[self.status]

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


def sync_status(
    calendar,
    doc_published: dt.date,
    interp_published: dt.date | None,
    today: dt.date,
    limit_workdays: int = DEFAULT_LIMIT_WORKDAYS,
    required: bool = True,
) -> SyncState:
    """三同步 status of one document. An interpretation published on or before the document's
    day is 同步; within ``limit_workdays`` working days after it is on time; later is late. With
    none: missing once the limit has passed (the due day itself still counts as on time)."""
    if not required:
        return SyncState(NOT_REQUIRED, None)
    due = calendar.add_workdays(doc_published, limit_workdays) if limit_workdays > 0 else doc_published
    if interp_published is None:
        return SyncState(MISSING if today > due else PENDING, due)
    if interp_published <= doc_published:
        return SyncState(SAME_DAY, due, 0)
    lag = calendar.workdays_between(doc_published, interp_published)
    return SyncState(ON_TIME if interp_published <= due else LATE, due, lag)


def tally(states: Iterable[SyncState]) -> dict[str, int]:
    """Counts per status plus ``required`` (documents needing one) and ``flagged``."""
    out = dict.fromkeys(SYNC_LABELS, 0)
    for s in states:
        out[s.status] += 1
    out["required"] = sum(v for k, v in out.items() if k in SYNC_LABELS and k != NOT_REQUIRED)
    out["flagged"] = out[LATE] + out[MISSING]
    return out
