"""Factories for the conversation log and plan actions (tests/factories.py is shared and read-only here).

ConversationLogFactory writes rows directly (inserts are allowed; updates are not), so a test can put a
conversation anywhere in time, including a next contact that has already passed."""

import datetime

import factory
from django.utils import timezone

from enquiries.models import ConversationLog, ConversationMethod, DecisionMadeBy, PlanAction
from enquiries.services.conversations import enquiry_last_with_person_sync, enquiry_next_contact_sync


class ConversationLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConversationLog
        skip_postgeneration_save = True

    person = factory.LazyAttribute(lambda o: (o.enquiry or o.concern).person)
    enquiry = None
    concern = None
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    recorded_by = factory.LazyAttribute(lambda o: o.enquiry.lead_practitioner if o.enquiry else None)
    with_person = True
    method = ConversationMethod.FACE_TO_FACE
    what_matters = "\u201cI want to stay in my own home.\u201d"
    decision_made_by = DecisionMadeBy.NO_DECISION

    @factory.post_generation
    def sync_next_contact(obj, create, extracted, **kwargs):
        """Keep Enquiry.next_contact_on and last_with_person_at in step, as conversation_record does."""
        if create and obj.enquiry_id:
            enquiry_next_contact_sync(enquiry=obj.enquiry)
            enquiry_last_with_person_sync(enquiry=obj.enquiry)


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    what = "Arrange a carers assessment"
    who = "Practitioner"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    created_by = factory.LazyAttribute(lambda o: o.enquiry.lead_practitioner)


def conversation_post(**overrides) -> dict:
    """A valid answer to the conversation form: yesterday at 10:30 with the person, face to face."""
    when = overrides.pop("occurred_on", timezone.localdate() - datetime.timedelta(days=1))
    data = {
        "occurred_on_0": str(when.day),
        "occurred_on_1": str(when.month),
        "occurred_on_2": str(when.year),
        "occurred_time": "10:30",
        "with_whom": ["with_person"],
        "others_present": "",
        "method": ConversationMethod.FACE_TO_FACE,
        "location": "At home",
        "what_matters": "\u201cI want to see my grandchildren.\u201d",
        "wants_to_happen": "For her son to stop taking her money",
        "risks_discussed": "",
        "persons_view_of_risks": "",
        "options_discussed": "",
        "expectations_discussed": "",
        "decisions": "",
        "decision_made_by": DecisionMadeBy.NO_DECISION,
        "against_wishes_reason": "",
        "others_at_risk": "",
        "least_restrictive_reason": "",
        "next_contact_on_0": "",
        "next_contact_on_1": "",
        "next_contact_on_2": "",
        "next_contact_how": "",
        "msp_checks": ["check_involve", "check_choice"],
        "reflection": "",
    }
    next_on = overrides.pop("next_contact_on", None)
    if next_on is not None:
        data.update(
            {
                "next_contact_on_0": str(next_on.day),
                "next_contact_on_1": str(next_on.month),
                "next_contact_on_2": str(next_on.year),
            }
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
