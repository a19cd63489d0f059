"""The webhooks' sweep, created once in django-celery-beat's tables beside the rest of the schedule
(msp_cases/core/migrations/0001_periodic_tasks.py), so it is changed in the admin and a later deploy never
overwrites an edited schedule."""

from django.db import migrations

NAME = "Send webhook deliveries the broker missed"
TASK = "webhooks.requeue_pending"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": interval})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_who_manages_clients"),
        ("core", "0001_periodic_tasks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
