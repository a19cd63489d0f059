"""A fictional extract in the import's format, of any size: the examples in docs/examples/ and the file the
import's timing is measured with (docs/import.md). Rows are written as they are made, so a file of a million
people takes no more memory than one of ten. Every value is made up; the same arguments give the same file.

Each person comes with one concern; with `cases`, every tenth concern was decided as a section 42 enquiry,
which is closed, with a conversation with the person and a desired outcome; every tenth after it, no further
action."""

import datetime
import json
import random
from collections.abc import Iterator
from typing import IO

from msp_cases.exports.safe_csv import safe_writer

from .columns import ALL_COLUMNS

GIVEN = ["Margaret", "Arthur", "Doreen", "Kwame", "Priya", "Stanley", "Aisha", "Gwen", "Tomasz", "Elsie"]
FAMILY = ["Hughes", "Okafor", "Patel", "Nowak", "Evans", "Begum", "Clarke", "Mensah", "Wright", "Shah"]
GENDERS = ["Female", "male", "Not Known"]  # the SAC's label or the code: either is taken
ETHNICITIES = [
    "White",
    "asian",
    "Black / African / Caribbean / Black British",
    "mixed",
    "Undeclared / Not Known",
]
SUPPORT = [
    "Physical Support",
    "memory_cognition",
    "Mental Health Support",
    "learning_disability",
    "Social Support",
]
RISKS = ["Financial or Material Abuse", "neglect", "Psychological Abuse", "Self-Neglect", "physical"]
LOCATIONS = ["Own Home", "care_home_residential", "In the Community"]
LAST_DAY = datetime.datetime(2025, 9, 30, 16, 0)  # every date is before it, so in the past


def example_rows(
    *, people: int, teams: list[str], cases: bool, prefix: str = "", seed: int = 1
) -> Iterator[dict]:
    draw = random.Random(seed)  # noqa: S311 -- fictional data, not a secret
    for number in range(1, people + 1):
        person = f"P{number:07d}"
        received = LAST_DAY - datetime.timedelta(
            days=130 + draw.randrange(0, 3 * 365), minutes=draw.randrange(0, 600)
        )
        yield {
            "record_type": "person",
            "external_id": person,
            "given_name": draw.choice(GIVEN),
            "family_name": draw.choice(FAMILY),
            "date_of_birth": datetime.date(
                draw.randrange(1925, 1990), draw.randrange(1, 13), draw.randrange(1, 29)
            ).isoformat(),
            "gender": draw.choice(GENDERS),
            "ethnicity": draw.choice(ETHNICITIES),
            "primary_support_reason": draw.choice(SUPPORT),
            "has_autism": "no",
            "postcode": f"ZZ{draw.randrange(1, 99)} {draw.randrange(1, 9)}XX",
            "local_identifier": f"LEG-{prefix}{number:07d}",
        }
        concern = {
            "record_type": "concern",
            "external_id": f"C{number:07d}",
            "person_external_id": person,
            "team": teams[number % len(teams)],
            "received_at": received.strftime("%Y-%m-%d %H:%M"),
            "summary": "A neighbour saw bruising on her arms and says her son takes her pension.",
            "referrer_relationship": "Neighbour",
            "risk_types": ";".join(draw.sample(RISKS, 2)),
            "risk_location": draw.choice(LOCATIONS),
            "risk_source": "Other - Known to individual",
            "person_aware": "yes",
        }
        decided = received + datetime.timedelta(days=2)
        decision = ""
        if cases and number % 10 == 1:
            decision = "Section 42 enquiry"
        elif cases and number % 10 == 2:
            decision = "no_further_action"
        if decision:
            concern |= {
                "decision": decision,
                "decided_at": decided.strftime("%Y-%m-%d %H:%M"),
                "criteria_care_needs": "yes",
                "criteria_abuse_or_neglect": "yes",
                "criteria_unable_to_protect": "yes" if decision != "no_further_action" else "no",
                "decision_rationale": "She has care needs and cannot protect herself from her son's demands.",
                "no_further_action_response": (
                    "Signposted to the money advice service" if decision == "no_further_action" else ""
                ),
            }
        yield concern
        if decision == "Section 42 enquiry":
            yield from _case(number, decided, draw)


def _case(number: int, decided: datetime.datetime, draw: random.Random) -> Iterator[dict]:
    enquiry = f"E{number:07d}"
    talked = decided + datetime.timedelta(days=3)
    closed = decided + datetime.timedelta(days=draw.randrange(20, 120))
    yield {
        "record_type": "enquiry",
        "external_id": enquiry,
        "concern_external_id": f"C{number:07d}",
        "opened_at": decided.strftime("%Y-%m-%d %H:%M"),
        "status": "closed",
        "lacks_capacity": "no",
        "outcomes_asked": "Yes they were asked and outcomes were expressed",
        "closed_at": closed.strftime("%Y-%m-%d %H:%M"),
        "action_result": "Risk identified and action taken",
        "risk_outcome": "Risk reduced",
        "closure_summary": "Your son no longer collects your pension; your daughter helps you manage it.",
    }
    yield {
        "record_type": "conversation",
        "external_id": f"V{number:07d}",
        "enquiry_external_id": enquiry,
        "occurred_at": talked.strftime("%Y-%m-%d %H:%M"),
        "method": "Face to face",
        "with_person": "yes",
        "what_matters": "I want to stay in my own home and keep seeing my son.",
        "wants_to_happen": "For my pension to be paid into my own account.",
        "decision_made_by": "jointly",
        "decisions": "Her bank will be asked to move the pension to her own account.",
    }
    yield {
        "record_type": "outcome",
        "external_id": f"O{number:07d}",
        "enquiry_external_id": enquiry,
        "words": "I want my pension paid to me, not to my son.",
        "expressed_by": "The person",
        "expressed_on": talked.date().isoformat(),
        "achievement": "Fully Achieved",
    }


def write_example(
    handle: IO[str], *, file_format: str, people: int, teams: list[str], cases: bool, prefix: str = ""
) -> int:
    """Write the example to `handle`; returns the number of rows."""
    count = 0
    writer = None
    if file_format == "csv":
        # The product's one CSV writer (a cell a spreadsheet would run is written as text), as every CSV it
        # writes; the example's values never start like a formula, so none is changed.
        writer = safe_writer(handle, lineterminator="\n")
        writer.writerow(ALL_COLUMNS)
    for row in example_rows(people=people, teams=teams, cases=cases, prefix=prefix):
        if writer is not None:
            writer.writerow([row.get(column, "") for column in ALL_COLUMNS])
        else:
            handle.write(json.dumps(row) + "\n")
        count += 1
    return count
