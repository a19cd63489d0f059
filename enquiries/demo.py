"""Fictional demo data: two locality teams, the six demo accounts and a dozen people with cases at every
stage of the lifecycle. Idempotent: people are keyed by their local identifier (DEMO-nnn)."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from msp_cases.accounts.demo import DEMO_USERS, NORTH, SOUTH
from msp_cases.accounts.models import Team, User

from .models import Enquiry, Person, SafeguardingConcern

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
    ),
]


def _demo_users() -> dict[str, User]:
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in (NORTH, SOUTH)}
    restricted_perm = Permission.objects.get(
        content_type__app_label="enquiries", codename="view_restricted_records"
    )
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
            user.user_permissions.add(restricted_perm)
        users[demo.email] = user
    return users


@transaction.atomic
def demo_seed() -> dict[str, int]:
    users = _demo_users()
    practitioner = {
        NORTH: users["practitioner.north@example.org"],
        SOUTH: users["practitioner.south@example.org"],
    }
    teams = {t.name: t for t in Team.objects.filter(name__in=[NORTH, SOUTH])}
    now = timezone.now()
    created = 0
    for case in CASES:
        if Person.objects.filter(local_identifier=case.key).exists():
            continue
        created += 1
        person = Person.objects.create(
            given_name=case.given,
            family_name=case.family,
            preferred_name=case.preferred,
            date_of_birth=case.born,
            local_identifier=case.key,
            is_restricted=case.restricted,
            created_by=practitioner[case.team],
        )
        if case.restricted:
            # Named staff only: the team manager, not the wider team.
            person.restricted_to.add(users["manager.north@example.org"])
        received = now - timedelta(days=case.days_ago)
        decided = case.decision != D.PENDING
        concern = SafeguardingConcern.objects.create(
            person=person,
            team=teams[case.team],
            allocated_to=practitioner[case.team] if case.key != "DEMO-002" else None,
            received_at=received,
            summary=case.summary,
            decision=case.decision,
            decided_at=received + timedelta(days=1) if decided else None,
        )
        if case.status:
            lead = users["manager.north@example.org"] if case.restricted else practitioner[case.team]
            Enquiry.objects.create(
                person=person,
                concern=concern,
                enquiry_type=case.enquiry_type,
                team=teams[case.team],
                lead_practitioner=lead,
                status=case.status,
                opened_at=received + timedelta(days=1),
                closed_at=now - timedelta(days=5) if case.status == S.CLOSED else None,
            )
    return {"people_created": created, "people": Person.objects.count(), "users": len(users)}
