"""Information processing fee (信息处理费) of disclosure applications.

Basis: Art. 42 of the 2019 Regulation (free by default; an agency *may* charge when the number or
frequency of an applicant's requests clearly exceeds a reasonable range) and the Fee Measures
《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, "FM"), as digested in
``shared/reference/ogi-rules.md`` §7 and §2.6.

Confirmed rules implemented here:

- One method per application, never both (FM Art. 3); amounts are computed by marginal
  progressive tiers (超额累进, FM Art. 3).
- 按件计收 (FM Art. 4): the SAME applicant's cumulative applications in one calendar month
  (一个自然月内累计): 1–10 free; 11–30: 100 元/件; from the 31st, each band of 10 raises the price
  by 100 元/件 (31–40: 200, 41–50: 300, ...). The reading "31–40 = 200" is the reference's
  interpretation (no official worked example). One application containing several items may be
  split into 件 by the 一事一申请 principle (FM Art. 4 ¶1): ``pieces``.
- 按量计收 (FM Art. 5, for paper copies, e-mail and copies of electronic data): pages of one
  application: 1–30 free; 31–100: 10 元/页; 101–200: 20 元/页; from 201: 40 元/页 (bands inclusive;
  checked against a real bill of 2,219 pages = 83,460 元).

Choices where the reference could not confirm the rule (documented, configurable):

- **Reduction/waiver (减免)**: no national provision was readable. An agency may waive all or
  part of the fee; a non-empty reason is mandatory and recorded in the breakdown; the amount due
  never goes below zero.
- **Payment window**: 20 working days counted from the day after the applicant receives the fee
  notice (SECONDARY source: 法治日报 2020-12-02 and the Sichuan notice agree). The date of receipt
  is an input (the notice's delivery date), not the issue date.
- **Clock stop**: whether the time from the fee notice to payment is excluded from the Art. 33
  answer period is NOT confirmed. ``FEE_NOTICE_PAUSES_CLOCK`` (default False: an unconfirmed rule is
  not stated as law; an administrator may turn it on) makes it explicit: the pause runs from the day the notice is issued to the day of payment,
  and the fee notice says so in writing when it is on.
- **Non-payment**: deemed abandonment (视为放弃申请) → the case closes with Table 3 row
  其他处理－2 (``UNPAID_OUTCOME``), SECONDARY source as above.
- Not implemented (unreadable part of FM Art. 5): page counting for non-A4 or electronic copies,
  and any rule for information that was already proactively disclosed.

Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
FEE_BASIS = "《中华人民共和国政府信息公开条例》第四十二条、" + FEE_MEASURES

#: Payment window in working days, counted from the day after the notice is received.
PAYMENT_WINDOW_WORKDAYS = 20
#: Whether fee-notice-to-payment time is excluded from the answer period (NOT confirmed; see doc).
FEE_NOTICE_PAUSES_CLOCK = False
#: Table 3 row of a case closed because the fee was not paid in time.
UNPAID_OUTCOME = "other_fee_unpaid"

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

COUNT_FREE_UP_TO = 10  # 10件以下（含10件）不收费
COUNT_FIRST_BAND_UP_TO = 30  # 11—30件：100元/件
COUNT_BASE_PRICE = Decimal("100")
COUNT_BAND_SIZE = 10  # 31件以上：以10件为一档
COUNT_BAND_STEP = Decimal("100")  # 每增加一档，收费标准提高100元/件

#: (upper bound inclusive or None, price per page in 元) for 按量计收.
PAGE_TIERS: tuple[tuple[int | None, Decimal], ...] = (
    (30, Decimal("0")),
    (100, Decimal("10")),
    (200, Decimal("20")),
    (None, Decimal("40")),
)


class FeeMethod(StrEnum):
    """Values match ``applications.models.FeeMethod``."""

    BY_COUNT = "by_count"  # 按件计收
    BY_VOLUME = "by_volume"  # 按量计收

    @property
    def label(self) -> str:
        return {"by_count": "按件计收", "by_volume": "按量计收"}[self.value]


class FeeError(ValueError):
    """Invalid fee input; the message is user-facing Chinese."""


@dataclass(frozen=True)
class Waiver:
    """An agency reduction/waiver (减免). ``amount=None`` waives the whole fee."""

    reason: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class FeeLine:
    """One line of the itemised breakdown (计费明细)."""

    description: str  # e.g. 31—100页部分
    quantity: int
    unit: str  # 件 | 页 | 元
    unit_price: Decimal
    amount: Decimal

    @property
    def text(self) -> str:
        if self.unit == "元":
            return (
                f"{self.description}：-{_yuan(-self.amount)}元"
                if self.amount < 0
                else f"{self.description}：{_yuan(self.amount)}元"
            )
        if self.unit_price == 0:
            return f"{self.description}：{self.quantity}{self.unit}，不收费"
        return f"{self.description}：{_yuan(self.unit_price)}元/{self.unit} × {self.quantity}{self.unit} = {_yuan(self.amount)}元"

    def to_dict(self) -> dict:
        return {
            "description": self.description,
            "quantity": self.quantity,
            "unit": self.unit,
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
            "text": self.text,
        }


@dataclass(frozen=True)
class FeeAssessment:
    """The fee of one application: gross by the tiers, less any waiver = ``amount`` due."""

    method: FeeMethod
    gross: Decimal
    waived: Decimal
    amount: Decimal
    lines: tuple[FeeLine, ...]
    waiver_reason: str = ""
    position: int | None = None  # 按件: position of the first 件 in the applicant's month
    pieces: int | None = None  # 按件: number of 件 of this application
    pages: int | None = None  # 按量: pages
    basis: str = FEE_BASIS

    @property
    def is_free(self) -> bool:
        return self.amount == 0

    @property
    def breakdown(self) -> list[dict]:
        """JSON-serialisable lines (for ``FeeNotice.breakdown``)."""
        return [ln.to_dict() for ln in self.lines]

    @property
    def breakdown_text(self) -> str:
        """Chinese itemised breakdown, one line per item, ending with the total."""
        head = f"计收方式：{self.method.label}"
        if self.method is FeeMethod.BY_COUNT:
            last = self.position + self.pieces - 1
            span = f"第{self.position}件" if self.pieces == 1 else f"第{self.position}—{last}件"
            head += f"（申请人本自然月内累计申请{span}）"
        else:
            head += f"（共{self.pages}页）"
        out = [head] + [ln.text for ln in self.lines]
        out.append(f"应缴金额：{_yuan(self.amount)}元")
        return "\n".join(out)


def _yuan(d: Decimal) -> str:
    """Amount without trailing zeros for whole yuan (700 → '700', 12.5 → '12.50')."""
    d = d.quantize(CENT)
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d)


def _money(d: Decimal | int) -> Decimal:
    return Decimal(d).quantize(CENT)


# ---------------------------------------------------------------------------------------------
# 按件计收


def piece_price(position: int) -> Decimal:
    """Price of the applicant's ``position``-th 件 in a calendar month (1-based)."""
    if position < 1:
        raise FeeError("件数序位须为正整数")
    if position <= COUNT_FREE_UP_TO:
        return _money(0)
    if position <= COUNT_FIRST_BAND_UP_TO:
        return _money(COUNT_BASE_PRICE)
    band = (position - COUNT_FIRST_BAND_UP_TO - 1) // COUNT_BAND_SIZE + 1
    return _money(COUNT_BASE_PRICE + COUNT_BAND_STEP * band)


