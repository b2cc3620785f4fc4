from django.contrib import admin

from .models import Art20Count


@admin.register(Art20Count)
class Art20CountAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "kind", "decisions", "prev_year_items", "change", "fee_amount")
    list_filter = ("year", "kind")
