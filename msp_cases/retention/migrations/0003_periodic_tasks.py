"""Retention's scheduled tasks, created once in django-celery-beat's tables beside the rest of the schedule
(msp_cases/core/migrations/0001_periodic_tasks.py), so they are changed in the admin (Periodic tasks) and a
later deploy never overwrites an edited schedule: the review dates each night, and the unit leads' notice of
the cases due on the first of each month."""

from django.db import migrations

# name: (task, crontab (minute, hour, day of month))
SCHEDULE = {
    "Work out closed cases' retention review dates": ("retention.refresh_schedule", ("15", "3", "*")),
    "Tell unit leads which closed cases are due for retention review": (
        "retention.notify_due",
        ("0", "7", "1"),
    ),
}


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, (minute, hour, day_of_month)) in SCHEDULE.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month=day_of_month,
            month_of_year="*",
            timezone="Europe/London",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_who_manages_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
