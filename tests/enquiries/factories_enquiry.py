"""Factories for the records inside an enquiry: plan actions, meetings, stage events and conversations."""

import datetime

import factory
from django.utils import timezone

from enquiries.models import ConversationLog, EnquiryEvent, Meeting, PlanAction, RiskTypeOption
from enquiries.models.choices import (
    ActionResult,
    ConversationMethod,
    LacksCapacity,
    MeetingKind,
    MeetingParticipation,
    OutcomesAsked,
    RiskLocation,
    RiskSource,
)
from enquiries.services.conversations import enquiry_last_with_person_sync, enquiry_next_contact_sync


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    what = "Arrange a carers assessment"
    who = "Social worker"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    agreed_with_person = True
    created_by = factory.SelfAttribute("enquiry.lead_practitioner")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.PLANNING
    held_on = factory.LazyFunction(timezone.localdate)
    attendees = "Social worker, district nurse"
    participation = MeetingParticipation.ATTENDED
    created_by = factory.SelfAttribute("enquiry.lead_practitioner")


class EnquiryEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnquiryEvent

    kind = EnquiryEvent.Kind.STARTED
    occurred_at = factory.LazyFunction(timezone.now)
    by = factory.SelfAttribute("enquiry.lead_practitioner")


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConversationLog
        skip_postgeneration_save = True

    person = factory.SelfAttribute("enquiry.person")
    occurred_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.SelfAttribute("enquiry.lead_practitioner")
    with_person = True
    method = ConversationMethod.FACE_TO_FACE
    what_matters = "Staying in my own home."

    @factory.post_generation
    def sync_next_contact(obj, create, extracted, **kwargs):
        """Keep Enquiry.next_contact_on and last_with_person_at in step, as conversation_record does."""
        if create and obj.enquiry_id:
            enquiry_next_contact_sync(enquiry=obj.enquiry)
            enquiry_last_with_person_sync(enquiry=obj.enquiry)


def make_ready_for_closure(enquiry) -> None:
    """Record everything the closure gate asks for (without touching the version)."""
    type(enquiry).objects.filter(pk=enquiry.pk).update(
        action_result=ActionResult.NO_RISK_NO_ACTION,
        risk_outcome="",
        closure_summary="Dear Ann, we looked into the worry about your money.",
        # Asked, none expressed: consistent with no desired outcomes recorded (the outcomes app's SG4a rule).
        outcomes_asked=OutcomesAsked.ASKED_NONE,
        # The SAC's risk (SG2a/SG2b) and mental capacity (SG3a) answers, which the closure gate also asks for.
        risk_location=RiskLocation.OWN_HOME,
        risk_source=RiskSource.KNOWN,
        lacks_capacity=LacksCapacity.NO,
    )
    if not enquiry.risk_types.exists():
        enquiry.risk_types.add(RiskTypeOption.objects.get(code="financial"))
    enquiry.refresh_from_db()
    # My Safeguarding Experience Part 2, which the closure gate also asks for (feedback app).
    from feedback.models import ExperienceFeedbackPart2

    ExperienceFeedbackPart2.objects.get_or_create(
        enquiry=enquiry,
        defaults={
            "approached": True, "answered_by": "person", "listened": "yes_completely",
            "informed": "yes_partly",
            "safer": "yes_completely", "concerns_dealt_with": "yes_completely",
            "created_by": enquiry.lead_practitioner or enquiry.team.members.first(),
        },
    )  # fmt: skip
    # The organisation's perspective, which the manager records at sign-off before approving.
    from feedback.models import OrganisationPerspective

    OrganisationPerspective.objects.get_or_create(
        enquiry=enquiry,
        defaults={"systems_supported_msp": "yes", "recorded_by": enquiry.team.members.first()},
    )


def set_status(enquiry, status: str, **fields) -> None:
    """Put an enquiry at a stage directly, for arranging a test (the services are what the tests prove)."""
    type(enquiry).objects.filter(pk=enquiry.pk).update(status=status, **fields)
    enquiry.refresh_from_db()
