"""Administrator-entered official calendar data (工作日历).

Each year the State Council publishes 国务院办公厅关于某年部分节假日安排的通知. The
``chinese-calendar`` package carries 2004–2026; later years (and corrections) are entered here:

- :class:`CalendarOverride` — one day that differs from the default (holiday on a weekday, or a
  make-up working day 调休上班 on a weekend), or corrects the package.
- :class:`CalendarYear` — the administrator's declaration that a year's notice has been entered
  completely; only then does the calendar cover a year the package does not know.

Saving or deleting either sends :data:`gongkai.workdays.signals.calendar_changed`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone


class CalendarYear(models.Model):
    """A year whose official holiday arrangement (国务院办公厅通知) has been entered."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    complete = models.BooleanField(
        "已完整录入",
        default=False,
        help_text="勾选表示该年度国务院办公厅节假日安排通知已全部录入，系统据此计算期限",
    )
    notice_reference = models.CharField(
        "通知文号/标题",
        max_length=200,
        blank=True,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
    )
    notice_url = models.CharField("通知链接", max_length=200, blank=True, validators=[URLValidator()])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年（{'已完整录入' if self.complete else '未完成'}）"


class CalendarOverride(models.Model):
    """One official day: a holiday (放假) or a make-up working day (调休上班)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选=上班（如调休上班）；不勾选=放假")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节、调休上班")
    source = models.TextField("依据", blank=True, help_text="通知文号或原文摘录")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历调整"
        verbose_name_plural = "日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date.isoformat()} {self.name or kind}（{kind}）"
