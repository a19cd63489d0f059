"""The beat schedule, created once in django-celery-beat's tables so it can then be changed in the admin
(Periodic tasks). A later deploy never overwrites an edited schedule: this runs once."""

from django.db import migrations

# name: (task, every N minutes | crontab "minute hour")
SCHEDULE = {
    "Anti-drift scan": ("enquiries.scan_drift", {"every": 15}),
    "Send notification emails still pending": ("notifications.send_pending_emails", {"every": 10}),
    "Daily digest of notifications": ("notifications.send_daily_digests", {"crontab": ("0", "7")}),
    "Queue exports the broker did not take": ("exports.requeue_unsent", {"every": 5}),
    "Delete expired exports": ("exports.delete_expired", {"crontab": ("30", "2")}),
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
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, backwards)]
