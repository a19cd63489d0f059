"""Reads for exports: who may see an export, the user's recent exports, and what the case summary says."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from enquiries.models import EnquiryEvent
from enquiries.models.choices import DecisionMadeBy
from enquiries.selectors.enquiry import _effective, enquiry_overview
from msp_cases.accounts.roles import VIEW_ALL_CASES

from . import registry
from .models import Export

RECENT = 50


def export_get_for_user(*, user, pk) -> Export:
    """An export its requester may open, or unit staff (who may see the case); anyone else gets 404, and so
    does the requester of a case that has since left their scope."""
    try:
        export = Export.objects.select_related("enquiry", "requested_by").get(pk=pk)
    except (Export.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if export.requested_by_id != user.pk and not user.has_perm(VIEW_ALL_CASES):
        raise Http404
    spec = registry.get(export.kind)
    if spec is None or not spec.allowed(user, export.enquiry, export.params):
        raise Http404
    return export


def export_list_for_user(*, user) -> QuerySet[Export]:
    """The user's own recent exports, newest first: one query whatever their number."""
    return Export.objects.filter(requested_by=user).select_related("enquiry").order_by("-created_at")[:RECENT]


def enquiry_exports_for_user(*, user, enquiry, limit: int = 5) -> list[Export]:
    """The user's recent exports of this case, for the panel on the enquiry page (one query)."""
    return list(Export.objects.filter(requested_by=user, enquiry=enquiry).order_by("-created_at")[:limit])


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
    view = {name: _effective(conversation, name) for name in fields}
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
    from outcomes.models import DesiredOutcome, DesiredOutcomeRevision
    from outcomes.selectors import outcomes_for_user

    overview = enquiry_overview(user=user, enquiry=enquiry)
    conversations = [_conversation_view(item.obj) for item in overview.items if item.kind == "conversation"]
    meetings = [item.obj for item in overview.items if item.kind == "meeting"]
    events = [item.obj for item in overview.items if item.kind == "event"]
    outcomes = list(
        outcomes_for_user(user)
        .filter(enquiry=enquiry)
        .select_related("achievement_recorded_by")
        .prefetch_related(Prefetch("revisions", queryset=DesiredOutcomeRevision.objects.order_by("pk")))
        .order_by("status", "priority", "pk")
    )
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
        "outcomes": outcomes,
        "active_outcomes": [o for o in outcomes if o.status == DesiredOutcome.Status.ACTIVE],
        "withdrawn_outcomes": [o for o in outcomes if o.status == DesiredOutcome.Status.WITHDRAWN],
        "plan_actions": overview.plan_actions,
        "decisions": sorted(decisions, key=lambda d: d["at"]),
        "signed_off": signed_off,
        "proposed": proposed,
        "risk_types": list(enquiry.risk_types.all()),
        "restricted": enquiry.person.is_restricted,
    }
