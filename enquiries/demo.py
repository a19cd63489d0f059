"""Fictional demo data: two locality teams, the six demo accounts and a dozen people with cases at every
stage of the lifecycle. Idempotent: people are keyed by their local identifier (DEMO-nnn)."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from msp_cases.accounts.demo import DEMO_USERS, NORTH, SOUTH
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import UNIT_LEAD

from .models import (
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    ManagerReview,
    Meeting,
    NetworkMember,
    Person,
    PlanAction,
    RiskTypeOption,
    SafeguardingConcern,
)

D = SafeguardingConcern.Decision
S = Enquiry.Status


@dataclass(frozen=True)
class DemoCase:
    key: str
    given: str
    family: str
    born: str
    team: str
    decision: str
    status: str | None = None  # enquiry stage, when the decision opened one
    enquiry_type: str = Enquiry.Type.SECTION_42
    days_ago: int = 10
    preferred: str = ""
    restricted: bool = False
    summary: str = ""
    gender: str = "female"
    ethnicity: str = "white"
    support_reason: str = "physical"
    risks: tuple[str, ...] = ("neglect",)
    location: str = "own_home"
    source: str = "known"
    matters: str = ""  # what matters to the person, in their words
    wants: str = ""  # what they want to happen, in their words


CASES = [
    DemoCase(
        "DEMO-001",
        "Margaret",
        "Hughes",
        "1941-03-12",
        NORTH,
        D.PENDING,
        days_ago=1,
        preferred="Peggy",
        summary="Neighbour says Margaret's son takes her pension each week and she has no food in.",
        risks=("financial", "neglect"),
        matters='"My son is all I have. I don\'t want him in trouble."',
        wants='"I want my pension to be mine again, and to still see him on Sundays."',
    ),
    DemoCase(
        "DEMO-002",
        "Kwame",
        "Boateng",
        "1988-07-30",
        SOUTH,
        D.PENDING,
        days_ago=3,
        summary="Day centre staff noticed bruising on Kwame's arms after a weekend at his supported flat.",
        gender="male",
        ethnicity="black",
        support_reason="learning_disability",
        risks=("physical",),
        location="community_service",
        source="service_provider",
    ),
    DemoCase(
        "DEMO-003",
        "Eileen",
        "Parry",
        "1936-11-02",
        NORTH,
        D.NO_FURTHER_ACTION,
        days_ago=20,
        summary="Fall at home; family already arranging support. Advice given on the falls service.",
        support_reason="memory_cognition",
        risks=("neglect",),
    ),
    DemoCase(
        "DEMO-004",
        "Joseph",
        "Wright",
        "1952-01-19",
        NORTH,
        D.SECTION_42,
        S.OPEN,
        days_ago=4,
        preferred="Joe",
        summary="Joe told his GP a new 'friend' has moved in and controls his money.",
        gender="male",
        risks=("financial", "psychological"),
        matters='"He was kind to me when nobody else was. But I can\'t buy food."',
        wants='"I want him to leave, but I don\'t want the police at my door."',
    ),
    DemoCase(
        "DEMO-005",
        "Aisha",
        "Rahman",
        "1979-05-08",
        NORTH,
        D.SECTION_42,
        S.IN_PROGRESS,
        days_ago=21,
        summary="Aisha disclosed to her support worker that her partner threatens her.",
        ethnicity="asian",
        support_reason="mental_health",
        risks=("domestic", "psychological"),
        matters='"My children come first. I need to know they are safe with me."',
        wants='"To feel safe in my own flat and to decide for myself when to go to the police."',
    ),
    DemoCase(
        "DEMO-006",
        "Brian",
        "Cole",
        "1947-09-23",
        NORTH,
        D.SECTION_42,
        S.PROPOSED_FOR_CLOSURE,
        days_ago=60,
        summary="Missed medication visits by a home care agency over three weeks.",
        gender="male",
        risks=("neglect",),
        location="own_home",
        source="service_provider",
        matters='"I just want the carers to turn up when they say."',
        wants='"Carers who come on time, and an apology from the agency."',
    ),
    DemoCase(
        "DEMO-007",
        "Sandra",
        "Mills",
        "1964-12-14",
        NORTH,
        D.SECTION_42,
        S.CLOSED,
        days_ago=120,
        summary="Sandra's house was in poor condition and she was not eating; she wanted to stay at home.",
        risks=("self_neglect",),
        source="unknown",
        support_reason="mental_health",
        matters='"This is my home. I\'ve lived here forty years."',
        wants='"To stay at home, with someone to help with the shopping."',
    ),
    DemoCase(
        "DEMO-008",
        "Daniel",
        "Price",
        "1995-02-27",
        SOUTH,
        D.OTHER_ENQUIRY,
        S.IN_PROGRESS,
        enquiry_type=Enquiry.Type.OTHER,
        days_ago=14,
        summary="Daniel is being asked to hold parcels for people he met online.",
        gender="male",
        ethnicity="mixed",
        support_reason="learning_disability",
        risks=("modern_slavery", "financial"),
        location="community",
        source="unknown",
        matters='"They said they were my friends."',
        wants='"To know who I can trust online."',
    ),
    DemoCase(
        "DEMO-009",
        "Rose",
        "Evans",
        "1930-06-01",
        SOUTH,
        D.SECTION_42,
        S.OPEN,
        days_ago=2,
        summary="Care home resident with unexplained injuries noticed by a visiting relative.",
        support_reason="memory_cognition",
        risks=("physical",),
        location="care_home_residential",
        source="service_provider",
        matters="Rose could not tell us in words; her daughter says Rose loves the garden and her routine.",
        wants='Her daughter, as her representative: "For Mum to be safe and to stay in the home she knows."',
    ),
    DemoCase(
        "DEMO-010",
        "Harold",
        "Young",
        "1944-04-17",
        SOUTH,
        D.SECTION_42,
        S.PROPOSED_FOR_CLOSURE,
        days_ago=75,
        summary="Harold's carer used his bank card for her own shopping.",
        gender="male",
        risks=("financial",),
        source="service_provider",
        matters='"I liked her. I don\'t want her to lose her job over me."',
        wants='"My money back, and to choose my own carer."',
    ),
    DemoCase(
        "DEMO-011",
        "Fatima",
        "Begum",
        "1958-08-09",
        SOUTH,
        D.SECTION_42,
        S.CLOSED,
        days_ago=150,
        summary="Fatima was being shouted at and threatened by her adult grandson.",
        ethnicity="asian",
        risks=("psychological", "domestic"),
        matters='"He is my grandson. I love him."',
        wants='"For him to get help with his anger, and for me to sleep at night."',
    ),
    DemoCase(
        "DEMO-012",
        "Claire",
        "Bennett",
        "1983-10-05",
        NORTH,
        D.SECTION_42,
        S.IN_PROGRESS,
        days_ago=30,
        restricted=True,
        summary="Claire works for the council's care service; a concern about her partner's behaviour.",
        risks=("domestic",),
        support_reason="mental_health",
        matters='"Please don\'t let my colleagues find out."',
        wants='"To keep my job and to be safe at home."',
    ),
]


def _demo_users() -> dict[str, User]:
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in (NORTH, SOUTH)}
    unit_lead_role = Group.objects.get(name=UNIT_LEAD)  # restricted records
    users = {}
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=demo.email, defaults={"full_name": demo.full_name, "job_title": demo.job_title}
        )
        if created:
            from django.conf import settings

            user.set_password(settings.DEMO_PASSWORD)
        user.is_staff = demo.role == "Administrator"
        user.save()
        user.groups.add(Group.objects.get(name=demo.role))
        if demo.team:
            user.teams.add(teams[demo.team])
        if demo.unit_lead:
            user.groups.add(unit_lead_role)
        users[demo.email] = user
    return users


@transaction.atomic
def demo_seed() -> dict[str, int]:
    users = _demo_users()
    practitioner = {
        NORTH: users["practitioner.north@example.org"],
        SOUTH: users["practitioner.south@example.org"],
    }
    manager = {NORTH: users["manager.north@example.org"], SOUTH: users["manager.south@example.org"]}
    teams = {t.name: t for t in Team.objects.filter(name__in=[NORTH, SOUTH])}
    now = timezone.now()
    created = 0
    for case in CASES:
        if Person.objects.filter(local_identifier=case.key).exists():
            continue
        created += 1
        worker = manager[case.team] if case.restricted else practitioner[case.team]
        person = _person(case, practitioner[case.team])
        if case.restricted:
            # Named staff only: the team manager, not the wider team.
            person.restricted_to.add(manager[case.team])
        concern = _concern(case, person, teams[case.team], worker, manager[case.team], now)
        if case.status:
            enquiry = _enquiry(case, person, concern, worker, manager[case.team], now)
            _drift(case, enquiry, manager[case.team], now)
    return {"people_created": created, "people": Person.objects.count(), "users": len(users)}


def _person(case: DemoCase, author: User) -> Person:
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


def _concern(case, person, team, worker, decider, now) -> SafeguardingConcern:
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


def _enquiry(case, person, concern, worker, manager, now) -> Enquiry:
    opened = concern.decided_at + timedelta(minutes=1)  # the decision comes first on the timeline
    closed = case.status == S.CLOSED
    closing = case.status in (S.PROPOSED_FOR_CLOSURE, S.CLOSED)
    enquiry = Enquiry.objects.create(
        person=person,
        concern=concern,
        enquiry_type=case.enquiry_type,
        team=concern.team,
        lead_practitioner=worker,
        status=case.status,
        opened_at=opened,
        proposed_for_closure_at=now - timedelta(days=8) if closing else None,
        closed_at=now - timedelta(days=5) if closed else None,
        risk_location=case.location,
        risk_source=case.source,
        lacks_capacity="yes" if case.key == "DEMO-009" else "no",
        capacity_decision="Whether to take part in the enquiry",
        capacity_assessed_on=(opened + timedelta(days=1)).date(),
        capacity_assessed_by=worker.full_name,
        substantial_difficulty="yes" if case.key == "DEMO-009" else "no",
        capacity_support="family" if case.key == "DEMO-009" else "",
        outcomes_asked="asked_expressed" if case.status != S.OPEN else "not_recorded",
        outcomes_asked_on=(opened + timedelta(days=1)).date() if case.status != S.OPEN else None,
        action_result="risk_action" if closing else "",
        risk_outcome="reduced" if closing else "",
        closure_summary=f"Dear {case.preferred or case.given}, this letter sums up what we did together."
        if closing
        else "",
    )
    enquiry.risk_types.set(concern.risk_types.all())

    events = [(EnquiryEvent.Kind.OPENED, opened, manager, "", S.OPEN)]
    if case.status != S.OPEN:
        events.append((EnquiryEvent.Kind.STARTED, opened + timedelta(days=1), worker, S.OPEN, S.IN_PROGRESS))
    if closing:
        events.append((EnquiryEvent.Kind.PROPOSED, enquiry.proposed_for_closure_at, worker, S.IN_PROGRESS,
                       S.PROPOSED_FOR_CLOSURE))  # fmt: skip
    if closed:
        events.append(
            (EnquiryEvent.Kind.CLOSED, enquiry.closed_at, manager, S.PROPOSED_FOR_CLOSURE, S.CLOSED)
        )
    for kind, when, by, from_status, to_status in events:
        EnquiryEvent.objects.create(
            enquiry=enquiry, kind=kind, occurred_at=when, by=by, from_status=from_status, to_status=to_status,
            allocated_to=worker if kind == EnquiryEvent.Kind.OPENED else None,
        )  # fmt: skip

    if case.status == S.OPEN:
        return enquiry
    # Two conversations with the person: what matters to them, and then the plan agreed with them.
    first = opened + timedelta(days=1, hours=2)
    ConversationLog.objects.create(
        person=person, enquiry=enquiry, occurred_at=first, recorded_by=worker, with_person=True,
        with_advocate=True, method="face_to_face", location="At home", what_matters=case.matters,
        wants_to_happen=case.wants, risks_discussed="What could happen if nothing changes.",
        persons_view_of_risks="They understand the risks and want to go at their own pace.",
        options_discussed="Talking to the police; support from the bank; a family meeting.",
        decisions="To start with the bank and decide about the police later.", decision_made_by="person",
        next_contact_on=(first + timedelta(days=7)).date(), next_contact_how="Visit at home",
        check_involve=True, check_choice=True, check_control=True, check_safety=True,
    )  # fmt: skip
    second = min(first + timedelta(days=7), now - timedelta(hours=3))
    # The in-progress North case's next agreed contact has passed, beyond the two days' grace: the drift the
    # reminders catch (`manage.py scan_drift`). Its overdue plan action below is another.
    next_contact = (now - timedelta(days=4)) if case.key == "DEMO-005" else (now + timedelta(days=10))
    ConversationLog.objects.create(
        person=person, enquiry=enquiry, occurred_at=second, recorded_by=worker, with_person=True,
        method="phone", what_matters=case.matters, wants_to_happen=case.wants,
        decisions="Agreed the plan below together.", decision_made_by="jointly",
        next_contact_on=next_contact.date(), next_contact_how="Phone call",
        check_involve=True, check_choice=True, check_control=True, check_wellbeing=True,
    )  # fmt: skip
    PlanAction.objects.create(
        enquiry=enquiry, what="Do what they asked for first, at the pace they choose", who=worker.full_name,
        due_on=(now + timedelta(days=5)).date(), agreed_with_person=True,
        status="done" if closing else "in_progress", created_by=worker,
    )  # fmt: skip
    PlanAction.objects.create(
        enquiry=enquiry, what="Check with them whether they feel safer, and what else would help",
        who="Duty worker",
        due_on=(now - timedelta(days=3)).date(), agreed_with_person=True,
        status="done" if closing else "not_started", created_by=worker,
    )  # fmt: skip
    Meeting.objects.create(
        enquiry=enquiry, kind="planning", held_on=(opened + timedelta(days=3)).date(),
        attendees=f"{worker.full_name}; Sam Patel (advocate); the person", participation="met_chair",
        persons_views="Read out from their statement: " + (case.wants or "they want to stay in control."),
        created_by=worker,
    )  # fmt: skip
    _outcomes_and_experience(case, enquiry, worker, manager, first.date(), closing, now)
    return enquiry


# In progress for a month with no manager review: the "no manager review" drift rule shows.
NO_REVIEW_YET = {"DEMO-012"}


def _drift(case: DemoCase, enquiry: Enquiry, manager: User, now) -> None:
    """The anti-drift fields as the services would have set them: the next contact from the latest
    conversation, a manager review a few days in (not for NO_REVIEW_YET), when the conclusion was recorded."""
    latest = (
        ConversationLog.objects.filter(enquiry=enquiry, amends__isnull=True)
        .order_by("-occurred_at", "-pk")
        .first()
    )
    reviewed_at = enquiry.opened_at
    if case.status != S.OPEN and case.key not in NO_REVIEW_YET:
        reviewed_at = min(enquiry.opened_at + timedelta(days=3), now - timedelta(hours=4))
        ManagerReview.objects.create(
            enquiry=enquiry, reviewed_at=reviewed_at, by=manager,
            note="Talked the case through in supervision. The plan follows what the person asked for; "
            "check the advocate can come to the next visit.",
        )  # fmt: skip
    Enquiry.objects.filter(pk=enquiry.pk).update(
        next_contact_on=latest.next_contact_on if latest else None,
        next_contact_how=latest.next_contact_how if latest else "",
        last_reviewed_at=reviewed_at,
        conclusion_recorded_at=(enquiry.proposed_for_closure_at - timedelta(days=1))
        if enquiry.proposed_for_closure_at
        else None,
    )


# How far each closing case's outcomes were achieved, as the person saw it: a spread across SG4a.
ACHIEVED = {"DEMO-006": "fully", "DEMO-007": "partially", "DEMO-010": "not", "DEMO-011": "partially"}


def _outcomes_and_experience(case, enquiry, worker, manager, said_on, closing, now) -> None:
    """Issue 4's records: the person's desired outcomes (in their words), Part 1 at the start and, for cases
    being closed, how far each outcome was achieved, Part 2 (DEMO-011 not approached, with a manager's
    agreement) and the organisation's perspective for closed cases."""
    from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
    from outcomes.models import DesiredOutcome

    achieved = ACHIEVED.get(case.key, "fully")
    for priority, words in enumerate([case.wants, "To be involved in every decision about me."], start=1):
        DesiredOutcome.objects.create(
            enquiry=enquiry, words=words, expressed_on=said_on, priority=priority, created_by=worker,
            expressed_by="representative" if case.key == "DEMO-009" else "person",
            achievement=(achieved if priority == 1 else "fully") if closing else "",
            person_comment="Said in our last conversation." if closing else "",
            achievement_recorded_by=worker if closing else None,
            achievement_recorded_at=now - timedelta(days=9) if closing else None,
        )  # fmt: skip
    ExperienceFeedbackPart1.objects.create(
        enquiry=enquiry, involvement=["meet_chair_first"], informed_by=["phone", "letter"],
        who_involved="My advocate, Sam.", who_not_told="Not my neighbours.",
        completed_by="with_support", completed_on=said_on, created_by=worker,
    )  # fmt: skip
    if not closing:
        return
    if case.key == "DEMO-011":
        ExperienceFeedbackPart2.objects.create(
            enquiry=enquiry, approached=False, not_approached_reason="further_risk", decided_by=worker,
            manager_agreed_by=manager, manager_agreed_at=now - timedelta(days=9),
            best_interests_answered=False,
            completed_on=(now - timedelta(days=9)).date(), created_by=worker,
        )  # fmt: skip
    else:
        answer = {"fully": "yes_completely", "partially": "yes_partly", "not": "no"}[achieved]
        ExperienceFeedbackPart2.objects.create(
            enquiry=enquiry, approached=True, answered_by="person", listened="yes_completely",
            informed=answer, safer=answer, concerns_dealt_with=answer,
            listened_comment="You let me say it my way.", further_work_needed=False,
            completed_on=(now - timedelta(days=9)).date(), created_by=worker,
        )  # fmt: skip
    if case.status == S.CLOSED:
        OrganisationPerspective.objects.create(
            enquiry=enquiry, could_be_better="We could have met sooner.",
            agencies_worked_together="Well: the bank and the GP shared what they knew quickly.",
            changes_recommended="Offer a meeting with the chair beforehand by default.",
            systems_supported_msp="yes", training_needs="None identified.", recorded_by=manager,
        )  # fmt: skip
