"""What the feedback app adds to the enquiry pages (registered in FeedbackConfig.ready): My Safeguarding
Experience and the case-file audits on the enquiry page, the organisation's perspective on the sign-off page,
and the communication support asked for in Part 1 on the person page."""

from enquiries.models import Enquiry, Person
from enquiries.panels import (
    AFTER_ACTIONS,
    AFTER_CLOSURE,
    BEFORE_DETAILS,
    CASE_SUMMARY_PAGE,
    ENQUIRY_PAGE,
    PERSON_PAGE,
    SIGN_OFF_PAGE,
    Panel,
    TimelineSource,
)
from enquiries.selectors.enquiry import TimelineItem, as_datetime

from .models import PART2_QUESTIONS, ExperienceFeedbackPart1, ExperienceFeedbackPart2
from .selectors import (
    enquiry_panel_context,
    part1_communication_for_person,
    part1_for_enquiry,
    part2_for_enquiry,
    perspective_for_enquiry,
)


def _sign_off_context(*, user, enquiry: Enquiry) -> dict:
    # What the manager approves the closure with, once recorded.
    return {"perspective": perspective_for_enquiry(user=user, enquiry=enquiry)}


def _person_context(*, user, person: Person) -> dict:
    # Said in My Safeguarding Experience Part 1, shown with its source beside the person's own record.
    return {"part1_communication": part1_communication_for_person(user=user, person=person)}


def _case_summary_context(*, user, enquiry: Enquiry) -> dict:
    """The case summary's My Safeguarding Experience (Part 1, Part 2's four answers with the person's words)
    and the organisation's perspective. Three queries."""
    part2 = part2_for_enquiry(user=user, enquiry=enquiry)
    answers = []
    if part2 is not None:
        for field, question in PART2_QUESTIONS:
            answer = getattr(part2, f"get_{field}_display")()
            answers.append((question, answer, getattr(part2, f"{field}_comment")))
    return {
        "feedback_summary_part1": part1_for_enquiry(user=user, enquiry=enquiry),
        "feedback_summary_part2": part2,
        "feedback_summary_answers": answers,
        "feedback_summary_perspective": perspective_for_enquiry(user=user, enquiry=enquiry),
    }


PANELS = [
    Panel(
        id="feedback.case_file_audits",
        page=ENQUIRY_PAGE,
        slot=AFTER_ACTIONS,
        template="feedback/audits/_enquiry_panel.html",
    ),
    Panel(
        id="feedback.experience",
        page=ENQUIRY_PAGE,
        slot=BEFORE_DETAILS,
        template="feedback/_enquiry_panel.html",
        context=enquiry_panel_context,
    ),
    Panel(id="feedback.perspective", page=SIGN_OFF_PAGE, context=_sign_off_context),
    Panel(id="feedback.part1_communication", page=PERSON_PAGE, context=_person_context),
    Panel(
        id="feedback.case_summary",
        page=CASE_SUMMARY_PAGE,
        slot=AFTER_CLOSURE,
        template="feedback/pdf/_case_summary.html",
        context=_case_summary_context,
    ),
]


def experience_chronology_items(*, user, person: Person, enquiries: list[Enquiry]) -> list[TimelineItem]:
    """My Safeguarding Experience on the person's chronology: Part 1 (how they want to be involved) and Part
    2 (their feedback, or why they were not asked) on the day each was completed. Two queries; the
    enquiries are the person's, already in the user's scope."""
    enquiry_ids = [e.pk for e in enquiries]
    group = frozenset({"feedback"})
    items = []
    for part1 in ExperienceFeedbackPart1.objects.filter(enquiry_id__in=enquiry_ids):
        extra = {
            "title": "My Safeguarding Experience Part 1 completed",
            "line": f"Completed by {part1.get_completed_by_display().lower()}",
            "date_only": True,
        }
        items.append(TimelineItem("feedback_part1", as_datetime(part1.completed_on), part1, group, extra))
    for part2 in ExperienceFeedbackPart2.objects.filter(
        enquiry_id__in=enquiry_ids, completed_on__isnull=False
    ):
        if part2.approached:
            answers = [
                ("Listened to", part2.get_listened_display()),
                ("Kept informed", part2.get_informed_display()),
                ("Feels safer", part2.get_safer_display()),
                ("Concerns dealt with", part2.get_concerns_dealt_with_display()),
            ]
            line = "; ".join(f"{question}: {answer}" for question, answer in answers if answer)
        else:
            line = f"Not asked for feedback: {part2.get_not_approached_reason_display()}"
        extra = {"title": "My Safeguarding Experience Part 2 feedback", "line": line, "date_only": True}
        items.append(TimelineItem("feedback_part2", as_datetime(part2.completed_on), part2, group, extra))
    return items


TIMELINE_SOURCES = [TimelineSource(id="feedback.experience", person_items=experience_chronology_items)]
