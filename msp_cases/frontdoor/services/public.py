"""Writes of the public "Report a concern" form: a referral sent, a professional's draft saved and resumed
with a one-time code, the cap on referrals waiting, and drafts past their time deleted.

Nothing here logs or emails what a referrer wrote: an acknowledgement carries the reference only, a return
link carries a random token, and a code email carries the code."""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from msp_cases.accounts.roles import SCREEN_REFERRAL
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import ServiceRefused
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from .. import codes, emails
from ..models import CapacityAlert, Referral, ReferralDraft, ReferralEvent, new_reference
from ..tasks import BROKER_ERRORS, send_acknowledgement
from . import report_files

logger = logging.getLogger(__name__)

# The fields a referrer's answers may set: everything they are asked, nothing screening decides.
REFERRER_FIELDS = (
    "referrer_type",
    "adult_name",
    "adult_description",
    "adult_address",
    "adult_date_of_birth",
    "adult_age",
    "adult_communication_needs",
    "what_happened",
    "when_happened",
    "where_happened",
    "alleged_cause",
    "alleged_cause_relationship",
    "adult_knows",
    "adult_wishes",
    "safe_to_contact",
    "contact_how",
    "contact_when",
    "must_not_know",
    "referrer_name",
    "referrer_relationship",
    "referrer_email",
    "referrer_phone",
    "referrer_organisation",
    "referrer_role",
    "police_crime_number",
)
REFERRER_DETAILS = ("referrer_name", "referrer_relationship", "referrer_email", "referrer_phone")


class FrontDoorFull(ServiceRefused):
    """FRONT_DOOR_MAX_WAITING referrals are waiting for screening: the form asks people to phone."""


CodeRefused = codes.CodeRefused  # the views catch it from here
# Keyed with SECRET_KEY, so a copy of the table alone cannot be used to test guesses of a return token.
_digest = codes.digest


def waiting_count() -> int:
    return Referral.objects.filter(state=Referral.State.WAITING).count()


def front_door_is_full() -> bool:
    """The cap reached: the start page and the send button both say to phone instead."""
    waiting = waiting_count()
    if waiting >= settings.FRONT_DOOR_MAX_WAITING:
        capacity_alert_raise(waiting=waiting)
        return True
    return False


