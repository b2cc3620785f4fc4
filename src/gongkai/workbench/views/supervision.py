"""Supervision dashboard (监督概览): casework figures per agency of a supervised subtree.

Who sees what: a supervisor (监督人员) sees the subtrees they supervise, a superuser every agency,
acting staff just their own agencies; anything else is 404. Read-only: no action buttons.

Everything is computed with a handful of aggregate queries grouped by agency (no per-row Python
loop over applications), so the page stays fast for thousands of agencies and a million cases:

- current clock figures (open / overdue / due within 3 working days / clock stopped) from the
  stored ``due_date`` (derived by the deadline engine) with cut-off dates from the working-day
  calendar (``applications.services.deadlines``);
- year figures (received / answered / on time / concluded by outcome group) in one scan;
- the year figures, the monthly totals and the average number of working days to answer
  (``Σ cum[answered] − cum[start]`` with the calendar's cumulative working-day table,
  ``WorkCalendar.index``, passed as one array) in ONE PostgreSQL scan; other
  backends run the equivalent ORM queries (rows grouped by agency and date for the days);
- appeals corrected rate (行政复议/诉讼 结果纠正 ÷ 审结) from ``gongkai.appeals``.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractMonth
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.appeals.models import Appeal, AppealOutcome
from gongkai.applications.models import OPEN_STATES, PAUSED_STATES, Application, ApplicationState
from gongkai.applications.services import deadlines
from gongkai.core.report_schema import get_template
from gongkai.core.workdays import CalendarNotCovered
from gongkai.records.services import clock as record_clock

from .. import clock

SOON_WORKDAYS = deadlines.SOON_WORKDAYS  # "due within 3 working days"
CORRECTION_REQUESTED = ApplicationState.CORRECTION_REQUESTED  # awaiting 补正: no deadline runs
FIRST_YEAR = 2019  # the 2019 regulation


def _outcome_groups() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Outcome keys of 不予公开 + 部分公开 (refusals) and of 其他处理, read from the report schema."""
    t = get_template("2021")
    table = t.applications
    refusal, other = [], []
    for row in t.result_rows:
        parent = table.row(row.parent) if row.parent and row.parent != "results" else None
        label = (parent.label if parent is not None else row.label) or ""
        if "不予公开" in label or "部分公开" in label:
            refusal.append(row.key)
        elif "其他处理" in label:
            other.append(row.key)
    assert refusal and other, "report schema: refusal / other-handling rows not found"
    return tuple(refusal), tuple(other)


REFUSAL_OUTCOMES, OTHER_OUTCOMES = _outcome_groups()

COUNT_FIELDS = (
    "open",
    "overdue",
    "due_soon",
    "stopped",
    "received",
    "answered",
    "on_time",
    "days_sum",
    "days_net_sum",
    "days_n",
    "late_open",
    "awaiting_correction",
    "concluded",
    "refusals",
    "other",
    "appeals_decided",
    "appeals_corrected",
)


@dataclass
class Figures:
    """Counts of one agency (or a subtotal); rates derived from the counts."""

    values: dict = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))

    def add(self, other: Figures) -> None:
        for k in COUNT_FIELDS:
            self.values[k] += other.values[k]

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @staticmethod
    def _pct(num: int, den: int) -> float | None:
        return round(100.0 * num / den, 1) if den else None

    @property
    def on_time_rate(self) -> float | None:
        """On time ÷ (answered + open cases whose deadline in the year has passed unanswered):
        a case past its deadline and still open is late already, it counts against the rate."""
        v = self.values
        return self._pct(v["on_time"], v["answered"] + v["late_open"])

    @property
    def avg_days(self) -> float | None:
        """Average working days to answer NET of paused time (what Art. 33 measures)."""
        n = self.values["days_n"]
        return round(self.values["days_net_sum"] / n, 1) if n else None

    @property
    def avg_days_gross(self) -> float | None:
        """The same including paused time (consultation, fee window), shown in the note."""
        n = self.values["days_n"]
        return round(self.values["days_sum"] / n, 1) if n else None

    @property
    def refusal_share(self) -> float | None:
        return self._pct(self.values["refusals"], self.values["concluded"])

    @property
    def other_share(self) -> float | None:
        return self._pct(self.values["other"], self.values["concluded"])

    @property
    def appeals_corrected_rate(self) -> float | None:
        return self._pct(self.values["appeals_corrected"], self.values["appeals_decided"])


