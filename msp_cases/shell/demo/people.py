"""Each demo person, their network, the concern about them and the decision on it, through the services."""

from datetime import date, datetime, timedelta

from enquiries.models import Enquiry, Person, RiskTypeOption
from enquiries.services.concerns import concern_decide, concern_record
from enquiries.services.people import network_member_add, person_create
from msp_cases.accounts.models import Team, User
from msp_cases.core.actor import Actor

from .backdate import backdate_decision, backdate_opening
from .cases import D, DemoCase


def demo_person(case: DemoCase, author: User) -> Person:
    """Recorded by `author`. A restricted record is recorded by the team manager, who may restrict it and
    so is named on it: named staff only, not the wider team."""
    actor = Actor.of(author)
    person = person_create(
        actor=actor,
        fields={
            "given_name": case.given,
            "family_name": case.family,
            "preferred_name": case.preferred,
            "date_of_birth": date.fromisoformat(case.born),
            "local_identifier": case.key,
            "gender": case.gender,
            "ethnicity": case.ethnicity,
            "primary_support_reason": case.support_reason,
            "postcode": "AB1 2CD",
            "phone": case.phone,
            "preferred_contact_method": case.contact_method,
            "other_names": case.other_names,
            "preferred_language": "English",
            "contact_preferences": "Phone in the morning; a letter first if it is about a meeting.",
            "safe_contact": "Do not leave voicemail." if "domestic" in case.risks else "",
            # Only someone who may restrict a record is given the question at all.
            **({"is_restricted": True} if case.restricted else {}),
        },
    )
    network_member_add(
        actor=actor,
        person=person,
        fields={
            "name": "Sam Patel",
            "relationship": "advocate_care_act",
            "agency": "Advocacy Together",
            "persons_view": "involved",
        },
    )
    if "domestic" in case.risks or "financial" in case.risks:
        network_member_add(
            actor=actor,
            person=person,
            fields={
                "name": "(the person alleged to cause harm)",
                "relationship": "family",
                "persons_view": "not_told",
            },
        )
    return person


def demo_concern(
    case: DemoCase, person: Person, team: Team, worker: User, decider: User, now: datetime
) -> Enquiry | None:
    """The concern as `worker` recorded it `case.days_ago` days ago and, unless it is still pending, the
    decision `decider` made the next day; returns the enquiry that opened a minute later (led by `worker`)."""
    received = now - timedelta(days=case.days_ago)
    concern = concern_record(
        actor=Actor.of(worker),
        person=person,
        team=team,
        received_at=received,
        summary=case.summary,
        risk_types=RiskTypeOption.objects.filter(code__in=case.risks),
        allocated_to=worker if case.key != "DEMO-002" else None,
        referrer_name="A. Referrer",
        referrer_role="Support worker",
        referrer_organisation="Community support service",
        referrer_relationship="Supports the person weekly",
        risk_location=case.location,
        risk_source=case.source,
        immediate_actions="Checked the person was safe today and agreed a visit.",
        person_aware="yes",
        person_initial_views=case.matters,
    )
    if case.decision == D.PENDING:
        return None
    enquiry = concern_decide(
        actor=Actor.of(decider),
        concern=concern,
        expected_version=concern.version,
        decision=case.decision,
        criteria_care_needs=True,
        criteria_abuse_or_neglect=True,
        criteria_unable_to_protect=case.decision == D.SECTION_42,
        decision_rationale="Discussed with the person; the criteria are recorded above.",
        decision_person_involvement="Talked it through with them by phone before deciding.",
        no_further_action_response="Advice on the falls service; family arranging support."
        if case.decision == D.NO_FURTHER_ACTION
        else "",
        lead_practitioner=worker,
    )
    decided = received + timedelta(days=1)
    backdate_decision(concern, decided)
    if enquiry is not None:
        backdate_opening(enquiry, decided + timedelta(minutes=1))  # the decision comes first on the timeline
    return enquiry
