"""Daily deadline digest (期限提醒): per handler, the open cases due within 3 working days or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from gongkai.core.workdays import CalendarNotCovered

from ..models import OPEN_STATES, Application
from . import deadlines

UNASSIGNED = "（未指定承办人）"


@dataclass
class DigestItem:
    application_id: int
    tracking_number: str
    agency: str
    state: str
    state_label: str
    due_date: dt.date | None
    workdays_left: int | None  # 0 = due today (or passed with no working day since), negative = overdue
    note: str = ""
    provisional: bool = False  # due date computed before the year's holiday notice (暂定)
    today: dt.date | None = None

    @property
    def overdue(self) -> bool:
        """A deadline that has passed is overdue whatever today is (also on a weekend right after
        a Friday deadline, when no working day has passed since)."""
        if self.due_date is not None and self.today is not None:
            return self.due_date < self.today
        return self.workdays_left is not None and self.workdays_left < 0


@dataclass
class HandlerDigest:
    handler_id: int | None
    handler_name: str
    email: str
    items: list[DigestItem] = field(default_factory=list)

    @property
    def overdue(self) -> list[DigestItem]:
        return [i for i in self.items if i.overdue]

    @property
    def due_soon(self) -> list[DigestItem]:
        return [i for i in self.items if not i.overdue]


def deadline_digest(
    today: dt.date | None = None, *, within: int = deadlines.SOON_WORKDAYS, agency_ids=None
) -> list[HandlerDigest]:
    """Open cases whose answer deadline is within ``within`` working days after ``today`` or has
    passed, plus cases whose deadline cannot be computed (calendar year missing), grouped by
    handler (unassigned cases last). Cases whose clock is stopped are not listed."""
    today = today or timezone.localdate()
    cal = deadlines.get_calendar()
    qs = (
        Application.objects.filter(state__in=OPEN_STATES)
        .select_related("agency", "handler")
        .order_by("due_date", "pk")
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    try:
        horizon = cal.add_workdays(today, within)
    except CalendarNotCovered:
        horizon = today + dt.timedelta(days=within * 3)
    qs = qs.exclude(due_date__gt=horizon)  # keeps null due dates (errors), filtered below
    labels = dict(Application._meta.get_field("state").choices)
    groups: dict[int | None, HandlerDigest] = {}
    for app in qs:
        note = ""
        left = None
        if app.due_date is None:
            if not app.due_date_error:
                continue  # clock stopped (correction / consultation / fee): nothing due
            note = app.due_date_error
        else:
            try:
                left = (
                    cal.workdays_between(today, app.due_date)
                    if app.due_date >= today
                    else -cal.workdays_between(app.due_date, today)
                )
            except CalendarNotCovered as exc:
                note = str(exc)
            if left is not None and left > within:
                continue
        h = app.handler
        key = h.pk if h else None
        if key not in groups:
            name = (h.get_full_name() or h.get_username()) if h else UNASSIGNED
            groups[key] = HandlerDigest(key, name, getattr(h, "email", "") if h else "")
        groups[key].items.append(
            DigestItem(
                app.pk,
                app.tracking_number,
                app.agency.name,
                app.state,
                str(labels.get(app.state, app.state)),
                app.due_date,
                left,
                note,
                app.due_date_provisional,
                today,
            )
        )
    return sorted(groups.values(), key=lambda g: (g.handler_id is None, g.handler_name))


def _line(i: DigestItem) -> str:
    due = f"{i.due_date:%Y年%m月%d日}" if i.due_date else "无法计算"
    if i.due_date and i.provisional:
        due += "（暂定）"
    if i.workdays_left is None and not i.overdue:
        status = i.note or "期限待定"
    elif i.overdue:
        status = overdue_label(i.workdays_left)
    elif i.workdays_left == 0:
        status = "今日到期"
    else:
        status = f"剩余{i.workdays_left}个工作日"
    return f"  {i.tracking_number}　{i.agency}　{i.state_label}　答复期限：{due}　{status}"


def overdue_label(workdays_left: int | None) -> str:
    """「已超期N个工作日」, or 「已超期」 when no working day has passed since the deadline."""
    n = -workdays_left if workdays_left is not None else 0
    return f"已超期{n}个工作日" if n > 0 else "已超期（期限已届满）"


def format_digest(groups: list[HandlerDigest], today: dt.date | None = None) -> str:
    """Chinese plain-text digest (management command output and e-mail body)."""
    today = today or timezone.localdate()
    lines = [f"政府信息公开申请答复期限提醒（{today:%Y年%m月%d日}）"]
    if not groups:
        lines.append("没有3个工作日内到期或已超期的申请。")
        return "\n".join(lines)
    total = sum(len(g.items) for g in groups)
    overdue = sum(len(g.overdue) for g in groups)
    lines.append(f"共{total}件，其中已超期{overdue}件。")
    for g in groups:
        lines.append("")
        lines.append(f"承办人：{g.handler_name}（{len(g.items)}件）")
        if g.overdue:
            lines.append(" 已超期：")
            lines.extend(_line(i) for i in g.overdue)
        if g.due_soon:
            lines.append(" 即将到期：")
            lines.extend(_line(i) for i in g.due_soon)
    if any(i.provisional for g in groups for i in g.items):
        from gongkai.core.workdays import PROVISIONAL_NOTE

        lines += ["", f"注：标注“暂定”的期限——{PROVISIONAL_NOTE}。"]
    return "\n".join(lines)