# -- aggregate queries ------------------------------------------------------------------------------


def _soon_cutoff(today: dt.date, cal) -> dt.date | None:
    """First day NOT within ``SOON_WORKDAYS`` working days of ``today`` (engine's add_workdays)."""
    try:
        return deadlines.add_workdays(today, SOON_WORKDAYS + 1, cal)
    except CalendarNotCovered:  # no cut-off can be given, count none as due soon
        return None


def current_counts(ids, today: dt.date, cal) -> dict[int, dict]:
    """Open / overdue / due soon / stopped per agency (GROUP BY agency over open cases)."""
    running = ~Q(state__in=PAUSED_STATES)
    aggs = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=running & Q(due_date__lt=today)),
        "stopped": Count("pk", filter=Q(state__in=PAUSED_STATES)),
        "awaiting_correction": Count("pk", filter=Q(state=CORRECTION_REQUESTED)),
    }
    cutoff = _soon_cutoff(today, cal)
    if cutoff is not None:
        aggs["due_soon"] = Count("pk", filter=running & Q(due_date__gte=today, due_date__lt=cutoff))
    rows = (
        Application.objects.filter(agency_id__in=ids, state__in=OPEN_STATES)
        .values("agency_id")
        .annotate(**aggs)
        .order_by()
    )
    return {r.pop("agency_id"): r for r in rows}


def year_counts(ids, year: int, today: dt.date | None = None) -> dict[int, dict]:
    """Received / answered / on time / late and still open / concluded by outcome group per agency
    in ``year`` (one scan)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    today = today or dt.date.max
    late_open = Q(state__in=OPEN_STATES, due_date__range=(start, end), due_date__lt=today) & ~Q(
        state__in=PAUSED_STATES
    )
    received = Q(received_date__range=(start, end))
    answered = Q(answered_on__range=(start, end))
    concluded = Q(closed_on__range=(start, end)) & ~Q(outcome="")
    rows = (
        Application.objects.filter(agency_id__in=ids)
        .filter(received | answered | concluded | late_open)
        .values("agency_id")
        .annotate(
            received=Count("pk", filter=received),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=answered & Q(due_date__isnull=False, answered_on__lte=F("due_date"))),
            late_open=Count("pk", filter=late_open),
            concluded=Count("pk", filter=concluded),
            refusals=Count("pk", filter=concluded & Q(outcome__in=REFUSAL_OUTCOMES)),
            other=Count("pk", filter=concluded & Q(outcome__in=OTHER_OUTCOMES)),
        )
        .order_by()
    )
    return {r.pop("agency_id"): r for r in rows}


def _cum_table(cal) -> tuple[list[dt.date], list[int]]:
    """Covered days and the calendar's cumulative working-day count on each (``WorkdayIndex``)."""
    index = cal.index
    days, cum = [], []
    one = dt.timedelta(days=1)
    d = index.first
    for c, ok in zip(index.cum.tolist(), index.covered.tolist(), strict=True):
        if ok:
            days.append(d)
            cum.append(int(c))
        d += one
    return days, cum


def _paused_workdays(ordinal: dict, start: dt.date, answered: dt.date, pauses) -> int | None:
    """Working days of the stored pauses (S..E inclusive) inside (start, answered]."""
    total = 0
    for p in pauses or []:
        lo = max(dt.date.fromisoformat(p[0]), start + dt.timedelta(days=1))
        hi = min(dt.date.fromisoformat(p[1]) if len(p) > 1 and p[1] else answered, answered)
        if hi < lo:
            continue
        a, b = ordinal.get(lo - dt.timedelta(days=1)), ordinal.get(hi)
        if a is None or b is None:
            return None
        total += b - a
    return total


