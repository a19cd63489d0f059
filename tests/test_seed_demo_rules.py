"""The demo data obeys the rules the services enforce, because the services made it.

Each check asks the rule's own function (the closure gate, the decision rules, the conversation rules, the
four-eyes rule, the derived fields of enquiries.services.derived and outcomes.derived) about the seeded
records, so a record written by hand that skips a rule or forgets a derived field fails here; and every case
record carries the access record only its service writes."""

import io
from functools import reduce

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from enquiries.models import (
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    Meeting,
    NetworkMember,
    Person,
    PlanAction,
    SafeguardingConcern,
)
from enquiries.selectors.conversations import conversation_current_versions
from enquiries.services.concerns import decision_problems
from enquiries.services.conversations import CONTENT_FIELDS, conversation_earliest, conversation_rule_errors
from enquiries.services.derived import (
    enquiry_opening,
    enquiry_type_for,
    last_reviewed_after,
    last_with_person_after,
    next_contact_after,
)
from enquiries.services.lifecycle import enquiry_close_problems, enquiry_sign_off_problems, four_eyes_refusal
from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
from msp_cases import oversight
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from outcomes.derived import outcomes_asked_after_outcome
from outcomes.models import DesiredOutcome

pytestmark = pytest.mark.django_db

S = Enquiry.Status
Kind = EnquiryEvent.Kind
Decision = SafeguardingConcern.Decision


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return Enquiry.objects.select_related("concern", "person", "lead_practitioner").order_by("pk")


def test_every_case_record_was_made_by_its_service_which_recorded_who_made_it(demo):
    for model in (
        Person,
        NetworkMember,
        SafeguardingConcern,
        Enquiry,
        ConversationLog,
        PlanAction,
        Meeting,
        DesiredOutcome,
        ExperienceFeedbackPart1,
        ExperienceFeedbackPart2,
        OrganisationPerspective,
    ):
        made = set(model.objects.values_list("pk", flat=True))
        recorded = set(
            AccessEvent.objects.filter(
                action=AccessEvent.Action.CREATE, content_type=ContentType.objects.get_for_model(model)
            ).values_list("object_id", flat=True)
        )
        assert made, model.__name__
        assert made == recorded, f"{model.__name__} made without its service: {sorted(made - recorded)}"


def test_every_decision_passes_the_decision_rules_as_of_when_it_was_made(demo):
    decided = SafeguardingConcern.objects.exclude(decision=Decision.PENDING)
    assert decided.count() == 12  # ten demo cases', and two of the three concerns about Oakfield Care Home
    for concern in decided:
        enquiry = concern.enquiries.first()
        problems = decision_problems(
            concern=concern,
            decision=concern.decision,
            criteria=(
                concern.criteria_care_needs,
                concern.criteria_abuse_or_neglect,
                concern.criteria_unable_to_protect,
            ),
            rationale=concern.decision_rationale,
            no_further_action_response=concern.no_further_action_response,
            lead_practitioner=enquiry.lead_practitioner if enquiry else None,
            decided_at=concern.decided_at,
        )
        assert problems == {}, concern.person.local_identifier
        assert concern.decided_by.has_perm(roles.ALLOCATE)  # a manager decided it
        # The decision opened the enquiry its type calls for, or none for "no further action".
        assert (enquiry.enquiry_type if enquiry else None) == enquiry_type_for(concern.decision)
    pending = SafeguardingConcern.objects.filter(decision=Decision.PENDING)
    assert not pending.filter(enquiries__isnull=False).exists()
    assert not pending.exclude(decided_at=None).exists()


