"""What the feedback app adds to the enquiry pages (registered in FeedbackConfig.ready): My Safeguarding
Experience and the case-file audits on the enquiry page, the organisation's perspective on the sign-off page,
and the communication support asked for in Part 1 on the person page."""

from enquiries.models import Enquiry, Person
from enquiries.panels import AFTER_ACTIONS, BEFORE_DETAILS, ENQUIRY_PAGE, PERSON_PAGE, SIGN_OFF_PAGE, Panel

from .selectors import enquiry_panel_context, part1_communication_for_person, perspective_for_enquiry


def _sign_off_context(*, user, enquiry: Enquiry) -> dict:
    # What the manager approves the closure with, once recorded.
    return {"perspective": perspective_for_enquiry(user=user, enquiry=enquiry)}


def _person_context(*, user, person: Person) -> dict:
    # Said in My Safeguarding Experience Part 1, shown with its source beside the person's own record.
    return {"part1_communication": part1_communication_for_person(user=user, person=person)}


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
]
