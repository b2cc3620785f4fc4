"""Public consultation on drafts (意见征集) — plain Python, no Django.

Minimum periods (local practice of several provinces' rules on normative documents; the national
source is not verified, so each is a setting): draft rules (规章) at least 30 days; normative
documents (行政规范性文件) at least 7 working days, and at least 30 days where the draft closely
concerns market entities' business. Days are counted from the first day of the period inclusive.

Comments are moderated once: 采纳 (accepted), 合并 (merged into another comment on the same point),
不采纳 (rejected, with a reason). The feedback (采纳情况反馈) is published after the period, once
every comment is moderated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RULE = "rule"
NORMATIVE = "normative"
OTHER = "other"
KIND_CHOICES = [(RULE, "规章"), (NORMATIVE, "行政规范性文件"), (OTHER, "其他政策文件")]
KIND_LABELS = dict(KIND_CHOICES)

DEFAULT_MINIMUMS = {
    "rule_days": 30,
    "normative_workdays": 7,
    "market_days": 30,
    "other_days": 0,
}


@dataclass(frozen=True)
class Minimum:
    amount: int
    unit: str  # "days" | "workdays"

    @property
    def label(self) -> str:
        return f"{self.amount}{'个工作日' if self.unit == 'workdays' else '日'}"


def minimum(kind: str, concerns_market: bool, mins: Mapping[str, int] = DEFAULT_MINIMUMS) -> Minimum:
    """The minimum period for a draft of ``kind``; the longer rule wins when several apply."""
    m = {**DEFAULT_MINIMUMS, **mins}
    if kind == RULE:
        return Minimum(max(m["rule_days"], m["market_days"] if concerns_market else 0), "days")
    if concerns_market:
        return Minimum(m["market_days"], "days")
    if kind == NORMATIVE:
        return Minimum(m["normative_workdays"], "workdays")
    return Minimum(m["other_days"], "days")


def earliest_end(calendar, start: dt.date, need: Minimum) -> dt.date:
    """The first day the period may end: ``start`` counts as day one."""
    if need.amount <= 0:
        return start
    if need.unit == "workdays":
        return calendar.add_workdays(start - dt.timedelta(days=1), need.amount)
    return start + dt.timedelta(days=need.amount - 1)


def period_problem(
    calendar, kind: str, concerns_market: bool, start, end, mins=DEFAULT_MINIMUMS
) -> str | None:
    if start is None or end is None:
        return "请填写征集起止日期"
    if end < start:
        return "截止日期不能早于开始日期"
    need = minimum(kind, concerns_market, mins)
    first = earliest_end(calendar, start, need)
    if end < first:
        why = "（与市场主体经济活动密切相关）" if concerns_market else ""
        return (
            f"{KIND_LABELS.get(kind, '')}{why}征求意见期限不得少于{need.label}，"
            f"自{start:%Y年%m月%d日}起最早截止于{first:%Y年%m月%d日}"
        )
    return None


# -- moderation ----------------------------------------------------------------------------------
RECEIVED = "received"
ACCEPTED = "accepted"
MERGED = "merged"
REJECTED = "rejected"
COMMENT_STATES = [(RECEIVED, "待处理"), (ACCEPTED, "采纳"), (MERGED, "合并处理"), (REJECTED, "不采纳")]
COMMENT_LABELS = dict(COMMENT_STATES)


def moderation_problem(state: str, decision: str, reason: str, merge_target_state: str | None) -> str | None:
    if state != RECEIVED:
        return "该意见已处理，处理结果不能更改"
    if decision not in (ACCEPTED, MERGED, REJECTED):
        return "未知的处理方式"
    if decision == REJECTED and not (reason or "").strip():
        return "不采纳的，应当说明理由"
    if decision == MERGED:
        if merge_target_state is None:
            return "请选择合并到的意见"
        if merge_target_state == MERGED:
            return "不能合并到已合并的意见"
    return None


def feedback_counts(comments: Iterable[tuple[str, str | None]]) -> dict[str, int]:
    """``comments``: (state, the state of the comment it was merged into or None). A merged
    comment is adopted when the comment it joined was."""
    out = {"received": 0, "adopted": 0, "not_adopted": 0, "merged": 0, "pending": 0}
    for state, target in comments:
        out["received"] += 1
        if state == MERGED:
            out["merged"] += 1
            state = target or RECEIVED
        if state == ACCEPTED:
            out["adopted"] += 1
        elif state == REJECTED:
            out["not_adopted"] += 1
        else:
            out["pending"] += 1
    return out


# -- lifecycle ------------------------------------------------------------------------------------
DRAFT = "draft"
OPEN = "open"
CLOSED = "closed"
FEEDBACK = "feedback_published"
STATE_CHOICES = [(DRAFT, "准备中"), (OPEN, "征集中"), (CLOSED, "已截止"), (FEEDBACK, "已反馈")]
STATE_LABELS = dict(STATE_CHOICES)


def effective_state(state: str, ends_on: dt.date | None, today: dt.date) -> str:
    """An open consultation whose period has ended reads as closed (no comments accepted)."""
    if state == OPEN and ends_on is not None and today > ends_on:
        return CLOSED
    return state


def feedback_problem(state: str, ends_on: dt.date, today: dt.date, pending: int, summary: str) -> str | None:
    st = effective_state(state, ends_on, today)
    if st == FEEDBACK:
        return "采纳情况已反馈"
    if st != CLOSED:
        return "征集期结束后才能发布采纳情况反馈"
    if pending:
        return f"还有 {pending} 条意见未处理"
    if not (summary or "").strip():
        return "请填写采纳情况说明"
    return None
