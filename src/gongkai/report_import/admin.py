from django.contrib import admin

from .models import ImportBatch, ImportedReport, ImportItem


@admin.register(ImportedReport)
class ImportedReportAdmin(admin.ModelAdmin):
    list_display = (
        "agency",
        "year",
        "template_id",
        "finding_count",
        "missing_count",
        "status",
        "imported_at",
    )
    list_filter = ("status", "template_id", "year")
    search_fields = ("agency__name", "agency_name_printed", "source_name", "sha256")
    raw_id_fields = ("agency", "batch", "imported_by")
    readonly_fields = ("sha256", "imported_at")


class ImportItemInline(admin.TabularInline):
    model = ImportItem
    extra = 0
    fields = ("path", "status", "error", "duplicate", "report")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "label", "source_kind", "total", "done", "failed", "status", "created_at")
    list_filter = ("status", "source_kind")
    raw_id_fields = ("agency", "created_by")


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    list_display = ("id", "batch", "path", "status", "duplicate", "processed_at")
    list_filter = ("status",)
    search_fields = ("path", "sha256")
    raw_id_fields = ("batch", "report")
