"""The account review's scheduled task: thin, the service does the work and decides what is already done."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .services import accounts_deactivate_unused


@shared_task(
    name="account_review.deactivate_unused",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=5,
)
def deactivate_unused() -> int:
    """Deactivate accounts unused for MSP_ACCOUNT_INACTIVE_DAYS; returns how many."""
    return len(accounts_deactivate_unused(days=settings.MSP_ACCOUNT_INACTIVE_DAYS))
