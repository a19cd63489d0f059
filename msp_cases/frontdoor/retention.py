"""How long the public form keeps what it does not send: a professional's draft is deleted
FRONT_DOOR_DRAFT_KEEP_DAYS after it was last saved (its `expires_at`)."""

from django.utils import timezone

from .models import ReferralDraft


def drafts_delete_expired() -> int:
    """Delete every draft past its time. One statement; running it twice deletes nothing more."""
    deleted, _ = ReferralDraft.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
