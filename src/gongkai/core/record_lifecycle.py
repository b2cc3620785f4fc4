"""Lifecycle of a government information record (政府信息记录) — plain Python, no Django.

One table, :data:`TRANSITIONS`, declares every action: the states it may start from, the state it
leads to, the agency roles that may perform it and its preconditions. The Django side
(``gongkai.records.services.lifecycle.transition``) is the single write path that applies it in one
transaction and appends an immutable event.

Flow (Regulation Arts. 17–26; the 联审 checklist of the Fengtai 2023 seed)::

    draft ─decide_attribute─▶ attribute_decided      公开属性源头认定 (主动/依申请/不予公开 + reason + basis)
    attribute_decided ─submit_review─▶ in_review      送审
    in_review ─approve─▶ approved                     保密审查 (Art. 17) + 联审 checklist
    in_review ─return_to_draft─▶ draft                退回修改 (reason)
    approved ─publish─▶ published                     主动公开 (索引号 allocated; Art. 26 clock)
    approved ─withhold─▶ withheld                     依申请公开 / 不予公开: kept, not published
    withheld ─reassess─▶ withheld | approved          Art. 18 re-assessment (keep / now disclose)
    published ─amend─▶ amended                        已修改 (replaced by a later record)
    published | amended ─repeal─▶ repealed            已废止
    published | amended ─expire─▶ expired             已失效

Checks receive ``rec`` (a mapping of the record's field values) and ``data`` (the action's input)
and return a Chinese message when the action is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

# -- vocabulary ---------------------------------------------------------------------------------
DRAFT = "draft"
ATTRIBUTE_DECIDED = "attribute_decided"
IN_REVIEW = "in_review"
APPROVED = "approved"
PUBLISHED = "published"
WITHHELD = "withheld"
AMENDED = "amended"
REPEALED = "repealed"
EXPIRED = "expired"

STATE_CHOICES = [
    (DRAFT, "起草"),
    (ATTRIBUTE_DECIDED, "公开属性已认定"),
    (IN_REVIEW, "审查中"),
    (APPROVED, "已审定待发布"),
    (PUBLISHED, "已公开"),
    (WITHHELD, "未主动公开"),
    (AMENDED, "已修改"),
    (REPEALED, "已废止"),
    (EXPIRED, "已失效"),
]
STATE_LABELS = dict(STATE_CHOICES)
# Before publication: the Art. 26 clock runs for 主动公开 records in these states.
UNPUBLISHED_STATES = (DRAFT, ATTRIBUTE_DECIDED, IN_REVIEW, APPROVED)
# Published at some time (on the column, possibly with an effectiveness banner).
DISCLOSED_STATES = (PUBLISHED, AMENDED, REPEALED, EXPIRED)
# Issued documents: counted in the annual report's Section 2.
ISSUED_STATES = (APPROVED, WITHHELD, *DISCLOSED_STATES)

# 公开属性 (decided at the source, 源头认定)
PROACTIVE = "proactive"
ON_REQUEST = "on_request"
NOT_DISCLOSED = "not_disclosed"
ATTRIBUTE_CHOICES = [(PROACTIVE, "主动公开"), (ON_REQUEST, "依申请公开"), (NOT_DISCLOSED, "不予公开")]

# 有效性
IN_FORCE = "in_force"
VALIDITY_AMENDED = "amended"
VALIDITY_REPEALED = "repealed"
VALIDITY_EXPIRED = "expired"
VALIDITY_CHOICES = [
    (IN_FORCE, "现行有效"),
    (VALIDITY_AMENDED, "已修改"),
    (VALIDITY_REPEALED, "已废止"),
    (VALIDITY_EXPIRED, "已失效"),
]

# Record categories. Section 2 of the annual report counts the first two (row keys of the 2021
# template's Art. 20(1) table); policy documents need an interpretation (政策解读).
RULE = "rule"
NORMATIVE = "normative"
POLICY = "policy"
OTHER = "other"
CATEGORY_CHOICES = [
    (RULE, "规章"),
    (NORMATIVE, "行政规范性文件"),
    (POLICY, "其他政策文件"),
    (OTHER, "其他政府信息"),
]
SECTION2_ROWS = {RULE: "rules", NORMATIVE: "admin_normative_docs"}
POLICY_CATEGORIES = (RULE, NORMATIVE, POLICY)

# Art. 20 items (第二十条第（一）至（十五）项) and Art. 21 (第二十一条).
ART_ITEM_CHOICES = [
    ("20-1", "第二十条第（一）项 行政法规、规章和规范性文件"),
    ("20-2", "第二十条第（二）项 机关职能、机构设置等"),
    ("20-3", "第二十条第（三）项 规划及相关政策"),
    ("20-4", "第二十条第（四）项 统计信息"),
    ("20-5", "第二十条第（五）项 行政许可和其他对外管理服务事项"),
    ("20-6", "第二十条第（六）项 行政处罚、行政强制"),
    ("20-7", "第二十条第（七）项 财政预算、决算"),
    ("20-8", "第二十条第（八）项 行政事业性收费"),
    ("20-9", "第二十条第（九）项 政府集中采购"),
    ("20-10", "第二十条第（十）项 重大建设项目"),
    ("20-11", "第二十条第（十一）项 扶贫、教育、医疗、社会保障、促进就业"),
    ("20-12", "第二十条第（十二）项 突发公共事件应急"),
    ("20-13", "第二十条第（十三）项 监督检查情况"),
    ("20-14", "第二十条第（十四）项 公务员招考"),
    ("20-15", "第二十条第（十五）项 其他应当主动公开的信息"),
    ("21", "第二十一条 本地方其他主动公开信息"),
]

# 文种 (党政机关公文处理工作条例 第八条) plus the forms rules and normative documents take.
DOC_TYPE_CHOICES = [
    (t, t)
    for t in (
        "决议",
        "决定",
        "命令（令）",
        "公报",
        "公告",
        "通告",
        "意见",
        "通知",
        "通报",
        "报告",
        "请示",
        "批复",
        "议案",
        "函",
        "纪要",
        "办法",
        "规定",
        "细则",
        "方案",
        "规划",
        "其他",
    )
]

# 公开方式 (channel; Regulation Arts. 23–25)
DISCLOSURE_MODE_CHOICES = [
    ("website", "政府网站"),
    ("gazette", "政府公报"),
    ("new_media", "互联网政务媒体"),
    ("press", "新闻发布会"),
    ("media", "报刊、广播、电视"),
    ("venue", "查阅场所、公告栏"),
]

# Roles (the values of gongkai.agencies.models.Role)
HANDLER, REVIEWER, HEAD, ADMIN, REGISTRAR = "handler", "reviewer", "head", "admin", "registrar"
DRAFTERS = (HANDLER, ADMIN, REGISTRAR)
REVIEWERS = (REVIEWER, HEAD)
PUBLISHERS = (HANDLER, HEAD, ADMIN)


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _as_date(v) -> dt.date | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v).strip())


def _truthy(v) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in {"1", "true", "yes", "on", "是"}
    return bool(v)


# -- checks -------------------------------------------------------------------------------------
Check = Callable[[Mapping, Mapping], "str | None"]


def check_metadata(rec: Mapping, data: Mapping) -> str | None:
    missing = [label for key, label in (("title", "标题"), ("category", "信息类别")) if _blank(rec.get(key))]
    if missing:
        return f"请先填写{'、'.join(missing)}"
    return None


def check_attribute(rec: Mapping, data: Mapping) -> str | None:
    attribute = data.get("disclosure_attribute") or rec.get("disclosure_attribute")
    if attribute not in dict(ATTRIBUTE_CHOICES):
        return "请选择公开属性（主动公开、依申请公开或不予公开）"
    if attribute != PROACTIVE:
        reason = data.get("attribute_reason", rec.get("attribute_reason"))
        basis = data.get("attribute_basis", rec.get("attribute_basis"))
        if _blank(reason) or _blank(basis):
            return f"公开属性为“{dict(ATTRIBUTE_CHOICES)[attribute]}”的，应当写明理由和法律依据"
    return None


def check_secrecy_review(rec: Mapping, data: Mapping) -> str | None:
    if not _truthy(data.get("secrecy_reviewed", rec.get("secrecy_reviewed"))):
        return "尚未完成保密审查（条例第十七条），不能审定"
    return None


def check_joint_review(rec: Mapping, data: Mapping) -> str | None:
    """The 联审 checklist: consultation held or reason; interpretation ready or reason (policy
    documents); legal basis for anything not proactively disclosed (see :func:`check_attribute`)."""
    if rec.get("category") in POLICY_CATEGORIES:
        held = _truthy(data.get("consultation_held", rec.get("consultation_held")))
        if not held and _blank(data.get("consultation_note", rec.get("consultation_note"))):
            return "联审清单：未征求意见的，应当说明理由"
        ready = _truthy(data.get("interpretation_ready", rec.get("interpretation_ready")))
        if not ready and _blank(data.get("interpretation_note", rec.get("interpretation_note"))):
            return "联审清单：政策解读未同步准备的，应当说明理由"
    return check_attribute(rec, data)


def check_proactive(rec: Mapping, data: Mapping) -> str | None:
    if rec.get("disclosure_attribute") != PROACTIVE:
        label = dict(ATTRIBUTE_CHOICES).get(rec.get("disclosure_attribute"), "未认定")
        return f"公开属性为“{label}”，不能主动公开"
    on = _as_date(data.get("date"))
    written = _as_date(rec.get("written_on"))
    if on and written and on < written:
        return "发布日期不能早于成文日期"
    return None


def check_not_proactive(rec: Mapping, data: Mapping) -> str | None:
    if rec.get("disclosure_attribute") == PROACTIVE:
        return "公开属性为“主动公开”的信息应当发布，不能留存不公开"
    return None


def check_replaced_by(rec: Mapping, data: Mapping) -> str | None:
    if _blank(data.get("replaced_by")):
        return "请选择修改后的文件（替代文件）"
    if str(data.get("replaced_by")) == str(rec.get("id")):
        return "替代文件不能是文件本身"
    return None


def check_end_date(rec: Mapping, data: Mapping) -> str | None:
    on = _as_date(data.get("date"))
    published = _as_date(rec.get("published_on"))
    if on and published and on < published:
        return "修改、废止或失效日期不能早于发布日期"
    return None


def check_reassessment(rec: Mapping, data: Mapping) -> str | None:
    if data.get("decision") not in ("keep", "disclose"):
        return "请选择复核结论：继续不予主动公开，或转为主动公开"
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Chinese button / timeline label
    sources: tuple[str, ...]
    target: str | None  # None: decided by the action (reassess)
    roles: tuple[str, ...]
    checks: tuple[Check, ...] = ()
    reason_required: str = ""  # Chinese message when a reason is mandatory
    basis: str = ""

    def allows_role(self, roles: Iterable[str]) -> bool:
        return bool(set(roles) & set(self.roles))


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "decide_attribute",
            "认定公开属性",
            (DRAFT,),
            ATTRIBUTE_DECIDED,
            DRAFTERS,
            (check_metadata, check_attribute),
            basis="公开属性源头认定",
        ),
        Transition("submit_review", "提交审查", (ATTRIBUTE_DECIDED,), IN_REVIEW, DRAFTERS, (check_metadata,)),
        Transition(
            "approve",
            "审查通过",
            (IN_REVIEW,),
            APPROVED,
            REVIEWERS,
            (check_secrecy_review, check_joint_review),
            basis="条例第十七条（保密审查）",
        ),
        Transition(
            "return_to_draft",
            "退回修改",
            (IN_REVIEW, ATTRIBUTE_DECIDED),
            DRAFT,
            (*REVIEWERS, *DRAFTERS),
            reason_required="请说明退回修改的理由",
        ),
        Transition(
            "publish", "发布", (APPROVED,), PUBLISHED, PUBLISHERS, (check_proactive,), basis="条例第二十六条"
        ),
        Transition(
            "withhold",
            "留存不主动公开",
            (APPROVED,),
            WITHHELD,
            PUBLISHERS,
            (check_not_proactive,),
            basis="条例第十四条至第十六条",
        ),
        Transition(
            "reassess",
            "定期复核",
            (WITHHELD,),
            None,
            (*REVIEWERS, ADMIN),
            (check_reassessment,),
            reason_required="请写明复核理由",
            basis="条例第十八条",
        ),
        Transition(
            "amend",
            "标注已修改",
            (PUBLISHED,),
            AMENDED,
            PUBLISHERS,
            (check_replaced_by, check_end_date),
            basis="条例第二十六条（信息变更）",
        ),
        Transition(
            "repeal",
            "废止",
            (PUBLISHED, AMENDED),
            REPEALED,
            PUBLISHERS,
            (check_end_date,),
            reason_required="请写明废止的理由或依据",
        ),
        Transition(
            "expire",
            "标注失效",
            (PUBLISHED, AMENDED),
            EXPIRED,
            PUBLISHERS,
            (check_end_date,),
            reason_required="请写明失效的理由（如有效期届满）",
        ),
    ]
}

# Validity after an end-of-life action.
VALIDITY_AFTER = {"amend": VALIDITY_AMENDED, "repeal": VALIDITY_REPEALED, "expire": VALIDITY_EXPIRED}


@dataclass(frozen=True)
class Refusal:
    code: str  # unknown | state | role | precondition | invalid
    message: str


def refusal(
    action: str,
    state: str,
    roles: Iterable[str],
    rec: Mapping,
    data: Mapping,
    reason: str = "",
    extra_checks: Iterable[Check] = (),
) -> Refusal | None:
    """Why ``action`` may not be performed now (``None``: allowed). Order: action, state, role,
    reason, preconditions (the table's, then ``extra_checks``, e.g. other apps' registered ones)."""
    t = TRANSITIONS.get(action)
    if t is None:
        return Refusal("unknown", f"未知的操作：{action}")
    if state not in t.sources:
        return Refusal("state", f"当前状态“{STATE_LABELS.get(state, state)}”下不能“{t.label}”")
    if not t.allows_role(roles):
        return Refusal("role", f"您在本机关没有“{t.label}”的权限")
    if t.reason_required and _blank(reason):
        return Refusal("invalid", t.reason_required)
    for check in (*t.checks, *extra_checks):
        try:
            message = check(rec, data)
        except ValueError:
            message = "日期格式不正确，应为 YYYY-MM-DD"
        if message:
            return Refusal("precondition", message)
    return None


def available_actions(state: str, roles: Iterable[str]) -> list[Transition]:
    """Actions offered in ``state`` to someone with ``roles`` (preconditions not yet checked)."""
    roles = set(roles)
    return [t for t in TRANSITIONS.values() if state in t.sources and t.allows_role(roles)]


# -- Art. 26 clock -----------------------------------------------------------------------------
PUBLISH_WORKDAYS = 20  # Art. 26: within 20 working days of being formed or changed


def publish_due(calendar, formed_on: dt.date, workdays: int = PUBLISH_WORKDAYS) -> dt.date:
    """Last day to publish (Art. 26): the ``workdays``-th working day after ``formed_on`` (the day
    itself not counted, as for applications). Raises ``CalendarNotCovered`` when unknown."""
    return calendar.add_workdays(formed_on, workdays)


def clock_status(
    due: dt.date | None,
    today: dt.date,
    *,
    published_on: dt.date | None = None,
    days_left: int | None = None,
    soon: int = 5,
) -> str:
    """``published`` · ``published_late`` · ``overdue`` · ``due_soon`` · ``running`` · ``unknown``.
    ``days_left``: working days from today to ``due`` (computed by the caller's calendar)."""
    if published_on is not None:
        return "published_late" if due is not None and published_on > due else "published"
    if due is None:
        return "unknown"
    if today > due:
        return "overdue"
    if days_left is not None and days_left <= soon:
        return "due_soon"
    return "running"


CLOCK_LABELS = {
    "published": "按时公开",
    "published_late": "逾期公开",
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "running": "期限内",
    "unknown": "期限无法计算",
}


# -- 索引号 -------------------------------------------------------------------------------------
DEFAULT_INDEX_PATTERN = "{issuer_code}/{year}-{serial:05d}"


def format_index_number(pattern: str, issuer_code: str, year: int, serial: int) -> str:
    """``000014349/2026-00110`` with the default pattern (gov.cn style)."""
    return pattern.format(issuer_code=issuer_code, year=year, serial=serial)


# -- periodic review (政策性文件清理) and Art. 18 re-assessment -----------------------------------
CLEANUP_DECISIONS = [
    ("keep", "继续有效"),
    ("amend", "修改"),
    ("repeal", "废止"),
    ("expire", "失效"),
]


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def review_overdue(
    last_reviewed: dt.date | None, written_on: dt.date | None, today: dt.date, months: int
) -> bool:
    """A document in force whose last review (or, never reviewed, its 成文日期) is more than
    ``months`` ago is due for clean-up review."""
    since = last_reviewed or written_on
    return since is not None and add_months(since, months) < today
