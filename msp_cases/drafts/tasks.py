"""The nightly expiry of drafts: thin, the service does the work."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import drafts_delete_expired


@shared_task(
    name="drafts.delete_expired",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=5,
)
def delete_expired() -> int:
    """Delete drafts past DRAFT_KEEP_DAYS; returns how many."""
    return drafts_delete_expired()
