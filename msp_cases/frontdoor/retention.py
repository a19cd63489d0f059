"""How long the public form keeps what it does not send: a professional's draft is deleted
FRONT_DOOR_DRAFT_KEEP_DAYS after it was last saved (its `expires_at`), and the answers of a journey left
unfinished go with its session: Django stops reading an expired session at once but deletes its row only
when asked (`clearsessions`), so the nightly task asks."""

from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .models import ReferralDraft


def drafts_delete_expired() -> int:
    """Delete every draft past its time. One statement; running it twice deletes nothing more."""
    deleted, _ = ReferralDraft.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def sessions_delete_expired() -> None:
    """Delete expired sessions, and with them unfinished answers to the public form (Django's own
    `clearsessions`, for whichever session engine is configured)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