def answer_days(ids, year: int, cal) -> dict[int, tuple[int, int, int]]:
    """``{agency_id: (Σ working days to answer, Σ net of paused time, n)}`` for cases answered in
    ``year`` (portable path).

    Working days from the clock start (receipt, or receipt of the correction, Art. 30/31) to the
    answer date, i.e. ``workdays_between(start, answered_on)`` = ``cum[answered] − cum[start]``;
    net: less the working days of the pauses (Art. 33 ¶3) in that span. Cases with a date the
    calendar does not cover are left out (never guessed)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days, cum = _cum_table(cal)
    ordinal = dict(zip(days, cum, strict=True))
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = (
        Application.objects.filter(agency_id__in=ids, answered_on__range=(start, end))
        .annotate(clock_start=Coalesce("correction_received_on", "received_date"))
        .values_list("agency_id", "clock_start", "answered_on", "pauses")
    )
    for agency_id, begin, answered, pauses in rows:
        i, j = ordinal.get(begin), ordinal.get(answered)
        paused = _paused_workdays(ordinal, begin, answered, pauses)
        if i is None or j is None or paused is None:
            continue
        acc = out[agency_id]
        acc[0] += j - i
        acc[1] += j - i - paused
        acc[2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


_DAYS_EXPR = (
    "NULLIF(c.cum[a.answered_on - %(first)s::date + 1], -1)"
    " - NULLIF(c.cum[COALESCE(a.correction_received_on, a.received_date) - %(first)s::date + 1], -1)"
)
# working days of the stored pauses [S, E] inside (clock start, answered] (Art. 33 ¶3); the subquery
# runs only for the few rows that have pauses
_PAUSED_EXPR = """(CASE WHEN a.pauses IS NULL OR a.pauses = '[]'::jsonb THEN 0 ELSE (SELECT coalesce(sum(
    NULLIF(c.cum[LEAST(coalesce((p->>1)::date, a.answered_on), a.answered_on) - %(first)s::date + 1], -1)
  - NULLIF(c.cum[GREATEST((p->>0)::date,
        COALESCE(a.correction_received_on, a.received_date) + 1) - %(first)s::date], -1)), 0)
  FROM jsonb_array_elements(coalesce(a.pauses, '[]'::jsonb)) AS p
  WHERE LEAST(coalesce((p->>1)::date, a.answered_on), a.answered_on)
        >= GREATEST((p->>0)::date, COALESCE(a.correction_received_on, a.received_date) + 1)) END)"""
_YEAR_SQL = """
WITH c AS (SELECT %(cum)s::int[] AS cum)
SELECT a.agency_id,
  count(*) FILTER (WHERE a.received_date BETWEEN %(start)s AND %(end)s) AS received,
  count(*) FILTER (WHERE a.answered_on BETWEEN %(start)s AND %(end)s) AS answered,
  count(*) FILTER (WHERE a.answered_on BETWEEN %(start)s AND %(end)s AND a.due_date IS NOT NULL
                   AND a.answered_on <= a.due_date) AS on_time,
  count(*) FILTER (WHERE a.closed_on BETWEEN %(start)s AND %(end)s AND a.outcome <> '') AS concluded,
  count(*) FILTER (WHERE a.closed_on BETWEEN %(start)s AND %(end)s AND a.outcome = ANY(%(refusal)s)) AS refusals,
  count(*) FILTER (WHERE a.closed_on BETWEEN %(start)s AND %(end)s AND a.outcome = ANY(%(other)s)) AS other,
  coalesce(sum({days}) FILTER (WHERE a.answered_on BETWEEN %(start)s AND %(end)s), 0) AS days_sum,
  coalesce(sum({days} - {paused}) FILTER (WHERE a.answered_on BETWEEN %(start)s AND %(end)s), 0) AS days_net_sum,
  count({days} - {paused}) FILTER (WHERE a.answered_on BETWEEN %(start)s AND %(end)s) AS days_n,
  count(*) FILTER (WHERE a.state = ANY(%(running)s) AND a.due_date BETWEEN %(start)s AND %(end)s
                   AND a.due_date < %(today)s) AS late_open,
  {months},
  count(*) FILTER (WHERE a.state = ANY(%(open)s)) AS open,
  count(*) FILTER (WHERE a.state = ANY(%(running)s) AND a.due_date < %(today)s) AS overdue,
  count(*) FILTER (WHERE a.state = ANY(%(running)s) AND a.due_date >= %(today)s AND a.due_date < %(soon)s) AS due_soon,
  count(*) FILTER (WHERE a.state = ANY(%(paused)s)) AS stopped,
  count(*) FILTER (WHERE a.state = %(correcting)s) AS awaiting_correction
