"""Reads for My Safeguarding Experience, scoped through the enquiry the records hang off."""

from django.db.models import Count, QuerySet
from django.urls import reverse

from enquiries.models import Enquiry
from msp_cases import access, oversight
from msp_cases.accounts.roles import EDIT_CASE

from .models import (
    PART2_QUESTIONS,
    AnsweredBy,
    ExperienceAnswer,
    ExperienceFeedbackPart1,
    ExperienceFeedbackPart2,
    NotApproachedReason,
    OrganisationPerspective,
)


def _scoped(model, user) -> QuerySet:
    return model.objects.filter(enquiry__in=access.scoped(Enquiry.objects.all(), user))


def part1_for_enquiry(*, user, enquiry: Enquiry) -> ExperienceFeedbackPart1 | None:
    return access.within(ExperienceFeedbackPart1.objects.all(), user, enquiry).first()


def part2_for_enquiry(*, user, enquiry: Enquiry) -> ExperienceFeedbackPart2 | None:
    return (
        access.within(ExperienceFeedbackPart2.objects.all(), user, enquiry)
        .select_related("decided_by", "manager_agreed_by")
        .first()
    )


def perspective_for_enquiry(*, user, enquiry: Enquiry) -> OrganisationPerspective | None:
    return access.within(OrganisationPerspective.objects.select_related("recorded_by"), user, enquiry).first()


def enquiry_panel_context(*, user, enquiry: Enquiry) -> dict:
    """The enquiry page's My Safeguarding Experience section: a fixed number of queries."""
    can_edit = user.has_perm(EDIT_CASE, enquiry) and enquiry.status != Enquiry.Status.CLOSED
    pk = enquiry.pk
    return {
        "feedback_part1": part1_for_enquiry(user=user, enquiry=enquiry),
        "feedback_part2": part2_for_enquiry(user=user, enquiry=enquiry),
        "feedback_perspective": perspective_for_enquiry(user=user, enquiry=enquiry),
        "feedback_can_edit": can_edit,
        "feedback_can_record_perspective": can_edit and oversight.is_team_manager(user, enquiry),
        "feedback_urls": {
            "part1": reverse("feedback:part1_edit", args=[pk]),
            "part2": reverse("feedback:part2_edit", args=[pk]),
            "perspective": reverse("feedback:organisation_perspective", args=[pk]),
            "part1_pdf": reverse("feedback:part1_pdf", args=[pk]),
            "part2_pdf": reverse("feedback:part2_pdf", args=[pk]),
        },
    }


def part1_communication_for_person(*, user, person) -> list[ExperienceFeedbackPart1]:
    """The communication support the person asked for in Part 1 of each enquiry about them that `user` may
    see, newest first, with its enquiry: the person page shows it beside what is recorded on the person, with
    where it came from (Part 1 never overwrites the person's record). One query."""
    return list(
        _scoped(ExperienceFeedbackPart1, user)
        .filter(enquiry__person=person)
        .exclude(communication_support="")
        .select_related("enquiry")
        .order_by("-completed_on", "-pk")
    )


# Co-production ----------------------------------------------------------------------------------------------

SUPPRESSED = "[c]"
# Counts under 5 are suppressed so a small group cannot recognise one person's answers.
SUPPRESS_BELOW = 5


def part2_answer_counts(*, user, start, end) -> list[tuple[str, str, str]]:
    """Anonymised Part 2 answers for a period (by the date Part 2 was completed): how many gave each answer
    to each question, over the enquiries `user` may see. Categories only: no names, dates of birth,
    addresses or free text. Counts under 5 are shown as "[c]"."""
    records = _scoped(ExperienceFeedbackPart2, user).filter(completed_on__range=(start, end))
    rows: list[tuple[str, str, int]] = []

    def counts(field: str) -> dict:
        return dict(records.values_list(field).annotate(n=Count("pk")).order_by())

    approached = counts("approached")
    rows += [
        ("Was the person approached?", "Yes", approached.get(True, 0)),
        ("Was the person approached?", "No", approached.get(False, 0)),
    ]
    reasons = counts("not_approached_reason")
    rows += [
        ("Why the person was not approached", label, reasons.get(v, 0))
        for v, label in NotApproachedReason.choices
    ]
    for name, question in PART2_QUESTIONS:
        answers = counts(name)
        rows += [(question, label, answers.get(v, 0)) for v, label in ExperienceAnswer.choices]
    answered_by = counts("answered_by")
    rows += [("Who answered", label, answered_by.get(v, 0)) for v, label in AnsweredBy.choices]
    return [(q, a, SUPPRESSED if n < SUPPRESS_BELOW else str(n)) for q, a, n in rows]
