"""A repeat-concern pattern for the demo: three residents of one care home, two in North's area and one in
South's, each the subject of a concern naming "Oakfield Care Home" within the last three months. Recorded
through the services the pages call (the provider is added with the first concern, as a practitioner would add
it); the two older concerns were decided "no further safeguarding action" with the provider asked to act, the
newest still waits for a decision, and its page shows the other two."""

from datetime import date, datetime, timedelta

from enquiries.models import CareProvider, RiskTypeOption
from enquiries.services.concerns import concern_decide, concern_record
from enquiries.services.people import person_create
from enquiries.services.providers import NewCareProvider
from msp_cases.accounts.demo import NORTH, SOUTH
from msp_cases.accounts.models import Team, User
from msp_cases.core.actor import Actor

from .backdate import backdate_decision

OAKFIELD_CQC_ID = "1-1234567890"

# (local identifier, given name, family name, gender, born, team, days ago, decided, what the referrer said)
_RESIDENTS = [
    (
        "DEMO-OAK-1",
        "Edith",
        "Crowther",
        "female",
        "1936-05-02",
        NORTH,
        80,
        True,
        "Agency nurse saw Edith left in a wet bed all morning; night staff were two short.",
    ),
    (
        "DEMO-OAK-2",
        "Harold",
        "Mensah",
        "male",
        "1939-11-19",
        SOUTH,
        35,
        True,
        "Harold's daughter found his medication chart unsigned for four days and his tablets in a drawer.",
    ),
    (
        "DEMO-OAK-3",
        "Joan",
        "Pickering",
        "female",
        "1942-08-08",
        NORTH,
        2,
        False,
        "Joan's GP found a pressure sore the home had not reported; staff said they had no time to turn her.",
    ),
]


def demo_care_provider_concerns(
    *, practitioner: dict[str, User], manager: dict[str, User], teams: dict[str, Team], now: datetime
) -> int:
    """The three concerns about Oakfield Care Home; nothing when the demo already has them. Returns how many
    were recorded."""
    if CareProvider.objects.filter(cqc_location_id=OAKFIELD_CQC_ID).exists():
        return 0
    risks = RiskTypeOption.objects.filter(code__in=("neglect", "organisational"))
    provider = None
    for key, given, family, gender, born, team, days_ago, decided, summary in _RESIDENTS:
        worker = practitioner[team]
        actor = Actor.of(worker)
        person = person_create(
            actor=actor,
            fields={
                "given_name": given,
                "family_name": family,
                "date_of_birth": date.fromisoformat(born),
                "local_identifier": key,
                "gender": gender,
                "ethnicity": "white",
                "primary_support_reason": "physical",
                "postcode": "AB1 9OK",
            },
        )
        received = now - timedelta(days=days_ago)
        concern = concern_record(
            actor=actor,
            person=person,
            team=teams[team],
            received_at=received,
            summary=summary,
            risk_types=risks,
            allocated_to=worker,
            referrer_name="A. Referrer",
            referrer_relationship="Visits the home",
            risk_location="care_home_nursing",
            risk_source="service_provider",
            immediate_actions="Home manager told the same day; checked the resident was safe.",
            person_aware="yes",
            alleged_harm_by="care_provider",
            alleged_provider=provider
            or NewCareProvider(
                name="Oakfield Care Home",
                address="12 Oakfield Road\nAnytown\nAB1 9OK",
                cqc_location_id=OAKFIELD_CQC_ID,
            ),
        )
        provider = concern.alleged_provider
        if decided:
            concern_decide(
                actor=Actor.of(manager[team]),
                concern=concern,
                expected_version=concern.version,
                decision="no_further_action",
                criteria_care_needs=True,
                criteria_abuse_or_neglect=True,
                criteria_unable_to_protect=False,
                decision_rationale="The resident is safe now; the home has a plan to put this right.",
                decision_person_involvement="Talked it through with the resident at the home.",
                no_further_action_response="Raised with the home's manager and the council's quality team.",
            )
            backdate_decision(concern, received + timedelta(days=1))
    return len(_RESIDENTS)