def _count_band(position: int) -> tuple[int, int | None]:
    """(first, last) position of the price band containing ``position``."""
    if position <= COUNT_FREE_UP_TO:
        return 1, COUNT_FREE_UP_TO
    if position <= COUNT_FIRST_BAND_UP_TO:
        return COUNT_FREE_UP_TO + 1, COUNT_FIRST_BAND_UP_TO
    band = (position - COUNT_FIRST_BAND_UP_TO - 1) // COUNT_BAND_SIZE
    first = COUNT_FIRST_BAND_UP_TO + 1 + band * COUNT_BAND_SIZE
    return first, first + COUNT_BAND_SIZE - 1


def month_total_by_count(n: int) -> Decimal:
    """Total due for an applicant's first ``n`` 件 in a calendar month (reference Example A)."""
    if n < 0:
        raise FeeError("件数不能为负数")
    return _money(sum((piece_price(i) for i in range(1, n + 1)), Decimal(0)))


def _count_lines(position: int, pieces: int) -> list[FeeLine]:
    lines: list[FeeLine] = []
    p = position
    last = position + pieces - 1
    while p <= last:
        first, band_last = _count_band(p)
        upto = min(last, band_last)
        qty = upto - p + 1
        price = piece_price(p)
        if first == 1:
            desc = f"当月累计{COUNT_FREE_UP_TO}件以下（含{COUNT_FREE_UP_TO}件）部分"
        else:
            desc = f"当月累计第{first}—{band_last}件部分"
        lines.append(FeeLine(desc, qty, "件", price, _money(price * qty)))
        p = upto + 1
    return lines


# ---------------------------------------------------------------------------------------------
# 按量计收


def volume_fee(pages: int) -> Decimal:
    """Gross 按量 fee of one application of ``pages`` pages (reference Example B)."""
    return _money(sum((ln.amount for ln in _page_lines(pages)), Decimal(0)))


def _page_lines(pages: int) -> list[FeeLine]:
    if pages < 0:
        raise FeeError("页数不能为负数")
    lines: list[FeeLine] = []
    lower = 0
    for upper, price in PAGE_TIERS:
        if pages <= lower:
            break
        top = pages if upper is None else min(pages, upper)
        qty = top - lower
        if lower == 0:
            desc = f"{upper}页以下（含{upper}页）部分"
        elif upper is None:
            desc = f"{lower + 1}页以上部分"
        else:
            desc = f"{lower + 1}—{upper}页部分"
        lines.append(FeeLine(desc, qty, "页", _money(price), _money(price * qty)))
        if upper is None:
            break
        lower = upper
    return lines


