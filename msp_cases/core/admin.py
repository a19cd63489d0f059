"""django-celery-beat's crontab admin, made safe for what an administrator may type.

Its read-only "human readable" description is computed from the unsaved values when the form is shown again
with errors, and a value celery cannot parse (a negative minute, say) raised a server error instead of the
form's own "Enter a valid value". The description here falls back to the raw fields.
"""

from django.contrib import admin
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule


class CrontabScheduleAdmin(BeatCrontabScheduleAdmin):
    fields = ("description", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("description",)
    list_display = ("__str__", "description")

    @admin.display(description="Human readable")
    def description(self, obj: CrontabSchedule) -> str:
        if obj is None or obj.pk is None:
            return "—"
        try:
            return obj.human_readable
        except (ValueError, TypeError, KeyError, IndexError):
            return str(obj)


admin.site.unregister(CrontabSchedule)
admin.site.register(CrontabSchedule, CrontabScheduleAdmin)
