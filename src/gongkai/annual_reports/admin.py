from django.contrib import admin

from .models import AnnualReport, ReportVersion


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "scope", "template_id", "status", "first_published_at")
    list_filter = ("year", "status", "scope")
    search_fields = ("agency__name",)


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ("report", "number", "error_count", "warning_count", "published_at", "published_by")
    readonly_fields = [f.name for f in ReportVersion._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published
