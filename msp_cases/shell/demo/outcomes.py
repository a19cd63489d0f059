"""Each demo case's outcomes in the person's words and their My Safeguarding Experience answers, through the
outcomes and feedback services."""

from datetime import date, datetime, timedelta

from enquiries.models import Enquiry
from feedback.services import experience_part1_save, experience_part2_save, organisation_perspective_save
from msp_cases.core.actor import Actor
from outcomes.models import DesiredOutcome
from outcomes.services import outcome_add, outcome_record_achievement

from .backdate import backdate_achievement, backdate_manager_agreement
from .cases import ACHIEVED, DemoCase

# Part 2's answers follow how far the person felt their first outcome was achieved.
PART2_ANSWER = {"fully": "yes_completely", "partially": "yes_partly", "not": "no"}


def demo_outcomes(case: DemoCase, enquiry: Enquiry, lead: Actor, said_on: date) -> list[DesiredOutcome]:
    """What the person wants, in their words, said in the first conversation; and Part 1 done with them."""
    outcomes = [
        outcome_add(
            actor=lead,
            enquiry=enquiry,
            words=words,
            expressed_by="representative" if case.key == "DEMO-009" else "person",
            expressed_on=said_on,
            priority=priority,
        )
        for priority, words in enumerate([case.wants, "To be involved in every decision about me."], start=1)
    ]
    experience_part1_save(
        actor=lead,
        enquiry=enquiry,
        expected_version=None,
        changes={
            "involvement": ["meet_chair_first"],
            "informed_by": ["phone", "letter"],
            "who_involved": "My advocate, Sam.",
            "who_not_told": "Not my neighbours.",
            "completed_by": "with_support",
            "completed_on": said_on,
        },
    )
    return outcomes


def demo_outcomes_achieved(
    case: DemoCase,
    enquiry: Enquiry,
    outcomes: list[DesiredOutcome],
    lead: Actor,
    team_manager: Actor,
    now: datetime,
) -> None:
    """At the end of the work, nine days ago: how far each outcome was achieved as the person saw it (a
    spread across SG4a, cases.ACHIEVED) and Part 2. DEMO-011 was not approached, because of further risk: the
    practitioner's decision, which the team manager agreed."""
    achieved = ACHIEVED.get(case.key, "fully")
    concluded = now - timedelta(days=9)
    for outcome in outcomes:
        recorded = outcome_record_achievement(
            actor=lead,
            outcome=outcome,
            expected_version=outcome.version,
            achievement=achieved if outcome.priority == 1 else "fully",
            person_comment="Said in our last conversation.",
        )
        backdate_achievement(recorded, concluded)
    if case.key == "DEMO-011":
        not_approached = {
            "approached": False,
            "not_approached_reason": "further_risk",
            "not_approached_note": "",
            "best_interests_answered": False,
            "completed_on": concluded.date(),
        }
        part2 = experience_part2_save(
            actor=lead, enquiry=enquiry, expected_version=None, changes=not_approached
        )
        part2 = experience_part2_save(
            actor=team_manager,
            enquiry=enquiry,
            expected_version=part2.version,
            changes=not_approached,
            manager_agrees=True,
        )
        backdate_manager_agreement(part2, concluded)
        return
    answer = PART2_ANSWER[achieved]
    experience_part2_save(
        actor=lead,
        enquiry=enquiry,
        expected_version=None,
        changes={
            "approached": True,
            "answered_by": "person",
            "listened": "yes_completely",
            "informed": answer,
            "safer": answer,
            "concerns_dealt_with": answer,
            "listened_comment": "You let me say it my way.",
            "further_work_needed": False,
            "completed_on": concluded.date(),
        },
    )


def demo_organisation_perspective(enquiry: Enquiry, team_manager: Actor) -> None:
    """What the team manager records before approving the closure."""
    organisation_perspective_save(
        actor=team_manager,
        enquiry=enquiry,
        expected_version=None,
        changes={
            "could_be_better": "We could have met sooner.",
            "agencies_worked_together": "Well: the bank and the GP shared what they knew quickly.",
            "changes_recommended": "Offer a meeting with the chair beforehand by default.",
            "systems_supported_msp": "yes",
            "training_needs": "None identified.",
        },
    )
