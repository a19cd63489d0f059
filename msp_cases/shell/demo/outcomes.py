"""Each demo case's outcomes in the person's words, and their My Safeguarding Experience answers."""

from datetime import timedelta

from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
from outcomes.models import DesiredOutcome

from .cases import ACHIEVED, S


def demo_outcomes_and_experience(case, enquiry, worker, manager, said_on, closing, now) -> None:
    """The person's desired outcomes (in their words), Part 1 at the start and, for cases
    being closed, how far each outcome was achieved, Part 2 (DEMO-011 not approached, with a manager's
    agreement) and the organisation's perspective for closed cases."""
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
