from django.contrib import admin

from .models import Appeal


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "case_number", "filed_date", "decided_date", "outcome")
    list_filter = ("kind", "outcome")
    search_fields = ("case_number", "agency__name")
    raw_id_fields = ("application",)
