"""Admin: the drift policies (one row per rule, fixed: change only) and the reminders (read-only). Case
records are changed through the service's pages, never here; nothing here can be deleted."""

from django.contrib import admin

from .models.drift import DriftPolicy, Reminder


@admin.register(DriftPolicy)
class DriftPolicyAdmin(admin.ModelAdmin):
    list_display = ["rule", "enabled", "days", "escalate_after_days", "updated_at"]
    list_editable = ["enabled", "days", "escalate_after_days"]
    readonly_fields = ["rule", "updated_at"]
    fields = ["rule", "enabled", "days", "escalate_after_days", "updated_at"]

    def has_add_permission(self, request):
        return False  # the six rules are created by a migration; the scan knows only those

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: a reminder is raised and resolved by the scan. Ids only: no names on this page."""

    list_display = ["pk", "rule", "object_id", "due_on", "team", "status", "created_at", "escalated_at"]
    list_filter = ["rule", "status", "team"]
    date_hierarchy = "created_at"
    list_select_related = ["team"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