FROM {table} a
CROSS JOIN c
{scope_join}
WHERE {scope_where}(a.received_date BETWEEN %(start)s AND %(end)s OR a.answered_on BETWEEN %(start)s AND %(end)s
       OR a.closed_on BETWEEN %(start)s AND %(end)s OR a.state = ANY(%(open)s))
GROUP BY a.agency_id
"""
_MONTHS_SQL = ",\n  ".join(
    [
        f"count(*) FILTER (WHERE a.received_date >= %(m{m})s AND a.received_date < %(m{m + 1})s) AS r{m}"
        for m in range(1, 13)
    ]
    + [
        f"count(*) FILTER (WHERE a.answered_on >= %(m{m})s AND a.answered_on < %(m{m + 1})s) AS a{m}"
        for m in range(1, 13)
    ]
)
SCAN_SCOPE_MIN = 300  # agencies: above this the year statement scans the table instead of the index
YEAR_FIELDS = (
    "received",
    "answered",
    "on_time",
    "concluded",
    "refusals",
    "other",
    "days_sum",
    "days_net_sum",
    "days_n",
    "late_open",
)


CURRENT_FIELDS = ("open", "overdue", "due_soon", "stopped", "awaiting_correction")


def year_figures(ids, year: int, cal, today: dt.date) -> tuple[dict[int, dict], dict[str, list[int]]]:
    """Per agency: the current clock counts (:func:`current_counts`), the year counts and the
    working days to answer; and the monthly totals.

    PostgreSQL: ONE scan (GROUP BY agency); the working days to answer are
    ``cum[answered] − cum[start]`` with the calendar's cumulative working-day table
    (``WorkCalendar.index.cum``) passed as one array. Other backends: the ORM queries of :func:`year_counts`,
    :func:`answer_days` and :func:`monthly` (same numbers)."""
    ids = list(ids)
    if connection.vendor != "postgresql":
        per: dict[int, dict] = defaultdict(dict)
        for agency_id, vals in current_counts(ids, today, cal).items():
            per[agency_id].update(vals)
        for agency_id, vals in year_counts(ids, year, today).items():
            per[agency_id].update(vals)
        for agency_id, (gross, net, n) in answer_days(ids, year, cal).items():
            per[agency_id].update(days_sum=gross, days_net_sum=net, days_n=n)
        return dict(per), monthly(ids, year)
    index = cal.index
    # cumulative working days per day from index.first; -1 where the calendar is silent (an array
    # without NULLs, so that subscripting it is O(1) per row)
    cum = [int(c) if ok else -1 for c, ok in zip(index.cum.tolist(), index.covered.tolist(), strict=True)]
    if len(ids) > SCAN_SCOPE_MIN:  # a large part of the table: hash join on a sequential scan
        scope_join, scope_where = "JOIN unnest(%(ids)s::int[]) AS scope(id) ON scope.id = a.agency_id", ""
    else:  # a few agencies: the (agency, …) indexes
        scope_join, scope_where = "", "a.agency_id = ANY(%(ids)s) AND "
    sql = _YEAR_SQL.format(
        days=_DAYS_EXPR,
        paused=_PAUSED_EXPR,
        months=_MONTHS_SQL,
        table=connection.ops.quote_name(Application._meta.db_table),
        scope_join=scope_join,
        scope_where=scope_where,
    )
    params = {
        "cum": cum,
        "first": index.first,
        "start": dt.date(year, 1, 1),
        "end": dt.date(year, 12, 31),
        "refusal": list(REFUSAL_OUTCOMES),
        "other": list(OTHER_OUTCOMES),
        "ids": ids,
        **{f"m{m}": dt.date(year + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 14)},
        "open": [str(x) for x in OPEN_STATES],
        "paused": [str(x) for x in PAUSED_STATES],
        "running": [str(x) for x in OPEN_STATES if x not in PAUSED_STATES],
        "today": today,
        "correcting": str(CORRECTION_REQUESTED),
        "soon": _soon_cutoff(today, cal) or today,  # no cut-off known: none due soon
    }
    per: dict[int, dict] = {}
    months = {"received": [0] * 12, "answered": [0] * 12}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")  # JIT compilation costs more than it saves here
        cur.execute(sql, params)
        for row in cur.fetchall():
            n = len(YEAR_FIELDS)
            agency_id, vals, month_vals, current = (
                row[0],
                row[1 : 1 + n],
                row[1 + n : 1 + n + 24],
                row[1 + n + 24 :],
            )
            per[agency_id] = {
                k: int(v or 0) for k, v in zip(YEAR_FIELDS + CURRENT_FIELDS, vals + current, strict=True)
            }
            for m in range(12):
                months["received"][m] += int(month_vals[m] or 0)
                months["answered"][m] += int(month_vals[12 + m] or 0)
    return per, months


def appeal_counts(ids, year: int) -> dict[int, dict]:
    """Reconsideration/litigation cases decided in ``year`` and those corrected, per agency."""
    rows = (
        Appeal.objects.filter(agency_id__in=ids, decided_date__year=year)
        .values("agency_id")
        .annotate(
            appeals_decided=Count("pk"),
            appeals_corrected=Count("pk", filter=Q(outcome=AppealOutcome.CORRECTED)),
        )
        .order_by()
    )
    return {r.pop("agency_id"): r for r in rows}


def monthly(ids, year: int) -> dict[str, list[int]]:
    """Received and answered per month of ``year`` across ``ids`` (for the line chart)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = {"received": [0] * 12, "answered": [0] * 12}
    base = Application.objects.filter(agency_id__in=ids)
    for key, fld in (("received", "received_date"), ("answered", "answered_on")):
        rows = (
            base.filter(**{f"{fld}__range": (start, end)})
            .annotate(m=ExtractMonth(fld))
            .values("m")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for r in rows:
            out[key][int(r["m"]) - 1] = r["n"]
    return out


def figures_by_agency(ids, year: int, today: dt.date, cal) -> tuple[dict[int, Figures], dict[str, list[int]]]:
    """Figures per agency and the monthly received/answered totals of ``ids``."""
    figs: dict[int, Figures] = defaultdict(Figures)
    per_agency, months = year_figures(ids, year, cal, today)
    for source in (per_agency, appeal_counts(ids, year)):
        for agency_id, vals in source.items():
            figs[agency_id].values.update({k: int(v or 0) for k, v in vals.items()})
    return figs, months


# -- tree layout ------------------------------------------------------------------------------------


@dataclass
class Row:
    agency: Agency | None
    figures: Figures
    level: int
    kind: str = "agency"  # agency | subtotal | total
    label: str = ""
    queue_url: str = ""
    overdue_url: str = ""
    report_url: str = ""
    subtree_url: str = ""


def _visible_scope(user) -> tuple[list[Agency], list[Agency]]:
    """(agencies shown in tree order, subtree roots). Supervisors: their subtrees; superusers:
    every agency; acting staff: their own agencies (flat)."""
    roots = access.supervised_roots(user)
    if roots:
        q = Q()
        for r in roots:
            q |= Q(path__startswith=r.path)
        agencies = list(Agency.objects.filter(q).order_by("path"))
        # drop roots nested inside another supervised root
        paths = sorted({r.path for r in roots})
        top = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
        root_objs = [a for a in agencies if a.path in top]
        return agencies, root_objs
    ids = access.acting_agency_ids(user)
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("path"))
    return agencies, []


