"""The documents' scheduled task, created once in django-celery-beat's tables beside the rest of the schedule
(msp_cases/core/migrations/0001_periodic_tasks.py), so it too is changed in the admin (Periodic tasks) and a
later deploy never overwrites an edited schedule."""

from django.db import migrations

# name: (task, every N minutes)
SCHEDULE = {
    # While clamd is unreachable uploaded files wait, never served; this scans them once it is back.
    "Scan documents still waiting for a virus scan": ("documents.rescan_waiting", 5),
}


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, minutes) in SCHEDULE.items():
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
