"""Deadline engine (期限计算) for applications under the 2019 Regulation (政府信息公开条例).

Pure Python + numpy, no Django import. Calendar: :class:`gongkai.core.workdays.WorkCalendar`.

Rules implemented (references: ``shared/reference/ogi-rules.md`` §2, Regulation Arts. 30–34)
-------------------------------------------------------------------------------------------
- **Day of receipt not counted.** "N working days from day X" = the N-th working day strictly
  after X (:meth:`WorkCalendar.add_workdays`). A receipt on a weekend/holiday simply starts the
  count with the next working day. (The Regulation does not define this — ogi-rules §2.7
  [NOT CONFIRMED]; we follow the usual reading 期间开始的日不计算在内.)
- **Answer due** ``due`` = 20th counted working day after the clock start (Art. 33 ¶2).
- **Correction 补正** (Art. 30): ``correction_notice_due`` = 7th working day after the original
  receipt. When the corrected application is received (``correction_received``), the 20-day
  answer clock **restarts from zero** on that date (「答复期限自行政机关收到补正的申请之日起计算」):
  clock start = ``correction_received``. Not a pause-and-resume.
- **Extension 延期** (Art. 33 ¶2): ``extended_due`` = (20 + ``extension_days``)-th counted working
  day, ``1 <= extension_days <= 20``; ``extended_due`` is ``None`` when ``extension_days == 0``
  (no approved extension).
- **Paused spans** (Art. 33 ¶3: 征求第三方和其他机关意见所需时间不计算在期限内). A pause
  ``Pause(start=S, end=E)`` excludes the calendar days **S..E inclusive**: working days in that
  span are not counted (S = day the consultation letter is sent, E = day the opinion is received
  or the 15-working-day reply period expires). Pauses are counted only after the clock start; a
  pause that began before the clock start excludes its days after the clock start. Overlapping
  pauses are merged (a day is excluded once).
- **Open pause** (``end=None``, e.g. consultation still under way): the clock is stopped from S
  on. A deadline the count reaches *before* S is unaffected (already determined); otherwise the
  deadline is **not yet determinable** and is returned as ``None`` — we never project it.
  :attr:`Deadlines.paused_since` is set and :meth:`Deadlines.working_days_left` returns the frozen
  number of working days still available when the clock resumes.
- **Fee notice 收费通知 until payment**: whether this interval is excluded from the answer period
  is [NOT CONFIRMED] (ogi-rules §2.6: "model it as a configurable rule and do not silently pause
  the clock"). Pauses of kind :attr:`PauseKind.FEE` are therefore ignored unless the caller passes
  ``fee_pauses_clock=True`` (Django setting ``GONGKAI_FEE_PAUSES_CLOCK``, default ``False``).
- Helper periods: :func:`consultation_reply_due` (third party / co-producer reply, 15 WD from their
  receipt of the 征求意见书, Arts. 32, 34), :func:`fee_payment_due` (20 WD counted from the day
  after receipt of the fee notice, FM [SECONDARY]), :func:`correction_notice_due` (7 WD).
- Coverage: any day needed (from the receipt day up to the result) in a year without official
  holiday data raises :class:`CalendarNotCovered` (Chinese message) — never a silent guess —
  unless the calendar is *provisional*; then such a year follows the statutory holidays and the
  result carries ``provisional=True`` (暂定), to be re-derived once the official notice is entered.

Batch path: :func:`batch_deadlines` computes the same fields for arrays (1M rows well under 2 s)
from the calendar's :class:`WorkdayIndex`; results are identical to :func:`compute_deadlines`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from gongkai.core.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")  # only the batch path needs numpy

from gongkai.core.workdays import CalendarNotCovered, WorkCalendar, WorkdayIndex

__all__ = [
    "ANSWER_WORKDAYS",
    "CONSULTATION_REPLY_WORKDAYS",
    "CORRECTION_NOTICE_WORKDAYS",
    "FEE_PAYMENT_WORKDAYS",
    "MAX_EXTENSION_WORKDAYS",
    "BatchDeadlines",
    "CalendarNotCovered",
    "ClockInputs",
    "Deadlines",
    "Pause",
    "PauseKind",
    "batch_deadlines",
    "compute_deadlines",
    "consultation_reply_due",
    "correction_notice_due",
    "effective_pauses",
    "fee_payment_due",
]

ANSWER_WORKDAYS = 20  # Art. 33 ¶2
MAX_EXTENSION_WORKDAYS = 20  # Art. 33 ¶2
CORRECTION_NOTICE_WORKDAYS = 7  # Art. 30
CONSULTATION_REPLY_WORKDAYS = 15  # Arts. 32, 34
FEE_PAYMENT_WORKDAYS = 20  # Fee Measures (SECONDARY)

_ONE = dt.timedelta(days=1)


class PauseKind(str, Enum):
    CONSULTATION = "consultation"  # 征求第三方/其他机关意见 (Art. 33 ¶3)
    FEE = "fee"  # 收费通知至缴费 (not confirmed; opt-in)

    @property
    def label(self) -> str:
        return {"consultation": "征求意见", "fee": "收费通知待缴费"}[self.value]


@dataclass(frozen=True)
class Pause:
    """Excluded span ``start..end`` inclusive; ``end=None`` = still running (clock stopped)."""

    start: dt.date
    end: dt.date | None = None
    kind: PauseKind = PauseKind.CONSULTATION

    def __post_init__(self):
        if self.end is not None and self.end < self.start:
            raise ValueError("暂停期间的结束日期不能早于开始日期")
        object.__setattr__(self, "kind", PauseKind(self.kind))


@dataclass(frozen=True)
class ClockInputs:
    """Everything the deadline of one application depends on.

    ``pauses`` accepts :class:`Pause` objects or ``(start, end_or_None)`` tuples (consultation).
    """

    received: dt.date
    correction_received: dt.date | None = None
    extension_days: int = 0
    pauses: tuple[Pause, ...] = ()

    def __post_init__(self):
        ps = tuple(p if isinstance(p, Pause) else Pause(*p) for p in self.pauses)
        object.__setattr__(self, "pauses", ps)
        if not 0 <= int(self.extension_days) <= MAX_EXTENSION_WORKDAYS:
            raise ValueError(f"延长答复期限应为0至{MAX_EXTENSION_WORKDAYS}个工作日")
        if self.correction_received is not None and self.correction_received < self.received:
            raise ValueError("收到补正申请的日期不能早于收到申请的日期")

    @property
    def clock_start(self) -> dt.date:
        """Day the 20-WD answer clock starts from (not itself counted)."""
        return self.correction_received or self.received


def effective_pauses(pauses: Iterable[Pause], fee_pauses_clock: bool = False) -> list[Pause]:
    """Pauses that stop the clock (fee pauses only if the fee rule is enabled), sorted by start.

    Overlaps need no merging: a day is excluded if it lies in any span; an open pause stops the
    clock from its start whatever follows.
    """
    return sorted(
        (p for p in pauses if p.kind is PauseKind.CONSULTATION or fee_pauses_clock),
        key=lambda p: (p.start, p.end is None, p.end or p.start),
    )


@dataclass(frozen=True)
class Deadlines:
    """Result of :func:`compute_deadlines`. Dates are ``None`` when not (yet) determinable."""

    received: dt.date
    clock_start: dt.date
    correction_notice_due: dt.date
    due: dt.date | None
    extended_due: dt.date | None
    extension_days: int = 0
    pauses: tuple[Pause, ...] = ()
    paused_since: dt.date | None = None
    counted_before_pause: int = 0
    provisional: bool = False  # some date reaches a year computed provisionally (暂定)
    calendar: WorkCalendar | None = field(default=None, compare=False, repr=False)

    @property
    def final_due(self) -> dt.date | None:
        """The deadline that currently binds: ``extended_due`` if extended, else ``due``."""
        return self.extended_due if self.extension_days else self.due

    @property
    def is_clock_stopped(self) -> bool:
        return self.final_due is None and self.paused_since is not None

    def as_dict(self) -> dict[str, str | bool | None]:
        def iso(d):
            return d.isoformat() if d else None

        return {
            "received": iso(self.received),
            "correction_notice_due": iso(self.correction_notice_due),
            "due": iso(self.due),
            "extended_due": iso(self.extended_due),
            "provisional": self.provisional,
        }

    def working_days_left(self, today: dt.date) -> int:
        """Counted working days remaining after ``today`` up to the binding deadline.

        0 = due today; negative = working days overdue (``-n``: ``n`` working days have passed
        since the deadline). Clock stopped by an open pause: the frozen number still available
        when the clock resumes.
        """
        cal = self.calendar
        if cal is None:
            raise ValueError("Deadlines without calendar")
        total = ANSWER_WORKDAYS + self.extension_days
        target = self.final_due
        if target is None:
            return total - self.counted_before_pause
        if today >= target:
            return -cal.workdays_between(target, today)
        closed = [p for p in self.pauses if p.end is not None]
        d = max(today, self.clock_start)
        n = 0
        while d < target:
            d += _ONE
            if cal.is_workday(d) and not any(p.start <= d <= p.end for p in closed):
                n += 1
        return n


def _count(
    cal: WorkCalendar, start: dt.date, targets: Sequence[int], pauses: Sequence[Pause]
) -> tuple[dict[int, dt.date | None], dt.date | None, int]:
    """Walk from ``start`` and return {k: k-th counted working day or None}, open start, count."""
    cal.check(start)
    open_start = min((p.start for p in pauses if p.end is None), default=None)
    closed = [(p.start, p.end) for p in pauses if p.end is not None]
    want = sorted(set(targets))
    out: dict[int, dt.date | None] = dict.fromkeys(want)
    if not want:
        return out, None, 0
    d = start
    count = 0
    i = 0
    while i < len(want):
        d += _ONE
        if open_start is not None and d >= open_start:
            return out, open_start, count
        wd = cal.is_workday(d)  # raises CalendarNotCovered
        if wd and not any(s <= d <= e for s, e in closed):
            count += 1
            while i < len(want) and want[i] == count:
                out[want[i]] = d
                i += 1
    return out, None, count


def compute_deadlines(cal: WorkCalendar, inputs: ClockInputs, *, fee_pauses_clock: bool = False) -> Deadlines:
    """Scalar reference implementation (see module docstring for every rule)."""
    cnd = cal.add_workdays(inputs.received, CORRECTION_NOTICE_WORKDAYS)
    pauses = effective_pauses(inputs.pauses, fee_pauses_clock)
    ext = int(inputs.extension_days)
    k_due = ANSWER_WORKDAYS
    k_ext = ANSWER_WORKDAYS + ext
    res, open_start, count = _count(cal, inputs.clock_start, [k_due, k_ext], pauses)
    reached = [d for d in (cnd, res[k_due], res[k_ext], open_start) if d is not None]
    return Deadlines(
        received=inputs.received,
        clock_start=inputs.clock_start,
        correction_notice_due=cnd,
        due=res[k_due],
        extended_due=res[k_ext] if ext else None,
        extension_days=ext,
        pauses=tuple(pauses),
        paused_since=open_start,
        counted_before_pause=count,
        provisional=cal.provisional_between(inputs.received, max(reached, default=None)),
        calendar=cal,
    )


def correction_notice_due(cal: WorkCalendar, received: dt.date) -> dt.date:
    """补正告知期限: 7th working day after receipt of the application (Art. 30)."""
    return cal.add_workdays(received, CORRECTION_NOTICE_WORKDAYS)


def consultation_reply_due(cal: WorkCalendar, letter_received: dt.date) -> dt.date:
    """征求意见答复期限: 15th working day after the third party / other agency received the
    征求意见书 (Arts. 32, 34)."""
    return cal.add_workdays(letter_received, CONSULTATION_REPLY_WORKDAYS)


def fee_payment_due(cal: WorkCalendar, notice_received: dt.date) -> dt.date:
    """缴费期限: 20 working days counted from the day after receipt of the fee notice."""
    return cal.add_workdays(notice_received, FEE_PAYMENT_WORKDAYS)


# ---------------------------------------------------------------------------------------------
# Batch path
# ---------------------------------------------------------------------------------------------

_NAT = -(2**63)  # numpy.iinfo(numpy.int64).min, numpy's NaT as int64
_BIG = 1 << 40  # "beyond any day" sentinel for open pause ends / missing pauses


@dataclass
class BatchDeadlines:
    """Arrays (datetime64[D], NaT = not determinable) aligned with the inputs.

    ``paused``: the binding deadline waits for an open pause. ``uncovered``: some field needs a
    year without holiday data (those fields are NaT; only with ``errors="mask"``).
    ``provisional``: some field reaches a year computed provisionally (暂定; provisional calendars).
    """

    correction_notice_due: np.ndarray
    due: np.ndarray
    extended_due: np.ndarray
    paused: np.ndarray
    uncovered: np.ndarray
    provisional: np.ndarray


def _kth(
    ix: WorkdayIndex,
    a: np.ndarray,
    k: np.ndarray | int,
    ps: np.ndarray | None,
    pe: np.ndarray | None,
    ps_orig: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """k-th counted working day after index ``a`` -> (index, open-hit, uncovered, provisional masks)."""
    size = ix.size
    cum = ix.cum
    W = ix.workdays
    nW = W.size
    n = a.size
    bad = (a < 0) | (a >= size)
    ac = np.clip(a, 0, size - 1)
    base = cum[ac] + (np.asarray(k, dtype=np.int64) - 1)
    excluded = np.zeros(n, dtype=np.int64)
    open_hit = np.zeros(n, dtype=bool)
    open_s = np.zeros(n, dtype=np.int64)

    def cand_of(pos: np.ndarray) -> np.ndarray:
        c = W[np.clip(pos, 0, nW - 1)]
        return np.where(pos >= nW, size, c)

    if ps is not None and ps.shape[1]:
        for p in range(ps.shape[1]):
            s = ps[:, p]
            e = pe[:, p]
            cand = cand_of(base + excluded)
            active = (s <= e) & (s <= cand) & ~open_hit
            is_open = active & (e >= _BIG)
            open_hit |= is_open
            open_s = np.where(is_open, np.maximum(ps_orig[:, p], a + 1), open_s)
            closed = active & ~is_open
            if closed.any():
                ec = np.clip(e, 0, size - 1)
                sm1 = np.clip(s - 1, 0, size - 1)
                cnt = cum[ec] - np.where(s > 0, cum[sm1], 0)
                excluded += np.where(closed, cnt, 0)
    res = cand_of(base + excluded)
    range_end = np.where(open_hit, np.maximum(ac, open_s - 1), res)
    uncovered = bad | (ix.next_uncovered[ac] <= range_end)
    provisional = ~uncovered & (ix.next_provisional[ac] <= range_end)
    return res, open_hit, uncovered, provisional


def batch_deadlines(
    cal: WorkCalendar,
    received: np.ndarray,
    correction_received: np.ndarray | None = None,
    extension_days: np.ndarray | int = 0,
    pause_starts: np.ndarray | None = None,
    pause_ends: np.ndarray | None = None,
    *,
    errors: str = "raise",
) -> BatchDeadlines:
    """Vectorised :func:`compute_deadlines` for many applications.

    - ``received``: datetime64[D] array (n,).
    - ``correction_received``: (n,) datetime64[D], NaT where no correction was received.
    - ``extension_days``: int or (n,) ints in 0..20 (0 -> ``extended_due`` NaT).
    - ``pause_starts`` / ``pause_ends``: (n, P) datetime64[D]; NaT start = no pause in that slot,
      NaT end = open pause. Pass only the pauses that stop the clock (see
      :func:`effective_pauses`; fee pauses only if the fee rule is enabled). Any order, may overlap.
    - ``errors``: ``"raise"`` -> :class:`CalendarNotCovered` for the earliest missing year;
      ``"mask"`` -> NaT + ``uncovered`` flag for affected rows.
    """
    if errors not in ("raise", "mask"):
        raise ValueError("errors must be 'raise' or 'mask'")
    ix = cal.index
    r = ix.to_index(received)
    n = r.size
    if (r == _NAT).any():
        raise ValueError("received must not contain NaT")
    if correction_received is None:
        a = r
    else:
        c = ix.to_index(correction_received)
        a = np.where(c == _NAT, r, c)
        if (a < r).any():
            raise ValueError("收到补正申请的日期不能早于收到申请的日期")
    ext = np.broadcast_to(np.asarray(extension_days, dtype=np.int64), (n,))
    if ((ext < 0) | (ext > MAX_EXTENSION_WORKDAYS)).any():
        raise ValueError(f"延长答复期限应为0至{MAX_EXTENSION_WORKDAYS}个工作日")

    ps = pe = ps_orig = None
    if pause_starts is not None:
        s = ix.to_index(np.asarray(pause_starts).reshape(n, -1))
        e = ix.to_index(np.asarray(pause_ends).reshape(n, -1))
        none = s == _NAT
        s = np.where(none, _BIG + 1, s)
        e = np.where(none, -1, np.where(e == _NAT, _BIG, e))
        order = np.argsort(s, axis=1, kind="stable")
        s = np.take_along_axis(s, order, axis=1)
        e = np.take_along_axis(e, order, axis=1)
        prev = np.maximum.accumulate(e, axis=1)
        prev = np.concatenate([np.full((n, 1), -1, dtype=np.int64), prev[:, :-1]], axis=1)
        ps_orig = s
        ps = np.maximum(np.maximum(s, prev + 1), (a + 1)[:, None])
        pe = e

    cnd, _, cnd_unc, cnd_prov = _kth(ix, r, CORRECTION_NOTICE_WORKDAYS, None, None, None)
    due, due_open, due_unc, due_prov = _kth(ix, a, ANSWER_WORKDAYS, ps, pe, ps_orig)
    has_ext = ext > 0
    xd, x_open, x_unc, x_prov = _kth(ix, a, ANSWER_WORKDAYS + ext, ps, pe, ps_orig)
    x_unc &= has_ext
    uncovered = cnd_unc | due_unc | x_unc
    # from the receipt day: a correction restarts the clock later, the days between still count
    provisional = ~uncovered & (
        cnd_prov
        | due_prov
        | (x_prov & has_ext)
        | (ix.next_provisional[np.clip(r, 0, ix.size - 1)] <= np.clip(a, 0, ix.size - 1))
    )

    if errors == "raise" and uncovered.any():
        years = []
        for unc, start in ((cnd_unc, r), (due_unc, a), (x_unc, a)):
            if unc.any():
                st = start[unc]
                bad = (st < 0) | (st >= ix.size)
                if bad.any():
                    years.append(int(ix.to_dates(st[bad]).astype("datetime64[Y]").astype(int).min()) + 1970)
                nu = ix.next_uncovered[np.clip(st[~bad], 0, ix.size - 1)]
                if nu.size:
                    years.append(ix.year_of(int(nu.min())))
        raise CalendarNotCovered(min(years))

    nat = np.datetime64("NaT", "D")
    out_cnd = np.where(cnd_unc, nat, ix.to_dates(cnd))
    out_due = np.where(due_open | due_unc, nat, ix.to_dates(due))
    out_ext = np.where(~has_ext | x_open | x_unc, nat, ix.to_dates(xd))
    paused = np.where(has_ext, x_open, due_open)
    return BatchDeadlines(out_cnd, out_due, out_ext, paused, uncovered, provisional)
