"""Case records are not registered on purpose: administrators see no case records (msp_cases/access.py), and
the Django admin would bypass the access rule. My Safeguarding Experience and case-file audits are read and
changed through the case pages. The one exception is the audit samples' own details (who drew which period,
team, size and seed — no person, no enquiry), read-only, so a sample can be traced."""

from django.contrib import admin

from .models import AuditSample


@admin.register(AuditSample)
class AuditSampleAdmin(admin.ModelAdmin):
    list_display = ("pk", "drawn_at", "drawn_by", "period_start", "period_end", "team", "size", "seed")
    fields = ("drawn_at", "drawn_by", "period_start", "period_end", "team", "size", "seed", "eligible_count")
    readonly_fields = fields
    list_select_related = ("drawn_by", "team")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
