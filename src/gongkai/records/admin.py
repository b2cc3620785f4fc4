from django.contrib import admin

from .models import CleanupCampaign, CleanupItem, IssuerCode, Record, RecordAttachment, RecordEvent, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "sort", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")


@admin.register(IssuerCode)
class IssuerCodeAdmin(admin.ModelAdmin):
    list_display = ("agency", "code")
    search_fields = ("agency__name", "code")


class AttachmentInline(admin.TabularInline):
    model = RecordAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "text_error")
    readonly_fields = fields
    can_delete = False


class EventInline(admin.TabularInline):
    model = RecordEvent
    extra = 0
    fields = ("seq", "label", "from_state", "to_state", "actor", "role", "at", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    """Read-mostly: state changes go through the workbench (the lifecycle's single write path)."""

    list_display = (
        "title",
        "index_number",
        "doc_number",
        "agency",
        "category",
        "state",
        "validity",
        "published_on",
    )
    list_filter = ("category", "state", "validity", "disclosure_attribute")
    search_fields = ("title", "doc_number", "index_number")
    raw_id_fields = ("agency", "replaced_by", "topic")
    readonly_fields = ("state", "index_number", "publish_due", "publish_due_error", "created_by")
    inlines = [AttachmentInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False


class CleanupItemInline(admin.TabularInline):
    model = CleanupItem
    extra = 0
    raw_id_fields = ("record",)
    readonly_fields = ("decided_by", "decided_at")


@admin.register(CleanupCampaign)
class CleanupCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "include_subtree", "state", "applied_on")
    inlines = [CleanupItemInline]
