from django.contrib import admin

from .models import Art20Count, NormativeDocument


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "doc_number",
        "agency",
        "kind",
        "issue_date",
        "abolition_date",
        "status",
        "published",
    )
    list_filter = ("kind", "status", "published")
    search_fields = ("title", "doc_number")


@admin.register(Art20Count)
class Art20CountAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "kind", "decisions", "prev_year_items", "change", "fee_amount")
    list_filter = ("year", "kind")