def test_each_enquiry_carries_what_the_services_derive_for_it(demo):
    """enquiries.services.derived and outcomes.derived: the rules the services apply as things happen."""
    for enquiry in demo:
        key = enquiry.person.local_identifier
        concern = enquiry.concern
        assert concern.decided_at < enquiry.opened_at, key  # opened by the decision
        opening = enquiry_opening(
            enquiry_type=enquiry_type_for(concern.decision),
            team_id=concern.team_id,
            allocated_to_id=concern.allocated_to_id,
            risk_location=concern.risk_location,
            risk_source=concern.risk_source,
            opened_at=enquiry.opened_at,
        )
        kept = {name: value for name, value in opening.items() if name not in ("status", "last_reviewed_at")}
        assert {name: getattr(enquiry, name) for name in kept} == kept, key
        assert set(enquiry.risk_types.all()) == set(concern.risk_types.all()), key
        # The next contact is the one agreed in the latest conversation (as the drift scan reads it).
        conversations = conversation_current_versions().filter(enquiry=enquiry)
        assert (enquiry.next_contact_on, enquiry.next_contact_how) == next_contact_after(
            (c.occurred_at, c.pk, c.next_contact_on, c.next_contact_how) for c in conversations
        ), key
        # "Longest without a conversation with the person" (the team dashboard) sorts by what the latest was.
        assert enquiry.last_with_person_at == last_with_person_after(
            (c.occurred_at, c.with_person) for c in conversations
        ), key
        # "No manager review for N days" counts from the opening, then from each review.
        reviews = sorted(review.reviewed_at for review in enquiry.manager_reviews.all())
        assert enquiry.last_reviewed_at == reduce(last_reviewed_after, reviews, enquiry.opened_at), key
        # The conclusion's moment is kept exactly when the action and result are recorded.
        assert (enquiry.conclusion_recorded_at is not None) == bool(enquiry.action_result), key
        # Outcomes recorded: the person was asked, and the enquiry says so.
        for outcome in enquiry.desired_outcomes.all():
            asked = {"outcomes_asked": enquiry.outcomes_asked, "outcomes_asked_on": enquiry.outcomes_asked_on}
            assert outcomes_asked_after_outcome(**asked, said_on=outcome.expressed_on) == {}, key


def test_each_enquirys_stages_follow_its_events_in_order(demo):
    for enquiry in demo:
        key = enquiry.person.local_identifier
        events = list(enquiry.events.order_by("pk"))
        # Every step starts where the last ended, and the last ends at the enquiry's stage.
        assert [e.from_status for e in events] == ["", *[e.to_status for e in events[:-1]]], key
        assert events[-1].to_status == enquiry.status, key
        assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events), key
        stamped = {e.kind: e.occurred_at for e in events}
        assert enquiry.opened_at == stamped[Kind.OPENED], key
        assert enquiry.proposed_for_closure_at == stamped.get(Kind.PROPOSED), key
        assert enquiry.closed_at == stamped.get(Kind.CLOSED), key


def test_every_conversation_passed_the_rules_as_of_when_it_happened(demo):
    logs = ConversationLog.objects.select_related("enquiry__concern")
    assert logs.count() == 14  # two with each of the seven people whose enquiry is under way
    for log in logs:
        values = {name: getattr(log, name) for name in CONTENT_FIELDS}
        earliest = conversation_earliest(enquiry=log.enquiry)
        assert conversation_rule_errors(values=values, earliest=earliest, now=log.occurred_at) == {}, log.pk


def test_every_closing_enquiry_passes_the_closure_gate_and_was_signed_off_by_other_eyes(demo):
    closing = demo.filter(status__in=[S.PROPOSED_FOR_CLOSURE, S.CLOSED])
    assert closing.count() == 4
    for enquiry in closing:
        key = enquiry.person.local_identifier
        assert enquiry_close_problems(enquiry) == [], key
        proposer = enquiry.events.get(kind=Kind.PROPOSED).by
        if enquiry.status == S.CLOSED:
            assert enquiry_sign_off_problems(enquiry) == [], key
            signed_off_by = enquiry.events.get(kind=Kind.CLOSED).by
            refusal = four_eyes_refusal(
                is_lead=signed_off_by == enquiry.lead_practitioner,
                proposed_closure=signed_off_by == proposer,
            )
            assert refusal is None, key
            assert oversight.is_team_manager(signed_off_by, enquiry), key
    part2 = ExperienceFeedbackPart2.objects.get(approached=False)
    assert part2.decided_by == part2.enquiry.lead_practitioner
    assert oversight.is_team_manager(part2.manager_agreed_by, part2.enquiry)
