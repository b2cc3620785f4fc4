"""Admin of applications: read-only views. Casework writes go through the workflow services
(workbench / API); the event log is append-only and cannot be edited here."""

from django.contrib import admin

from .models import Application, ApplicationEvent, Attachment, FeeNotice, PersonalDataReveal, TrackingCounter
from .services import personal_data


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
    # The applicant's secret (not even its hash) and full personal data are not shown here:
    # personal data appear masked; the full values only through the workbench's logged reveal.
    exclude = ("query_code_hash", *personal_data.MASKERS)
    readonly_fields = ("masked_id_number", "masked_phone", "masked_email", "masked_address")

    @admin.display(description="身份证明号码（部分隐去）")
    def masked_id_number(self, obj):
        return personal_data.masked(obj)["id_document_number"]

    @admin.display(description="联系电话（部分隐去）")
    def masked_phone(self, obj):
        return personal_data.masked(obj)["phone"]

    @admin.display(description="电子邮箱（部分隐去）")
    def masked_email(self, obj):
        return personal_data.masked(obj)["email"]

    @admin.display(description="通信地址（部分隐去）")
    def masked_address(self, obj):
        return personal_data.masked(obj)["postal_address"]

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


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "user", "application", "fields", "channel", "client_address")
    list_filter = ("channel",)
    search_fields = ("application__tracking_number", "user__username")
    list_select_related = ("application", "user")