def build_rows(
    agencies: list[Agency], roots: list[Agency], figs: dict[int, Figures], year: int
) -> tuple[list[Row], Figures]:
    """Rows in tree order; after every agency with descendants shown, a subtotal of its subtree."""
    by_path = {a.path: a for a in agencies}
    has_children: set[str] = set()
    for a in agencies:
        parent_path = a.path[:-7] if len(a.path) > 7 else ""
        if parent_path in by_path:
            has_children.add(parent_path)
    subtotal: dict[str, Figures] = {p: Figures() for p in has_children}
    total = Figures()
    root_paths = [r.path for r in roots]
    rows: list[Row] = []
    open_stack: list[str] = []  # paths of shown agencies with children whose subtree is being listed

    def base_level(path: str) -> int:
        for rp in root_paths:
            if path.startswith(rp):
                return path.count("/") - rp.count("/")
        return 0

    def close_until(path: str) -> None:
        while open_stack and not path.startswith(open_stack[-1]):
            p = open_stack.pop()
            a = by_path[p]
            label = f"{a.name} 合计" if p in root_paths else f"{a.name} 小计（含下级）"
            rows.append(Row(a, subtotal[p], base_level(p), "total" if p in root_paths else "subtotal", label))

    for a in agencies:
        close_until(a.path)
        f = figs.get(a.pk) or Figures()
        total.add(f)
        # add to every shown ancestor with a subtotal
        parts = a.path.strip("/").split("/")
        for k in range(1, len(parts) + 1):
            p = "/".join(parts[:k]) + "/"
            if p in subtotal:
                subtotal[p].add(f)
        rows.append(Row(a, f, base_level(a.path), "agency", a.name))
        if a.path in has_children:
            open_stack.append(a.path)
    close_until("\0")
    return rows, total


