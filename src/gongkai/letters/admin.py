from django.contrib import admin
from django.utils.html import format_html

from .models import GeneratedDocument, LetterTemplate
from .services import CONTEXT_DOC


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Edit letter templates per agency (留空机关 = 平台默认)."""

    list_display = ["kind", "agency", "name", "active", "updated_at", "updated_by"]
    list_filter = ["kind", "active", ("agency", admin.EmptyFieldListFilter)]
    search_fields = ["name", "title", "agency__name"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["updated_at", "updated_by", "context_help"]
    fields = [
        "agency",
        "kind",
        "name",
        "active",
        "title",
        "doc_number",
        "addressee",
        "body",
        "notes",
        "cc",
        "context_help",
        "updated_at",
        "updated_by",
    ]

    @admin.display(description="可用变量")
    def context_help(self, obj=None):
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', CONTEXT_DOC)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Generated documents are immutable: read-only in the admin."""

    list_display = ["title", "doc_number", "application", "kind", "issue_date", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "doc_number", "application__tracking_number"]
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
