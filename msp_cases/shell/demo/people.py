"""Each demo person, their network and the concern about them."""

from datetime import timedelta

from enquiries.models import NetworkMember, Person, RiskTypeOption, SafeguardingConcern
from msp_cases.accounts.models import User

from .cases import D, DemoCase


def demo_person(case: DemoCase, author: User) -> Person:
    person = Person.objects.create(
        given_name=case.given,
        family_name=case.family,
        preferred_name=case.preferred,
        date_of_birth=case.born,
        local_identifier=case.key,
        gender=case.gender,
        ethnicity=case.ethnicity,
        primary_support_reason=case.support_reason,
        postcode="AB1 2CD",
        preferred_language="English",
        contact_preferences="Phone in the morning; a letter first if it is about a meeting.",
        safe_contact="Do not leave voicemail." if "domestic" in case.risks else "",
        is_restricted=case.restricted,
        created_by=author,
    )
    NetworkMember.objects.create(
        person=person,
        name="Sam Patel",
        relationship="advocate_care_act",
        agency="Advocacy Together",
        persons_view="involved",
    )
    if "domestic" in case.risks or "financial" in case.risks:
        NetworkMember.objects.create(
            person=person,
            name="(the person alleged to cause harm)",
            relationship="family",
            persons_view="not_told",
        )
    return person


def demo_concern(case, person, team, worker, decider, now) -> SafeguardingConcern:
    received = now - timedelta(days=case.days_ago)
    decided = case.decision != D.PENDING
    concern = SafeguardingConcern.objects.create(
        person=person,
        team=team,
        allocated_to=worker if case.key != "DEMO-002" else None,
        received_at=received,
        recorded_by=worker,
        referrer_name="A. Referrer",
        referrer_role="Support worker",
        referrer_organisation="Community support service",
        referrer_relationship="Supports the person weekly",
        summary=case.summary,
        risk_location=case.location,
        risk_source=case.source,
        immediate_actions="Checked the person was safe today and agreed a visit.",
        person_aware="yes",
        person_initial_views=case.matters,
        decision=case.decision,
        criteria_care_needs=True if decided else None,
        criteria_abuse_or_neglect=True if decided else None,
        criteria_unable_to_protect=(case.decision == D.SECTION_42) if decided else None,
        decision_rationale="Discussed with the person; the criteria are recorded above." if decided else "",
        decision_person_involvement="Talked it through with them by phone before deciding."
        if decided
        else "",
        no_further_action_response="Advice on the falls service; family arranging support."
        if case.decision == D.NO_FURTHER_ACTION
        else "",
        decided_by=decider if decided else None,
        decided_at=received + timedelta(days=1) if decided else None,
    )
    concern.risk_types.set(RiskTypeOption.objects.filter(code__in=case.risks))
    return concern