def _links(rows: list[Row], year: int) -> None:
    from gongkai.annual_reports.models import AnnualReport, Scope

    queue = reverse("workbench:queue")
    ids = [r.agency.pk for r in rows if r.kind == "agency"]
    reports: dict[int, int] = {}
    for agency_id, pk, _y in (
        AnnualReport.objects.filter(agency_id__in=ids, year__in=(year, year - 1), scope=Scope.SINGLE)
        .order_by("agency_id", "year")
        .values_list("agency_id", "pk", "year")
    ):
        reports[agency_id] = pk  # the later year wins
    supervision_reports = reverse("annual_reports:supervision") + f"?year={year - 1}"
    for r in rows:
        if r.kind != "agency":
            r.subtree_url = reverse("workbench:supervision_agency", args=[r.agency.pk]) + f"?year={year}"
            continue
        r.queue_url = f"{queue}?{urllib.parse.urlencode({'agency': r.agency.pk})}"
        r.overdue_url = f"{queue}?{urllib.parse.urlencode({'agency': r.agency.pk, 'overdue': '1'})}"
        pk = reports.get(r.agency.pk)
        r.report_url = reverse("annual_reports:detail", args=[pk]) if pk else supervision_reports


def _year(request, today: dt.date) -> int:
    try:
        y = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return y if FIRST_YEAR <= y <= today.year else today.year


def dashboard(user, year: int, today: dt.date, focus_id: int | None = None) -> dict:
    """Everything the page shows (also used by the benchmark). ``focus_id``: only that agency's
    subtree (404 if it is outside what ``user`` may see)."""
    agencies, roots = _visible_scope(user)
    if focus_id is not None:
        focus = next((a for a in agencies if a.pk == focus_id), None)
        if focus is None:
            raise Http404
        agencies = [a for a in agencies if a.path.startswith(focus.path)]
        roots = [focus]
    if not agencies:
        raise Http404
    ids = [a.pk for a in agencies]
    cal = deadlines.get_calendar()
    figs, months = figures_by_agency(ids, year, today, cal)
    rows, total = build_rows(agencies, roots, figs, year)
    if year == today.year:  # months still to come: no point, not zero
        for series in months.values():
            for m in range(today.month, 12):
                series[m] = None
    overdue = sorted(
        (
            (a.short_name or a.name, figs[a.pk].overdue)
            for a in agencies
            if a.pk in figs and figs[a.pk].overdue
        ),
        key=lambda t: -t[1],
    )[:30]
    return {
        "agencies": agencies,
        "roots": roots,
        "rows": rows,
        "total": total,
        "months": months,
        "overdue": overdue,
    }


@login_required
def supervision(request, agency_id: int | None = None):
    today = clock.today()
    year = _year(request, today)
    data = dashboard(request.user, year, today, agency_id)
    _links(data["rows"], year)
    charts = {
        "overdue": {"names": [n for n, _ in data["overdue"]], "values": [v for _, v in data["overdue"]]},
        "months": {"labels": [f"{m}月" for m in range(1, 13)], **data["months"]},
    }
    return render(
        request,
        "workbench/supervision.html",
        {
            "year": year,
            "years": range(today.year, FIRST_YEAR - 1, -1),
            "today": today,
            "rows": data["rows"],
            "total": data["total"],
            "roots": data["roots"],
            "focus": data["roots"][0] if agency_id is not None else None,
            "agency_count": len(data["agencies"]),
            "charts": charts,
            "show_grand_total": len(data["roots"]) != 1,
            "soon_workdays": SOON_WORKDAYS,
            "year_label": "本年" if year == today.year else f"{year}年",
            "record_clock": record_clock.supervision_rows(data["agencies"], today),
        },
    )
