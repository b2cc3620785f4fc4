"""Admin of applications: read-only views. Casework writes go through the workflow services
(workbench / API); the event log is append-only and cannot be edited here."""

from django.contrib import admin

from .models import Application, ApplicationEvent, Attachment, FeeNotice, TrackingCounter


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = ApplicationEvent
    fields = (
        "seq",
        "action",
        "from_state",
        "to_state",
        "actor",
        "actor_label",
        "at",
        "effective_date",
        "reason",
    )
    readonly_fields = fields
    extra = 0
    ordering = ("seq",)


class FeeNoticeInline(ReadOnlyMixin, admin.TabularInline):
    model = FeeNotice
    fields = ("method", "amount", "issued_on", "pay_by", "paid_on", "lapsed_on")
    readonly_fields = fields
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "tracking_number",
        "agency",
        "applicant_name",
        "channel",
        "received_date",
        "state",
        "due_date",
        "outcome",
        "closed_on",
    )
    list_filter = ("state", "channel", "applicant_type", "outcome", "agency")
    search_fields = ("tracking_number", "applicant_name", "description")
    date_hierarchy = "received_date"
    inlines = [FeeNoticeInline, EventInline]
    list_select_related = ("agency",)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "application",
        "seq",
        "action",
        "from_state",
        "to_state",
        "actor",
        "actor_label",
        "at",
        "effective_date",
    )
    list_filter = ("action",)
    search_fields = ("application__tracking_number",)
    list_select_related = ("application", "actor")


@admin.register(FeeNotice)
class FeeNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "method", "amount", "issued_on", "pay_by", "paid_on", "lapsed_on")
    list_filter = ("method",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "original_name", "content_type", "size", "uploaded_at")


@admin.register(TrackingCounter)
class TrackingCounterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("agency", "year", "last_serial")
