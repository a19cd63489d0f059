"""Retention's tasks: thin, taking ids, calling a service."""

from celery import shared_task

from . import disposal, schedule


@shared_task(name="retention.refresh_schedule")
def refresh_schedule() -> int:
    """Nightly: each person's review date as their records are now."""
    return schedule.schedule_refresh()


@shared_task(name="retention.notify_due")
def notify_due() -> int:
    """Monthly: tell the unit leads how many closed cases are due for review (once a month, whatever runs)."""
    schedule.schedule_refresh()
    return schedule.due_notify()


@shared_task(name="retention.carry_out_disposal", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def carry_out_disposal(disposal_id: int) -> str:
    return disposal.disposal_carry_out(disposal_id=disposal_id).status
