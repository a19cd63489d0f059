from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For support: see whether emails are waiting or failing. Messages carry no personal details."""

    list_display = ["created_at", "user", "kind", "message", "read_at", "email_state", "email_attempts"]
    list_filter = ["kind", "email_state"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_frequency"]
    list_filter = ["email_frequency"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
