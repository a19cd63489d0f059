"""`demo_seed`: the demo accounts, then each demo person's records in the order they happen."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from enquiries.models import Person
from msp_cases.accounts.demo import DEMO_USERS, NORTH, SOUTH
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import UNIT_LEAD

from .cases import CASES
from .enquiry import demo_casework
from .people import demo_concern, demo_person
from .providers import demo_care_provider_concerns
from .referrals import demo_referrals
from .reviews import demo_reviews
from .transfers import demo_transfers
from .warnings import demo_warnings


def _demo_users() -> dict[str, User]:
    team_names = {NORTH, SOUTH} | {demo.team for demo in DEMO_USERS if demo.team}
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in team_names}
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
    """Each demo person's records, made by the services acting as the demo staff (the practitioner who leads
    the work, the manager who decides and signs off), so the demo can never disagree with the rules."""
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
        # A restricted record (a member of staff) is the team manager's alone: they record and lead it.
        worker = manager[case.team] if case.restricted else practitioner[case.team]
        person = demo_person(case, worker)
        enquiry = demo_concern(case, person, teams[case.team], worker, manager[case.team], now)
        if enquiry is not None:
            demo_casework(case, enquiry, worker, manager[case.team], now)
    demo_warnings(recorded_by=practitioner[NORTH], agreed_with=manager[NORTH])
    demo_care_provider_concerns(practitioner=practitioner, manager=manager, teams=teams, now=now)
    demo_referrals(now=now)
    demo_transfers(asked_by=practitioner[NORTH], to_team=teams[SOUTH])
    demo_reviews(recorded_by=users["unit@example.org"])
    return {"people_created": created, "people": Person.objects.count(), "users": len(users)}
