"""Parser for the State Council's yearly holiday notice (国务院办公厅关于20XX年部分节假日安排的通知).

Pure Python, no Django. ``parse_notice(text)`` returns a :class:`HolidayNotice`: the notice's year,
the holiday spans (放假, including 补休 days) and the make-up working days (调休上班), or raises
:class:`NoticeError` with a Chinese message naming what could not be read. Nothing is guessed: a
weekday printed beside a date must match it, a stated day count (共N天) must match the span, and a
day may not be both a holiday and a working day.

Notices over the years word the same things differently; all of these are read:

- ``1月1日放假，1月2日（星期一）补休`` (holiday on a weekend, a substitute day off);
- ``2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天`` (range whose end omits
  the month, lunar notes and weekday in brackets);
- ``4月29日至5月3日放假调休`` (range across months), ``2022年12月31日至2023年1月2日放假`` (across years);
- ``6月10日放假，与周末连休`` (the weekend needs no entry: it is a rest day anyway);
- ``1月28日（星期六）、1月29日（星期日）上班`` (make-up working days, 周 or 星期, several per sentence);
- items naming two festivals (``六、中秋节、国庆节：…``);
- exhortations such as ``鼓励各单位……安排职工在除夕（2月9日）休息`` are not holidays and are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["HolidayNotice", "NoticeError", "parse_notice"]

_CN_NUM = "一二三四五六七八九十"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_TITLE = re.compile(r"关于(\d{4})年(?:部分)?节假日安排的通知")
_ITEM = re.compile(rf"(?:^|\n|。)\s*([{_CN_NUM}]+)、([^：:\n]{{1,20}})[：:]")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(（[^（）]*）)?")
_RANGE_SEP = re.compile(r"\s*(?:至|到|—|-|－|~|～)\s*")
_WEEKDAY_IN = re.compile(r"(?:星期|周)([一二三四五六日天])")
_TOTAL = re.compile(r"共(\d{1,2})天")


class NoticeError(ValueError):
    """The text is not a holiday notice the parser can read; ``str(exc)`` is Chinese."""


@dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date
    name: str

    def days(self) -> list[dt.date]:
        n = (self.last - self.first).days
        return [self.first + dt.timedelta(days=i) for i in range(n + 1)]


@dataclass
class HolidayNotice:
    year: int
    holidays: list[Span] = field(default_factory=list)
    workdays: list[tuple[dt.date, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # festival names in notice order

    def holiday_days(self) -> list[dt.date]:
        return sorted({d for s in self.holidays for d in s.days()})

    def workday_days(self) -> list[dt.date]:
        return sorted({d for d, _ in self.workdays})

    def as_json(self) -> dict:
        """``{"year": …, "holidays": ["YYYY-MM-DD", …], "workdays": ["YYYY-MM-DD", …]}``."""
        return {
            "year": self.year,
            "holidays": [d.isoformat() for d in self.holiday_days()],
            "workdays": [d.isoformat() for d in self.workday_days()],
        }

    def names(self) -> dict[dt.date, str]:
        out = {d: s.name for s in self.holidays for d in s.days()}
        out.update({d: "调休上班" for d, _ in self.workdays})
        return out


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width digits and brackets → ASCII forms
    text = text.replace("(", "（").replace(")", "）").replace(":", "：")
    text = re.sub(r"[ \t\u3000\xa0]+", "", text)
    return text.replace("\r", "")


def _weekday_check(day: dt.date, note: str | None, where: str) -> None:
    if not note:
        return
    m = _WEEKDAY_IN.search(note)
    if m and _WEEKDAYS[m.group(1)] != day.weekday():
        raise NoticeError(
            f"{where}：{day.month}月{day.day}日标注为“{m.group(0)}”，但{day.year}年该日是"
            f"星期{'一二三四五六日'[day.weekday()]}，请核对通知原文"
        )


def _date(year: int | None, month: int | None, day: int, where: str) -> dt.date:
    try:
        return dt.date(year, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NoticeError(f"{where}：日期“{month}月{day}日”无效") from None


class _Clause:
    """Dates of one clause (between Chinese commas/semicolons) with the years/months carried on."""

    def __init__(self, text: str, year: int, month: int | None, where: str):
        self.text = text
        self.singles: list[dt.date] = []
        self.ranges: list[tuple[dt.date, dt.date]] = []
        self.year, self.month = year, month
        pos = 0
        while True:
            m = _DATE.search(text, pos)
            if m is None:
                break
            start = self._make(m, where)
            pos = m.end()
            sep = _RANGE_SEP.match(text, pos)
            if sep:
                m2 = _DATE.match(text, sep.end())
                if m2 is None:
                    raise NoticeError(f"{where}：“{text}”中的日期区间不完整")
                end = self._make(m2, where)
                if end < start:
                    raise NoticeError(f"{where}：日期区间“{text}”的结束日期早于开始日期")
                if (end - start).days > 31:
                    raise NoticeError(f"{where}：日期区间“{text}”超过一个月，请核对")
                self.ranges.append((start, end))
                pos = m2.end()
            else:
                self.singles.append(start)

    def _make(self, m: re.Match, where: str) -> dt.date:
        y, mo, d, note = m.group(1), m.group(2), m.group(3), m.group(4)
        if y:
            self.year = int(y)
        if mo:
            self.month = int(mo)
        if self.month is None:
            raise NoticeError(f"{where}：“{m.group(0)}”缺少月份")
        day = _date(self.year, self.month, int(d), where)
        _weekday_check(day, note, where)
        return day


def _clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"[，,；;]", sentence) if c]


def parse_notice(text: str) -> HolidayNotice:
    """Read a holiday notice. Raises :class:`NoticeError` (Chinese message) when it cannot."""
    if not text or not text.strip():
        raise NoticeError("通知内容为空，请粘贴国务院办公厅节假日安排通知的全文")
    t = _normalise(text)
    m = _TITLE.search(t)
    if m is None:
        raise NoticeError("未找到通知标题中的年度（应含“关于20XX年部分节假日安排的通知”），请粘贴通知全文")
    year = int(m.group(1))
    body = t[m.end() :]
    items = list(_ITEM.finditer(body))
    if not items:
        raise NoticeError("未识别出任何节日安排条目（如“一、元旦：……”），请核对通知原文")
    notice = HolidayNotice(year)
    seen_holiday: dict[dt.date, str] = {}
    seen_work: dict[dt.date, str] = {}
    for i, it in enumerate(items):
        name = it.group(2).strip()
        end = items[i + 1].start() if i + 1 < len(items) else len(body)
        content = body[it.end() : end]
        # the closing signature and date (国务院办公厅 2024年11月12日) are not part of the last item
        content = re.split(r"\n\s*\n|节假日期间|国务院办公厅\n", content)[0]
        where = f"第{it.group(1)}项（{name}）"
        notice.items.append(name)
        spans: list[Span] = []
        month: int | None = None
        item_year = year
        for sentence in re.split(r"[。\n]", content):
            if not sentence or "鼓励" in sentence or "提倡" in sentence:
                continue
            for ctext in _clauses(sentence):
                if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ctext):
                    continue  # the signature date at the foot of the notice
                c = _Clause(ctext, item_year, month, where)
                item_year, month = c.year, c.month
                is_work = "上班" in ctext
                is_rest = any(w in ctext for w in ("放假", "补休", "休假", "休息"))
                if not (c.singles or c.ranges):
                    if is_rest and not any(w in ctext for w in ("连休", "不调休", "共")):
                        raise NoticeError(f"{where}：“{ctext}”没有可识别的日期")
                    continue
                if is_work and is_rest:
                    raise NoticeError(f"{where}：“{ctext}”同时提到放假和上班，无法判断")
                if is_work:
                    for d in c.singles + [x for a, b in c.ranges for x in Span(a, b, "").days()]:
                        notice.workdays.append((d, "调休上班"))
                        seen_work[d] = where
                elif is_rest:
                    for a, b in c.ranges:
                        spans.append(Span(a, b, name))
                    for d in c.singles:
                        spans.append(Span(d, d, name))
                else:
                    raise NoticeError(f"{where}：“{ctext}”中的日期既未说明放假也未说明上班")
        if not spans:
            raise NoticeError(f"{where}：没有找到放假日期")
        total = _TOTAL.search(content)
        if total:
            n = len({d for s in spans for d in s.days()})
            if n != int(total.group(1)):
                raise NoticeError(f"{where}：放假日期共{n}天，与通知所写“共{total.group(1)}天”不符")
        for s in spans:
            for d in s.days():
                seen_holiday[d] = where
        notice.holidays.extend(spans)
    both = sorted(set(seen_holiday) & set(seen_work))
    if both:
        d = both[0]
        raise NoticeError(f"{d.month}月{d.day}日既被列为放假又被列为上班，请核对通知原文")
    if not any(d.year == year for d in seen_holiday):
        raise NoticeError(f"通知标题为{year}年，但没有找到{year}年的放假日期")
    return notice
