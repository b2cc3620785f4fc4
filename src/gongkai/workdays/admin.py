from django.contrib import admin, messages

from .calendar import upcoming_uncovered_years
from .models import CalendarOverride, CalendarYear


def _alert(request) -> None:
    missing = upcoming_uncovered_years()
    if missing:
        years = "、".join(f"{y}年" for y in missing)
        messages.warning(
            request,
            f"{years}的法定节假日安排尚未录入：涉及这些年份的答复期限无法计算。"
            "请依据国务院办公厅通知录入放假和调休上班日期，并在“年度节假日安排”中标记为已完整录入。",
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "complete", "notice_reference", "entered_by", "entered_at"]
    list_filter = ["complete"]
    search_fields = ["notice_reference"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        from django.utils import timezone

        obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        _alert(request)
        return super().changelist_view(request, extra_context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "source", "updated_at"]
    list_filter = ["is_workday", "name"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        _alert(request)
        return super().changelist_view(request, extra_context)
