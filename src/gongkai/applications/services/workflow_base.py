"""Building blocks of the casework workflow (see :mod:`.workflow`): the error, the context an
action's checks and effects see, the table row, and the small helpers the steps share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Role
from gongkai.core.workdays import CalendarNotCovered

from ..models import OPEN_STATES, Application, ApplicationEvent, FeeNotice
from . import deadlines
from .intake import to_date

APPLICANT = "applicant"  # pseudo-role: the applicant acting through the portal (actor=None)


class TransitionError(Exception):
    """An action that may not be performed; ``message`` is Chinese and meant for the user.

    ``code``: ``state`` (not allowed in the current state), ``role`` (the actor lacks the role),
    ``precondition`` (a legal/procedural condition is not met), ``invalid`` (bad input),
    ``unknown`` (no such action).
    """

    def __init__(self, message: str, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass
class Context:
    """What an action's checks and effects see."""

    app: Application
    actor: object | None
    action: str
    reason: str
    effective_date: dt.date
    data: dict
    roles: set[str]
    event_data: dict = field(default_factory=dict)
    letters: list[tuple[str, dict]] = field(default_factory=list)  # (kind, extra) to generate


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Chinese button / timeline label
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    roles: tuple[str, ...]
    check: Callable[[Context], str | None] | None = None  # Chinese message if refused
    apply: Callable[[Context], None] | None = None
    reason_required: str = ""  # Chinese message when a reason is mandatory
    basis: str = ""  # legal basis shown in the UI / docs

    def allows_role(self, roles: set[str]) -> bool:
        return bool(roles & set(self.roles))


OPEN = tuple(OPEN_STATES)


STAFF_ALL = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN)


def _today() -> dt.date:
    return timezone.localdate()


def _date(value, name: str = "日期") -> dt.date | None:
    try:
        return to_date(value)
    except ValueError:
        raise TransitionError(f"{name}格式不正确，应为 YYYY-MM-DD", "invalid") from None


def _calendar():
    return deadlines.get_calendar()


def _add_workdays(start: dt.date, n: int) -> dt.date:
    try:
        return deadlines.add_workdays(start, n)
    except CalendarNotCovered as exc:
        raise TransitionError(str(exc), "precondition") from None


def _close(ctx: Context, outcome: str) -> None:
    ctx.app.outcome = outcome
    ctx.app.closed_on = ctx.effective_date


def _handler_from(ctx: Context):
    value = ctx.data.get("handler")
    if value in (None, ""):
        return None
    User = get_user_model()
    uid = getattr(value, "pk", value)
    try:
        user = User.objects.get(pk=uid)
    except (User.DoesNotExist, ValueError, TypeError):
        raise TransitionError("指定的承办人不存在", field="handler") from None
    if not access.has_role(user, ctx.app.agency_id, Role.HANDLER):
        raise TransitionError("指定的承办人不是本机关的承办人", field="handler")
    return user


def _ensure_handler(ctx: Context) -> None:
    """Every path into 办理中 leaves a responsible handler (承办人): the one chosen in ``data``,
    else the one already assigned, else the acting staff member if a handler; else refused."""
    user = _handler_from(ctx)
    if user is None and ctx.app.handler_id is not None:
        return
    if user is None and Role.HANDLER in ctx.roles:
        user = ctx.actor
    if user is None:
        raise TransitionError("请指定承办人（本申请尚未分配承办人）", "invalid", field="handler")
    ctx.app.handler = user
    ctx.event_data["handler"] = user.pk


def _open_pause(ctx: Context, kind: str) -> None:
    pauses = [list(p) for p in (ctx.app.pauses or [])]
    pauses.append([ctx.effective_date.isoformat(), None])
    ctx.app.pauses = pauses
    ctx.event_data["pause"] = kind


def _close_pause(ctx: Context) -> None:
    pauses = [list(p) for p in (ctx.app.pauses or [])]
    if pauses and pauses[-1][1] is None:
        start = dt.date.fromisoformat(pauses[-1][0])
        if ctx.effective_date < start:
            raise TransitionError(
                f"结束日期不能早于暂停计时开始日期（{start:%Y年%m月%d日}）", field="effective_date"
            )
        pauses[-1] = [pauses[-1][0], ctx.effective_date.isoformat()]
        ctx.app.pauses = pauses


def _expired_message(ctx: Context, what: str) -> str | None:
    """Art. 33 ¶3 excludes time from a RUNNING period: once the deadline has passed nothing can
    pause it (the case stays overdue everywhere)."""
    due = ctx.app.due_date
    if due is not None and ctx.effective_date > due:
        return f"答复期限已于{due:%Y年%m月%d日}届满，期限届满后{what}不能暂停计时（第三十三条第三款），本申请仍为已超期"
    return None


def _last_event(app: Application, action: str) -> ApplicationEvent | None:
    return app.events.filter(action=action).order_by("-seq").first()


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "on", "yes", "是")


def _open_fee_notice(app: Application) -> FeeNotice | None:
    prefetched = getattr(app, "_prefetched_objects_cache", {}).get("fee_notices")
    if prefetched is not None:  # a list query prefetched them: no query per row
        open_ = [n for n in prefetched if n.paid_on is None and n.lapsed_on is None]
        return max(open_, key=lambda n: (n.issued_on, n.pk), default=None)
    return (
        app.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True)
        .order_by("-issued_on", "-pk")
        .first()
    )
