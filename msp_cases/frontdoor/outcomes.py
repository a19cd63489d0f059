"""Telling a professional referrer what became of their referral: once the locality team has decided on the
concern recorded from it (a section 42 enquiry, another enquiry, or no further safeguarding action), the
referrer gets an email with a link, and the page behind the link says which, with the reference and nothing
else. The email itself says only that there is an outcome to see.

The link carries the reference signed with the secret key and a time (django.core.signing): nothing to store,
nothing to guess, and it stops working after FRONT_DOOR_OUTCOME_LINK_DAYS. The link alone shows nothing: the
page emails a one-time code to the referrer's work address on the referral (codes.py, the mechanism a saved
draft uses) and shows the decision only once that code is typed, so a forwarded or intercepted email is not
enough. Exactly once: each referral is
claimed under a row lock (skip_locked), emailed, then marked in the same transaction; a failed send rolls the
mark back and the next run tries again."""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msp_cases.core.actor import Actor

from . import codes
from .models import Referral, ReferralEvent, ReferralOutcomeCode

logger = logging.getLogger(__name__)

SALT = "frontdoor.referral-outcome"
DECIDED = [choice.value for choice in Referral.Outcome]


def outcome_link_token(referral: Referral) -> str:
    return signing.dumps(referral.reference, salt=SALT, compress=False)


def referral_for_outcome_token(token: str) -> Referral | None:
    """The referral whose outcome this link shows, while the link is in date."""
    try:
        reference = signing.loads(
            token[:200], salt=SALT, max_age=settings.FRONT_DOOR_OUTCOME_LINK_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # a changed, made-up or expired link (SignatureExpired is one)
        return None
    return Referral.objects.filter(reference=reference, outcome__in=DECIDED).first()


def outcome_code_send(*, actor: Actor, referral: Referral) -> None:
    """Email a one-time code to the referrer's address on the referral (never one typed on the page), and
    record from where it was asked for."""
    holder, _ = ReferralOutcomeCode.objects.get_or_create(referral=referral)
    codes.code_send(holder=holder, email=referral.referrer_email, purpose="see what we decided")
    _event(actor, referral, "outcome_code_sent", "Outcome page: a one-time code emailed to the referrer")


def outcome_unlock(*, referral: Referral, code: str) -> None:
    """Accept the referrer's code, once; raises codes.CodeRefused if it is wrong, expired or used up."""
    holder = ReferralOutcomeCode.objects.filter(referral=referral).first()
    if holder is None:
        raise codes.CodeRefused("The security code has expired. Ask for a new code.", field="code")
    codes.code_use(holder=holder, code=code)


def outcome_viewed(*, actor: Actor, referral: Referral) -> None:
    """Each showing of the decision, recorded: the referrer's reading of it is access to the referral."""
    _event(
        actor, referral, "outcome_viewed", "Outcome page, from the referrer's email, after a one-time code"
    )


def _event(actor: Actor, referral: Referral, action: str, detail: str) -> None:
    ReferralEvent.objects.create(
        referral=referral, action=action, user=None, ip_address=actor.ip_address, detail=detail
    )


def outcomes_due() -> list[int]:
    """Professional referrals whose concern has been decided and whose referrer has not yet been told."""
    return list(
        Referral.objects.filter(
            referrer_type=Referral.ReferrerType.PROFESSIONAL,
            outcome_notified_at__isnull=True,
            concern__decision__in=DECIDED,
        )
        .exclude(referrer_email="")
        .values_list("pk", flat=True)
    )


def referral_outcome_notify(*, referral_id: int) -> bool:
    """Email one referrer the link to their referral's outcome, if still due. True if an email went."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("concern")
            .filter(pk=referral_id, outcome_notified_at__isnull=True, concern__decision__in=DECIDED)
            .first()
        )
        if referral is None:
            return False  # already told, not decided, or another worker holds it
        link = f"{settings.SITE_URL}{reverse('frontdoor_public:outcome')}?t={outcome_link_token(referral)}"
        send_mail(
            subject=f"Your referral {referral.reference}: we have made a decision",
            message=(
                f"We have looked at the referral you made on "
                f"{timezone.localtime(referral.submitted_at):%-d %B %Y}, reference {referral.reference}.\n\n"
                f"To see what we decided, open this link. It works for "
                f"{settings.FRONT_DOOR_OUTCOME_LINK_DAYS} days:\n{link}\n\n"
                f"To keep it safe, we will email you a security code when you open it.\n\n"
                f"{settings.ORGANISATION_NAME}"
            ),
            from_email=None,
            recipient_list=[referral.referrer_email],
        )
        Referral.objects.filter(pk=referral.pk).update(
            outcome=referral.concern.decision, outcome_notified_at=timezone.now()
        )
    return True
