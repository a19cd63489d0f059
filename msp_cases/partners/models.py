"""Webhooks: where a partner's system is told what became of the referrals it sent, each event once.

- `WebhookSubscription`: a client's address for some events, with the secret every request to it is signed
  with (shown once, when it is made; kept as it is, because signing needs it: see docs/api.md "Webhooks").
- `WebhookEvent`: an event that happened (core.events), written in the same transaction as the change, so it
  is kept exactly when the change is. Ids and one coded value only, never case content.
- `WebhookDelivery`: one event to one subscription, unique on the pair: made once, sent until delivered or
  failed."""

import uuid

from django.conf import settings
from django.db import models

from msp_cases.core.events import CONCERN_DECIDED, ENQUIRY_CONCLUDED, REFERRAL_RECEIVED


class EventType(models.TextChoices):
    REFERRAL_RECEIVED = REFERRAL_RECEIVED, "Referral received: screened at the front door"
    CONCERN_DECIDED = CONCERN_DECIDED, "Concern decided"
    ENQUIRY_CONCLUDED = ENQUIRY_CONCLUDED, "Enquiry concluded"


class WebhookSubscription(models.Model):
    client = models.ForeignKey(
        "api.ApiClient", on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500)
    # Space-separated event types, as scopes are kept.
    events = models.CharField(max_length=200)
    # "whsec_" and 32 random bytes in base64: the HMAC-SHA256 key. Never shown again, never in a list or log.
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["client", "-created_at", "pk"]
        permissions = [("manage_api_clients", "Can make and switch off partners' API clients and webhooks")]

    def __str__(self) -> str:
        return f"Webhook {self.pk} of {self.client}"

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    def get_event_list_display(self) -> list[str]:
        labels = dict(EventType.choices)
        return [labels.get(event, event) for event in self.event_list]


class WebhookEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    referral = models.ForeignKey(
        "frontdoor.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concern = models.ForeignKey(
        "enquiries.SafeguardingConcern", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The decision, the referral's state, or the enquiry's outcome (SAC SG2c): a code, never free text.
    code = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When its deliveries were made (after commit); empty until then, so a sweep can finish what was missed.
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(
                fields=["created_at"], name="webhook_event_unfanned", condition=models.Q(fanned_out_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(WebhookEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries")
    # The referral the event is about, as the partner sent it (resolved when the delivery is made).
    referral = models.ForeignKey("frontdoor.Referral", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What went wrong last, in a few words ("HTTP 500", "Connection refused"): never the receiver's body.
    last_error = models.CharField(max_length=200, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the next attempt is due: a pending delivery well past it lost its message (the broker was down),
    # and the sweep (tasks.requeue_pending) sends it again.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="webhook_delivery_due", condition=models.Q(status="pending")
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription}"
