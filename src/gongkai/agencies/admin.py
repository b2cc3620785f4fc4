from django.contrib import admin

from .models import Agency, Membership

# The admin's header and titles in Chinese (Django's default header is 「Django 管理」).
admin.site.site_header = "政府信息公开平台 · 系统管理"
admin.site.site_title = "政府信息公开平台系统管理"
admin.site.index_title = "系统管理"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "tracking_prefix", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
