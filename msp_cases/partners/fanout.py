"""Turning a recorded event into its deliveries, after the change committed: one per active subscription of
the client that sent the referral the event is about (the unique pair decides, so running it twice makes no
second). Which client that is is read now, not inside the change: a concern closed at the front door is
decided before the referral is linked to it, in the same transaction."""

from django.db import transaction
from django.utils import timezone

from msp_cases.api.models import ApiReferral

from .models import WebhookDelivery, WebhookEvent, WebhookSubscription


def sent_through_api(event: WebhookEvent) -> ApiReferral | None:
    """The partner's referral this event is about, if a partner's system sent it."""
    found = ApiReferral.objects.select_related("client")
    if event.referral_id is not None:
        return found.filter(referral_id=event.referral_id).first()
    if event.concern_id is not None:
        return found.filter(referral__concern_id=event.concern_id).first()
    return None


def webhook_event_fan_out(*, event_id) -> list[int]:
    """Make the event's deliveries and return the ids of those pending, for the caller to queue. Safe to run
    twice: the event row is locked and marked done."""
    with transaction.atomic():
        event = (
            WebhookEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, fanned_out_at=None)
            .first()
        )
        if event is None:
            return []
        sent = sent_through_api(event)
        if sent is not None and sent.client.is_active:
            subscriptions = [
                subscription
                for subscription in WebhookSubscription.objects.filter(client=sent.client, is_active=True)
                if event.type in subscription.event_list
            ]
            WebhookDelivery.objects.bulk_create(
                [
                    WebhookDelivery(
                        event=event,
                        subscription=subscription,
                        referral_id=sent.referral_id,
                        next_attempt_at=timezone.now(),
                    )
                    for subscription in subscriptions
                ],
                ignore_conflicts=True,
            )
        event.fanned_out_at = timezone.now()
        event.save(update_fields=["fanned_out_at"])
        ids = list(
            WebhookDelivery.objects.filter(event=event, status=WebhookDelivery.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
    return ids


def webhook_events_unfanned(*, minutes: int = 5) -> list:
    """Events recorded a while ago whose deliveries were never made (the process ended before it could)."""
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    return list(
        WebhookEvent.objects.filter(fanned_out_at=None, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
