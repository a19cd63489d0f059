from django.contrib import admin

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "user", "action", "content_type", "object_id", "ip_address", "detail"]
    list_filter = ["action", "content_type"]
    date_hierarchy = "occurred_at"

    # The record of access is append-only, here as everywhere.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
