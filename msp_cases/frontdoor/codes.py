"""The one-time code a referrer types before a page shows them anything: the professional coming back to a
saved draft, and the professional reading what became of their referral. One mechanism for both.

A 6-digit code is emailed to the address already on the record (never one typed on the page), good for
FRONT_DOOR_CODE_MINUTES and FRONT_DOOR_CODE_ATTEMPTS tries; asking again replaces it; a right code is used
up. Only a hash keyed with SECRET_KEY is stored, over the holder's table and id as well as the code, so a copy
of the table alone cannot be used to test guesses, nor a code for one row open another. The callers count
emails per address written to (FRONT_DOOR_RATE_EMAIL) before asking for a code."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from msp_cases.core.exceptions import ServiceRefused

from . import emails
from .models import OneTimeCode


class CodeRefused(ServiceRefused):
    """A wrong, expired or used-up one-time code."""


def digest(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def _code_digest(holder: OneTimeCode, code: str) -> str:
    return digest(f"{holder._meta.label_lower}:{holder.pk}:{code}")


def code_send(*, holder: OneTimeCode, email: str, purpose: str) -> None:
    """A new code to `email`; any earlier code of `holder` stops working. `purpose` ends the sentence
    "Enter it to …" in the email."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        type(holder).objects.filter(pk=holder.pk).update(
            code_hash=_code_digest(holder, code),
            code_expires_at=timezone.now() + datetime.timedelta(minutes=settings.FRONT_DOOR_CODE_MINUTES),
            code_attempts=0,
        )
    emails.code_send(email=email, code=code, minutes=settings.FRONT_DOOR_CODE_MINUTES, purpose=purpose)


def code_use(*, holder: OneTimeCode, code: str) -> OneTimeCode:
    """`holder` again, locked and read afresh, if `code` is its current code, in time and within the tries
    allowed; the code is then cleared, so it cannot be used twice. Otherwise CodeRefused, with the wrong try
    counted (committed, not rolled back with the refusal)."""
    with transaction.atomic():
        locked = type(holder).objects.select_for_update().get(pk=holder.pk)
        if not locked.code_hash or locked.code_expires_at is None or locked.code_expires_at <= timezone.now():
            raise CodeRefused("The security code has expired. Ask for a new code.", field="code")
        if locked.code_attempts >= settings.FRONT_DOOR_CODE_ATTEMPTS:
            raise CodeRefused(
                "You have entered a wrong code too many times. Ask for a new code.", field="code"
            )
        if hmac.compare_digest(locked.code_hash, _code_digest(locked, code.strip())):
            locked.code_hash, locked.code_expires_at = "", None
            locked.save(update_fields=["code_hash", "code_expires_at"])
            return locked
        locked.code_attempts += 1
        locked.save(update_fields=["code_attempts"])
        used_up = locked.code_attempts >= settings.FRONT_DOOR_CODE_ATTEMPTS
    raise CodeRefused(
        "You have entered a wrong code too many times. Ask for a new code."
        if used_up
        else "The security code is not right. Check the email and try again.",
        field="code",
    )
