"""A conversation a partner's system records on an enquiry, once per Idempotency-Key when it sends one.

The conversation is recorded by the page's own service (`conversation_record`, its rules and words); this
module only keeps which client recorded it under which key (ApiConversation), with the same key rules and
the same answer to a retry as a referral: the same key and body answer with the conversation already
recorded, never a second one; the same key with another body is refused. The key is optional here (a
conversation sent without one is recorded each time it is sent), as a partner's log may already be its
own guard; a partner that retries should send one."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enquiries.models import ConversationLog, Enquiry
from enquiries.services.conversations import conversation_record
from msp_cases.core.actor import Actor

from .models import ApiClient, ApiConversation
from .referrals import IdempotencyKeyReused, idempotency_key_problems, request_hash


@dataclass(frozen=True)
class Recorded:
    conversation: ConversationLog
    replayed: bool  # an earlier request's conversation, answered again


def _stored(client: ApiClient, key: str) -> ApiConversation | None:
    return (
        ApiConversation.objects.select_related("conversation__recorded_by")
        .filter(client=client, idempotency_key=key)
        .first()
    )


def _replay(stored: ApiConversation, digest: str, enquiry: Enquiry) -> Recorded:
    if stored.request_hash != digest or stored.conversation.enquiry_id != enquiry.pk:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different conversation: use a new key for each one"
        )
    return Recorded(conversation=stored.conversation, replayed=True)


def api_conversation_record(
    *, actor: Actor, client: ApiClient, enquiry: Enquiry, idempotency_key: str | None, body, fields: dict
) -> Recorded:
    """Record `fields` (already read from `body`) on `enquiry`, once per key when a key is given. Raises
    ValidationError (the key's or the service's problems), EnquiryClosed or IdempotencyKeyReused."""
    if idempotency_key is None:
        return Recorded(conversation_record(actor=actor, enquiry=enquiry, fields=fields), replayed=False)
    problems = idempotency_key_problems(idempotency_key, each="conversation")
    if problems:
        raise ValidationError({"Idempotency-Key": problems})
    digest = request_hash(body)
    if stored := _stored(client, idempotency_key):
        return _replay(stored, digest, enquiry)
    try:
        with transaction.atomic():
            log = conversation_record(actor=actor, enquiry=enquiry, fields=fields)
            ApiConversation.objects.create(
                client=client, idempotency_key=idempotency_key, request_hash=digest, conversation=log
            )
    except IntegrityError:
        # The same key sent twice at once: the other request's insert committed first, and this one's
        # conversation was rolled back with it. Answer as a retry would be answered.
        stored = _stored(client, idempotency_key)
        if stored is None:
            raise
        return _replay(stored, digest, enquiry)
    return Recorded(conversation=log, replayed=False)
