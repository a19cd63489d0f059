"""The account review's scheduled task, created once in django-celery-beat's tables beside the rest of the
schedule (msp_cases/core/migrations/0001_periodic_tasks.py), so it too is changed in the admin (Periodic
tasks) and a later deploy never overwrites an edited schedule."""

from django.db import migrations

NAME = "Deactivate accounts nobody has used"
TASK = "account_review.deactivate_unused"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Nightly, before the working day, so a manager's notification is waiting in the morning.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, backwards)]
