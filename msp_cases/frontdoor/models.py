"""Referrals: concerns about an adult reported from outside, through the online "Report a concern" form,
waiting to be screened by the front-door team.

A referral keeps the referrer's words exactly as they wrote them (nothing is tidied or re-coded here): the
front door reads them, decides, and only then does a concern on an adult's record exist. A draft is a
professional's unfinished report, kept for them to come back to by a link and a one-time code, and deleted
after DRAFT_KEEP_DAYS."""

import secrets

from django.conf import settings
from django.db import models

from msp_cases.core.models import Versioned

# Crockford-like: no 0/O, 1/I/L, so a reference read out on the phone cannot be misheard or mistyped.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """Random, not sequential: a reference says nothing about how many referrals there are, and cannot be
    guessed from another (30**8, about 6.6e11 values)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "I do not know"


class Referral(Versioned):
    """One concern reported through the online form. Created by `services.referral_submit` in state WAITING;
    the front-door team's screening moves it on."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for screening"
        SCREENING = "screening", "Being screened"
        PASSED_ON = "passed_on", "Passed to a locality team"
        # Closed at the door (screening): no concern is recorded.
        NO_FURTHER_ACTION = "no_further_action", "Closed: not a safeguarding concern"
        # Closed at the door: a safeguarding concern, recorded and decided "no further action" with the advice
        # given, so it still counts in the SAC return as a concern (docs/sac.md).
        SIGNPOSTED = "signposted", "Closed: information and advice given"

    class ReferrerType(models.TextChoices):
        PUBLIC = "public", "Member of the public"
        PROFESSIONAL = "professional", "Professional"

    class Outcome(models.TextChoices):
        # What a professional referrer is told later (outcome_notified_at records when).
        SECTION_42 = "section_42", "A section 42 enquiry"
        OTHER_ENQUIRY = "other_enquiry", "Another kind of enquiry or support"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    reference = models.CharField(
        max_length=REFERENCE_LENGTH, unique=True, default=new_reference, editable=False
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING, db_index=True)
    submitted_at = models.DateTimeField(db_index=True)
    # The online journey it was sent from: a second press of Send (a double click, a second tab) finds this
    # referral instead of making another. Empty for referrals made otherwise (the demo seeder).
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    referrer_type = models.CharField(max_length=12, choices=ReferrerType.choices)

    # The adult. A name when known; otherwise how to recognise them ("the man at number 12").
    adult_name = models.CharField(max_length=200, blank=True)
    adult_description = models.TextField(max_length=1000, blank=True)
    adult_address = models.TextField(max_length=500, blank=True)
    adult_date_of_birth = models.DateField(null=True, blank=True)
    # When the date of birth is not known: the referrer's estimate, in their words ("about 80").
    adult_age = models.CharField(max_length=50, blank=True)
    adult_communication_needs = models.TextField(max_length=1000, blank=True)

    # What happened, when and where: the referrer's words.
    what_happened = models.TextField(max_length=5000)
    when_happened = models.CharField(max_length=200, blank=True)
    where_happened = models.CharField(max_length=500, blank=True)

    # Who is alleged to have caused harm, in the referrer's words (the front door records people and
    # providers properly when it screens).
    alleged_cause = models.TextField(max_length=1000, blank=True)
    alleged_cause_relationship = models.CharField(max_length=200, blank=True)

    # "Is the adult in immediate danger?" was answered "No", or "Yes" and the referrer was told to call 999.
    immediate_danger = models.BooleanField(default=False)

    # Making Safeguarding Personal: does the adult know, what do they want, is it safe to contact them.
    adult_knows = models.CharField(max_length=10, choices=YesNoUnknown.choices)
    adult_wishes = models.TextField(max_length=2000, blank=True)
    safe_to_contact = models.CharField(max_length=10, choices=YesNoUnknown.choices)
    contact_how = models.CharField(max_length=300, blank=True)
    contact_when = models.CharField(max_length=300, blank=True)
    must_not_know = models.CharField(max_length=300, blank=True)

    # The referrer. A member of the public may stay anonymous (every field blank).
    referrer_anonymous = models.BooleanField(default=False)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_relationship = models.CharField(max_length=200, blank=True)  # to the adult
    referrer_email = models.EmailField(max_length=254, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    police_crime_number = models.CharField(max_length=40, blank=True)

    # Screening (services/screening.py): the adult matched or recorded, the concern recorded from the
    # referrer's words, the team it was routed to, or why it was closed at the door.
    person = models.ForeignKey(
        "enquiries.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concern = models.OneToOneField(
        "enquiries.SafeguardingConcern",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referral",
    )
    routed_to = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_reason = models.TextField(max_length=2000, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)

    # The later step: a professional referrer told what became of it (an email with a link, no content).
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        permissions = [("screen_referral", "Can screen referrals at the front door")]
        indexes = [
            # The queue and the cap on waiting referrals: both count/read WAITING oldest first.
            models.Index(
                fields=["submitted_at"], name="referral_waiting", condition=models.Q(state="waiting")
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"


class ReferralEvent(models.Model):
    """What happened to a referral, when, by whom (none for the public form) and from which address: the
    record of access and change for referrals, which exist before any adult's record does."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted online"
        VIEWED = "viewed", "Viewed"
        CHANGED = "changed", "Changed"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # In words, never the referral's content ("Front-door queue", "Online form, professional").
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.referral} {self.action}"


class OneTimeCode(models.Model):
    """A 6-digit code emailed to a referrer before a page shows them anything (frontdoor/codes.py): only its
    keyed hash is kept, with when it stops working and how many wrong tries it has had."""

    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


class ReferralDraft(OneTimeCode):
    """A professional's unfinished report, saved to come back to. The return link carries a random token
    (only its hash is kept); opening it sends a 6-digit one-time code to the same address, which must be
    typed within DRAFT_CODE_MINUTES and in at most DRAFT_CODE_ATTEMPTS tries. Deleted DRAFT_KEEP_DAYS after
    it was last saved (tasks.delete_expired_drafts) or as soon as it is submitted."""

    email = models.EmailField(max_length=254)
    # The journey's answers as the form holds them (question → cleaned values as JSON).
    answers = models.JSONField(default=dict)
    token_hash = models.CharField(max_length=64, unique=True)
    saved_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Draft referral {self.pk}"


class ReferralOutcomeCode(OneTimeCode):
    """The one-time code a professional referrer types before the outcome page shows them the decision
    (outcomes.py): the signed link alone says only that a code has been emailed. One row per referral, made
    when the first code is asked for."""

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, primary_key=True, related_name="outcome_code"
    )

    def __str__(self) -> str:
        return f"Outcome code for {self.referral}"


class CapacityAlert(models.Model):
    """The front door told that waiting referrals reached FRONT_DOOR_MAX_WAITING: at most one per hour, by a
    unique constraint on the hour (not a check-then-insert), however many submissions are turned away."""

    hour = models.DateTimeField(unique=True)
    waiting = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Capacity alert {self.hour:%Y-%m-%d %H:00}"
