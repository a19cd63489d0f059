"""The case summary PDF, the export of one case that enquiries offers (registered in EnquiriesConfig.ready),
and the lookup every export of a case uses to read it as its requester sees it."""

from msp_cases.core.pdf import template_to_pdf
from msp_cases.exports.registry import ExportKind, may_see_enquiry, pdf_context

from .models import EnquiryEvent
from .models.choices import DecisionMadeBy
from .panels import CASE_SUMMARY_PAGE, page_context
from .selectors import enquiry_get_for_user
from .selectors.enquiry import effective_words, enquiry_overview


def enquiry_for_export(export):
    """The export's enquiry as its requester sees it: the same access layer the pages use (404 if the case has
    left their scope)."""
    return enquiry_get_for_user(user=export.requested_by, pk=export.enquiry_id)


def _conversation_view(conversation) -> dict:
    """A conversation as last corrected: an amendment's words replace the original's where it set them."""
    fields = [
        "what_matters",
        "wants_to_happen",
        "risks_discussed",
        "persons_view_of_risks",
        "options_discussed",
        "decisions",
        "against_wishes_reason",
        "next_contact_on",
        "next_contact_how",
    ]
    view = {name: effective_words(conversation, name) for name in fields}
    made_by = conversation.decision_made_by
    for amendment in conversation.amendments_list:
        if amendment.decisions:
            made_by = amendment.decision_made_by
    view["decision_made_by"] = made_by
    view["decision_made_by_label"] = DecisionMadeBy(made_by).label if made_by in DecisionMadeBy.values else ""
    view["corrected"] = bool(conversation.amendments_list)
    view["obj"] = conversation
    return view


def case_summary_context(*, user, enquiry) -> dict:
    """Everything the case summary PDF says, as `user` may see it, person-centred: what matters to the person
    and what they want in their words, their outcomes and how far achieved, the conversations, the plan,
    the decisions and who made them, and the closure. The timeline and the plan come from the enquiry page's
    selector, so the PDF and the page can never disagree."""
    overview = enquiry_overview(user=user, enquiry=enquiry)
    conversations = [_conversation_view(item.obj) for item in overview.items if item.kind == "conversation"]
    meetings = [item.obj for item in overview.items if item.kind == "meeting"]
    events = [item.obj for item in overview.items if item.kind == "event"]
    concern = enquiry.concern
    decisions = []
    if concern is not None and concern.decided_at:
        decisions.append(
            {
                "at": concern.decided_at,
                "what": concern.get_decision_display(),
                "why": concern.decision_rationale,
                "by": concern.decided_by,
                "how_involved": concern.decision_person_involvement,
            }
        )
    for view in conversations:
        if view["decisions"].strip():
            decisions.append(
                {
                    "at": view["obj"].occurred_at,
                    "what": view["decisions"],
                    "made_by": view["decision_made_by_label"],
                    "why": view["against_wishes_reason"],
                    "by": view["obj"].recorded_by,
                }
            )
    signed_off = next((e for e in reversed(events) if e.kind == EnquiryEvent.Kind.CLOSED), None)
    proposed = next((e for e in reversed(events) if e.kind == EnquiryEvent.Kind.PROPOSED), None)
    return {
        "enquiry": enquiry,
        "person": enquiry.person,
        "concern": concern,
        "overview": overview,
        "conversations": conversations,
        "meetings": meetings,
        "events": events,
        "plan_actions": overview.plan_actions,
        "decisions": sorted(decisions, key=lambda d: d["at"]),
        "signed_off": signed_off,
        "proposed": proposed,
        "risk_types": list(enquiry.risk_types.all()),
        "concern_risk_types": list(concern.risk_types.all()) if concern is not None else [],
        "restricted": enquiry.person.is_restricted,
        # The person's desired outcomes and how far achieved, from the outcomes app.
        **page_context(CASE_SUMMARY_PAGE, user=user, enquiry=enquiry),
    }


def render_case_summary(export) -> bytes:
    context = case_summary_context(user=export.requested_by, enquiry=enquiry_for_export(export))
    return template_to_pdf("exports/pdf/case_summary.html", {**context, **pdf_context(export)})


CASE_SUMMARY = ExportKind(
    key="case_summary",
    title="Case summary",
    filename="enquiry-{enquiry}-case-summary.pdf",
    render=render_case_summary,
    allowed=may_see_enquiry,
    find_enquiry=enquiry_get_for_user,
)
