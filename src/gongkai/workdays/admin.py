from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .calendar import upcoming_uncovered_years
from .models import CalendarOverride, CalendarYear


def _alert(request) -> None:
    missing = upcoming_uncovered_years()
    if missing:
        years = "、".join(f"{y}年" for y in missing)
        messages.warning(
            request,
            f"{years}的节假日安排尚未录入：涉及这些年份的期限暂按法定节假日计算（标注“暂定”）。"
            "国务院办公厅通知发布后，请在“年度节假日安排 → 录入节假日通知”中粘贴通知全文一次录入。",
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
        extra_context = {**(extra_context or {}), "notice_url": reverse("admin:workdays_calendaryear_notice")}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        urls = [
            path(
                "notice/",
                self.admin_site.admin_view(self.notice_view),
                name="workdays_calendaryear_notice",
            )
        ]
        return urls + super().get_urls()

    def notice_view(self, request):
        """录入节假日通知: paste the notice, check the parsed calendar, confirm to save."""
        from django.core.exceptions import PermissionDenied

        from gongkai.core.holiday_notice import NoticeError, parse_notice

        from .services import enter_notice_text

        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        text = request.POST.get("text", "") if request.method == "POST" else ""
        ctx = {
            **self.admin_site.each_context(request),
            "title": "录入节假日通知",
            "text": text,
            "opts": self.model._meta,
        }
        if request.method == "POST":
            try:
                notice = parse_notice(text)
            except NoticeError as exc:
                ctx["error"] = str(exc)
            else:
                if request.POST.get("confirm") == "1":
                    cy, changed = enter_notice_text(
                        text, user=request.user, notice_url=request.POST.get("url", "")
                    )
                    messages.success(
                        request,
                        f"已录入{cy.year}年节假日安排；{changed}件在办申请的答复期限已按正式安排重新计算。",
                    )
                    return redirect("admin:workdays_calendaryear_changelist")
                ctx["notice"] = notice
                ctx["rows"] = _preview_rows(notice)
        return TemplateResponse(request, "admin/workdays/notice.html", ctx)


def _preview_rows(notice) -> list[dict]:
    """One row per span / make-up day, with weekdays, for the confirmation table."""
    wd = "一二三四五六日"
    rows = []
    for s in notice.holidays:
        days = (s.last - s.first).days + 1
        rows.append(
            {
                "name": s.name,
                "kind": "放假",
                "text": f"{s.first:%Y-%m-%d}（周{wd[s.first.weekday()]}）"
                + (f" 至 {s.last:%Y-%m-%d}（周{wd[s.last.weekday()]}）" if days > 1 else ""),
                "days": days,
            }
        )
    for d, _ in notice.workdays:
        rows.append(
            {"name": "调休上班", "kind": "上班", "text": f"{d:%Y-%m-%d}（周{wd[d.weekday()]}）", "days": 1}
        )
    return rows


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "source", "updated_at"]
    list_filter = ["is_workday", "name"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        _alert(request)
        return super().changelist_view(request, extra_context)
