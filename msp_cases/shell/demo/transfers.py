"""A transfer between teams waiting for the receiving manager, through the services the pages call: North's
practitioner asks for Margaret Hughes's concern, still awaiting a decision, to go to South, where she has
moved. Signed in as South's manager, the demo shows it under "Transfers waiting for your team"."""

from enquiries.models import Person, SafeguardingConcern, TeamTransfer
from enquiries.services.transfers import transfer_request
from msp_cases.accounts.models import Team, User
from msp_cases.core.actor import Actor

DEMO_PERSON = "DEMO-001"
REASON = (
    "Margaret moved in with her daughter in Southtown last week and wants to stay there. Her GP and day "
    "centre are now in your area."
)


def demo_transfers(*, asked_by: User, to_team: Team) -> int:
    """The waiting transfer, once: none is asked for again when the demo is seeded a second time. Returns how
    many were made."""
    person = Person.objects.filter(local_identifier=DEMO_PERSON).first()
    if person is None or TeamTransfer.objects.filter(person=person).exists():
        return 0
    concern = (
        SafeguardingConcern.objects.filter(person=person, decision=SafeguardingConcern.Decision.PENDING)
        .exclude(team=to_team)
        .first()
    )
    if concern is None:
        return 0
    transfer_request(actor=Actor.of(asked_by), concern=concern, to_team=to_team, reason=REASON)
    return 1
