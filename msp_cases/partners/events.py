"""What happened to a record, kept for the partner's system that sent it: `webhook_event_record` is
registered with msp_cases.core.events and runs inside the change's own transaction, so the event is kept
exactly when the change is; after commit its deliveries are made and handed to a worker (tasks.py)."""

from django.db import transaction

from msp_cases.core.events import RecordEvent

from .models import WebhookEvent, WebhookSubscription
from .tasks import fan_out_and_send


def webhook_event_record(event: RecordEvent) -> None:
    """Keep the event if any client listens for this kind at all (one read otherwise: a decision on a
    concern when no partner has a webhook costs no write)."""
    listening = WebhookSubscription.objects.filter(
        is_active=True, client__is_active=True, events__contains=event.name
    )
    if not listening.exists():
        return
    row = WebhookEvent.objects.create(
        type=event.name,
        occurred_at=event.occurred_at,
        referral_id=event.referral_id,
        concern_id=event.concern_id,
        enquiry_id=event.enquiry_id,
        code=event.code or "",
    )
    transaction.on_commit(lambda: fan_out_and_send(event_id=row.pk), robust=True)
