"""Template filters for letters (built into the letter template engine; no {% load %} needed).

- ``{{ d|cn_date }}``  2026-11-03 → 2026年11月3日 (dates or ISO strings; blank for None)
- ``{{ n|cn_num }}``   3 → 三 (1..99; other values unchanged)
- ``{{ x|yuan }}``     Decimal('700.00') → 700, Decimal('12.50') → 12.50
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

from gongkai.core.answers import cn_number
from gongkai.core.official_doc import cn_date as _cn_date

register = template.Library()


@register.filter
def cn_date(value) -> str:
    if value in (None, ""):
        return ""
    if getattr(value, "provisional", False):  # gongkai.core.workdays.ProvisionalDate
        return _cn_date(value) + "（暂定）"
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return _cn_date(value)


@register.filter
def cn_num(value) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return cn_number(n) if 0 < n < 100 else str(n)


@register.filter
def yuan(value) -> str:
    try:
        d = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d)