# ---------------------------------------------------------------------------------------------
# Assessment


def assess(
    method: FeeMethod | str,
    *,
    position: int | None = None,
    pieces: int = 1,
    pages: int | None = None,
    waiver: Waiver | None = None,
) -> FeeAssessment:
    """Fee of one application by ONE method.

    按件 (``by_count``): ``position`` = the 1-based position of this application's first 件 among
    the same applicant's applications in the calendar month; ``pieces`` = number of 件 after
    splitting (一事一申请). 按量 (``by_volume``): ``pages``. Passing inputs of the other method
    raises :class:`FeeError` (FM Art. 3: 不得同时按照两种标准重复计算).
    """
    try:
        method = FeeMethod(method)
    except ValueError:
        raise FeeError(f"未知的计收方式“{method}”") from None
    if method is FeeMethod.BY_COUNT:
        if pages is not None:
            raise FeeError("每件申请只能选择一种计收标准：按件计收时不得同时按页数计费")
        if position is None or position < 1:
            raise FeeError("按件计收须填写该申请在申请人本自然月内的累计件数序位（从1开始）")
        if pieces < 1:
            raise FeeError("拆分后的件数至少为1件")
        lines = _count_lines(position, pieces)
    else:
        if position is not None:
            raise FeeError("每件申请只能选择一种计收标准：按量计收时不得同时按件计费")
        if pages is None:
            raise FeeError("按量计收须填写页数")
        lines = _page_lines(pages)
    gross = _money(sum((ln.amount for ln in lines), Decimal(0)))
    waived = ZERO
    reason = ""
    if waiver is not None:
        reason = (waiver.reason or "").strip()
        if not reason:
            raise FeeError("减免信息处理费须说明理由")
        if waiver.amount is None:
            waived = gross
        else:
            if Decimal(waiver.amount) < 0:
                raise FeeError("减免金额不能为负数")
            waived = min(gross, _money(waiver.amount))
        if waived:
            lines.append(FeeLine(f"减免（{reason}）", 1, "元", -waived, -waived))
    amount = gross - waived
    if method is FeeMethod.BY_COUNT:
        return FeeAssessment(
            method, gross, waived, amount, tuple(lines), reason, position=position, pieces=pieces
        )
    return FeeAssessment(method, gross, waived, amount, tuple(lines), reason, pages=pages)


# ---------------------------------------------------------------------------------------------
# Fee-notice clock


def payment_deadline(notice_received: dt.date, is_workday: Callable[[dt.date], bool]) -> dt.date:
    """Last day to pay: the 20th working day counted from the day after the notice is received.

    ``is_workday`` is the official calendar (``gongkai.core.workdays`` / the workdays app); it
    must raise for a year whose calendar is unknown rather than guess.
    """
    day = notice_received
    counted = 0
    while counted < PAYMENT_WINDOW_WORKDAYS:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


@dataclass(frozen=True)
class ClockPause:
    """An interval excluded from the answer period: from ``start`` to ``end`` (None = open)."""

    start: dt.date
    end: dt.date | None
    reason: str = "收费通知发出至申请人缴费"


def fee_clock_pause(
    issued_on: dt.date, paid_on: dt.date | None = None, *, pauses_clock: bool = FEE_NOTICE_PAUSES_CLOCK
) -> ClockPause | None:
    """The pause of the answer clock caused by a fee notice, or None if the rule is off."""
    if not pauses_clock:
        return None
    if paid_on is not None and paid_on < issued_on:
        raise FeeError("缴费日期不能早于收费通知日期")
    return ClockPause(issued_on, paid_on)


class PaymentStatus(StrEnum):
    PAID = "paid"  # 已缴费
    PENDING = "pending"  # 待缴费
    LAPSED = "lapsed"  # 逾期未缴费 → 其他处理－2


def payment_status(pay_by: dt.date, paid_on: dt.date | None, today: dt.date) -> PaymentStatus:
    """Status of a fee notice; a payment after ``pay_by`` does not revive the application."""
    if paid_on is not None and paid_on <= pay_by:
        return PaymentStatus.PAID
    if today > pay_by or paid_on is not None:
        return PaymentStatus.LAPSED
    return PaymentStatus.PENDING


@dataclass(frozen=True)
class FeeNoticeTerms:
    """What a fee notice must state (FM via the reference: 依据、标准、数额、缴纳方式) + the clock."""

    assessment: FeeAssessment
    pay_by: dt.date
    pauses_clock: bool = FEE_NOTICE_PAUSES_CLOCK
    unpaid_outcome: str = UNPAID_OUTCOME
    standard_text: str = field(init=False)

    def __post_init__(self):
        if self.assessment.method is FeeMethod.BY_COUNT:
            std = (
                "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；"
                "31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。"
            )
        else:
            std = (
                "按量计收：30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；"
                "101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页。"
            )
        object.__setattr__(self, "standard_text", std)
