"""Retention's tasks: thin, taking ids, calling a service."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import disposal, schedule
from .models import Disposal


@shared_task(name="retention.refresh_schedule")
def refresh_schedule() -> int:
    """Nightly: each person's review date as their records are now; and any disposal approved over an hour
    ago but not carried out (its task lost with the broker) is queued again."""
    stale = timezone.now() - datetime.timedelta(hours=1)
    for pk in Disposal.objects.filter(status=Disposal.Status.APPROVED, approved_at__lt=stale).values_list(
        "pk", flat=True
    ):
        carry_out_disposal.delay(pk)
    return schedule.schedule_refresh()


@shared_task(name="retention.notify_due")
def notify_due() -> int:
    """Monthly: tell the unit leads how many closed cases are due for review (once a month, whatever runs)."""
    schedule.schedule_refresh()
    return schedule.due_notify()


@shared_task(name="retention.carry_out_disposal", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def carry_out_disposal(disposal_id: int) -> str:
    return disposal.disposal_carry_out(disposal_id=disposal_id).status
