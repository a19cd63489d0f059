"""A machine client of the partners' API: an OAuth 2 application (django-oauth-toolkit) with the scopes it
was given and the service account it acts as."""

from django.conf import settings
from django.db import models


class ApiClient(models.Model):
    """A partner's system. It acts as `user`, a service account that cannot sign in to the pages (no usable
    password, an address no identity provider can vouch for) and is a member of the teams the client is
    bound to, with the API client role (read permissions only): the pages' access rule scopes its reads.
    A client bound to no team is the front door's only (it sees the people it sent, nobody else)."""

    name = models.CharField(max_length=100, unique=True)
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="api_client"
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client")
    # Space-separated, as OAuth 2 writes scopes (msp_cases/api/scopes.py).
    scopes = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class ApiReferral(models.Model):
    """A concern a partner's system sent to the front door (POST /api/v1/referrals/): which client sent it,
    under which Idempotency-Key, and a hash of what it sent. The unique (client, key) decides a retry, even
    two at once: the same key and body answer with the referral already made, never a second one; the
    same key with another body is refused."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="referrals")
    # As the client sent it: an opaque string of its choosing (a UUID, say), never shown to anyone else.
    idempotency_key = models.CharField(max_length=255)
    # SHA-256 of the request's JSON, keys sorted: the same body however it was spaced or ordered.
    request_hash = models.CharField(max_length=64)
    referral = models.OneToOneField(
        "frontdoor.Referral", on_delete=models.PROTECT, related_name="api_referral"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "referral sent through the API"
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="api_referral_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.referral} from {self.client}"


class ApiConversation(models.Model):
    """A conversation a partner's system recorded on an enquiry (POST …/conversations/) under an
    Idempotency-Key: as for a referral, the unique (client, key) decides a retry, even two at once, so a
    partner that sends again after a lost answer never records the conversation twice."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="conversations")
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    conversation = models.OneToOneField(
        "enquiries.ConversationLog", on_delete=models.PROTECT, related_name="api_conversation"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "conversation recorded through the API"
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="api_conversation_one_per_key")
        ]

    def __str__(self) -> str:
        return f"Conversation {self.conversation_id} from {self.client}"
