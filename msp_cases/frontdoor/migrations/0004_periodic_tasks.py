"""The front door's scheduled tasks, created once in django-celery-beat's tables beside the rest of the
schedule (msp_cases/core/migrations/0001_periodic_tasks.py), so they too are changed in the admin (Periodic
tasks) and a later deploy never overwrites an edited schedule."""

from django.db import migrations

# name: (task, every N minutes | crontab "minute hour")
SCHEDULE = {
    "Delete expired report-a-concern drafts": ("frontdoor.delete_expired_drafts", {"crontab": ("45", "2")}),
    "Tell professional referrers their referral's outcome": ("frontdoor.notify_outcomes", {"every": 30}),
}


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, when) in SCHEDULE.items():
        if "every" in when:
            interval, _ = IntervalSchedule.objects.get_or_create(every=when["every"], period="minutes")
            schedule = {"interval": interval}
        else:
            minute, hour = when["crontab"]
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Europe/London",
            )
            schedule = {"crontab": crontab}
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, **schedule})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frontdoor", "0003_referral_submission_key"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