def capacity_alert_raise(*, waiting: int, now: datetime.datetime | None = None) -> bool:
    """Tell the front-door team that referrals have reached the cap: at most once an hour, decided by the
    unique hour of CapacityAlert (two submissions at once cannot both alert). True if this call alerted."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    if CapacityAlert.objects.filter(hour=hour).exists():
        return False  # the usual case during a flood: one read, no failed insert per request
    try:
        with transaction.atomic():
            CapacityAlert.objects.create(hour=hour, waiting=waiting)
            staff = ModelBackend().with_perm(SCREEN_REFERRAL, is_active=True, include_superusers=False)
            notify(
                specs=[
                    NotificationSpec(
                        user_id=pk,
                        kind=Notification.Kind.FRONT_DOOR_ALERT,
                        message=(
                            "The online form has stopped taking reports: too many referrals are waiting "
                            "for screening. People are asked to phone."
                        ),
                        url="/front-door/",
                    )
                    for pk in staff.values_list("pk", flat=True)
                ]
            )
    except IntegrityError:
        return False  # already alerted this hour
    return True


def referral_submit(
    *,
    actor: Actor,
    answers: dict,
    draft_id: int | None = None,
    submission_key: str | None = None,
    with_files: bool = False,
    channel: str = "Online form",
) -> Referral:
    """Send a report: a Referral waiting for screening, in the referrer's words, with its record; the
    professional's draft (if any) deleted; the acknowledgement (the reference only) emailed after commit.

    `answers` maps Referral field names to the values given (a date as a date or ISO string).
    `submission_key` names the online journey: the same key again (Send pressed twice, in two tabs at once)
    returns the referral already made, decided by the unique column, not by a check-then-insert.
    `with_files`: the journey added photos or documents (services/report_files.py), which go with it.
    `channel`: how it arrived, in words, for its record (a partner's system through the API says so). Raises
    FrontDoorFull past FRONT_DOOR_MAX_WAITING, and ValidationError for values the form should have refused
    (so nothing half-written is ever kept)."""
    if submission_key and (sent := Referral.objects.filter(submission_key=submission_key).first()):
        return sent
    if front_door_is_full():
        raise FrontDoorFull(
            f"We cannot take reports online right now. Phone us on {settings.FRONT_DOOR_PHONE}."
        )
    values = {name: answers[name] for name in REFERRER_FIELDS if answers.get(name) not in (None, "")}
    if isinstance(values.get("adult_date_of_birth"), str):
        values["adult_date_of_birth"] = datetime.date.fromisoformat(values["adult_date_of_birth"])
    referral = Referral(
        **values,
        immediate_danger=answers.get("immediate_danger") in ("yes", True),
        submitted_at=timezone.now(),
        state=Referral.State.WAITING,
        submission_key=submission_key or None,
    )
    referral.referrer_anonymous = referral.referrer_type == Referral.ReferrerType.PUBLIC and not any(
        values.get(name) for name in REFERRER_DETAILS
    )
    # The two unique columns are left to the database, which decides races a check here could not.
    referral.full_clean(exclude=["reference", "submission_key"])
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    referral.save(force_insert=True)
                break
            except IntegrityError:
                if submission_key and (
                    sent := Referral.objects.filter(submission_key=submission_key).first()
                ):
                    return sent  # the same journey, sent a moment ago by another request
                # A clash of random references: about one in 6.6e11 per pair. Draw again.
                referral.pk = None
                referral.reference = new_reference()
        else:
            raise IntegrityError("no free reference after 5 draws")
        ReferralEvent.objects.create(
            referral=referral,
            action=ReferralEvent.Action.SUBMITTED,
            user=actor.user if getattr(actor.user, "pk", None) else None,
            ip_address=actor.ip_address,
            detail=f"{channel}, {referral.get_referrer_type_display().lower()}"[:200],
        )
        if submission_key and with_files:
            # The photos and documents chosen on the way, held for this journey, go with it.
            report_files.referral_files_take(journey_key=submission_key, referral=referral)
        if draft_id is not None:
            ReferralDraft.objects.filter(pk=draft_id).delete()
        if referral.referrer_email:
            transaction.on_commit(lambda: _queue_acknowledgement(referral.pk), robust=True)
    return referral


def _queue_acknowledgement(referral_id: int) -> None:
    try:
        send_acknowledgement.delay(referral_id)
    except BROKER_ERRORS:
        # The report is kept either way; only the email with its reference is missed (the page showed it).
        logger.warning("Acknowledgement for referral %s not queued: the broker is unreachable", referral_id)


@dataclass(frozen=True)
class SavedDraft:
    draft: ReferralDraft
    link_path: str  # the return link, with its token: only ever emailed, never shown or logged


def draft_save(*, email: str, answers: dict, draft_id: int | None, link_path_for) -> SavedDraft:
    """Keep a professional's unfinished answers and email them a link to come back. Saving again updates the
    same draft and sends a new link (the old one stops working: only the newest token's hash is kept).
    `link_path_for(token)` is the return page's path for a token (the view's URL)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        draft = ReferralDraft.objects.select_for_update().filter(pk=draft_id).first() if draft_id else None
        draft = draft or ReferralDraft()
        draft.email = email
        draft.answers = answers
        draft.token_hash = _digest(token)
        draft.code_hash, draft.code_expires_at, draft.code_attempts = "", None, 0
        draft.saved_at = now
        draft.expires_at = now + datetime.timedelta(days=settings.FRONT_DOOR_DRAFT_KEEP_DAYS)
        draft.full_clean()
        draft.save()
    saved = SavedDraft(draft=draft, link_path=link_path_for(token))
    emails.return_link_send(
        email=email, link=settings.SITE_URL + saved.link_path, expires_at=draft.expires_at
    )
    return saved


def draft_for_token(*, token: str) -> ReferralDraft | None:
    """The draft a return link is for, if it is still kept. Nothing else is readable by URL."""
    if not token or len(token) > 100:
        return None
    return ReferralDraft.objects.filter(token_hash=_digest(token), expires_at__gt=timezone.now()).first()


def draft_code_send(*, draft: ReferralDraft) -> None:
    """A new 6-digit code to the draft's address (codes.py); any earlier code stops working."""
    codes.code_send(holder=draft, email=draft.email, purpose="come back to your report")


def draft_resume(*, draft: ReferralDraft, code: str) -> ReferralDraft:
    """The answers back, if `code` is the draft's current code, in time and within the attempts allowed.
    Used once: a right code is cleared, so the same code cannot open the draft again."""
    return codes.code_use(holder=draft, code=code)
