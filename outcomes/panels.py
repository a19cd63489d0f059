"""What the outcomes app adds to the enquiry page (registered in OutcomesConfig.ready): the "What I want to
happen" section and the desired outcomes' history on the timeline."""

from django.db.models import Prefetch

from enquiries.models import Enquiry
from enquiries.panels import AFTER_WHAT_MATTERS, CASE_SUMMARY_PAGE, ENQUIRY_PAGE, Panel, TimelineSource
from enquiries.selectors.enquiry import TimelineItem, as_datetime

from .models import DesiredOutcome, DesiredOutcomeRevision
from .selectors import enquiry_panel_context, outcomes_for_user


def outcome_timeline_items(enquiry: Enquiry) -> list[TimelineItem]:
    """The person's desired outcomes as they changed: recorded, each revision (the earlier words kept and
    shown), withdrawn, and how far achieved. Two queries; the enquiry is already in the user's scope."""
    outcomes = (
        DesiredOutcome.objects.filter(enquiry=enquiry)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=DesiredOutcomeRevision.objects.select_related("revised_by").order_by("pk"),
            )
        )
    )
    items = []
    group = frozenset({"outcomes"})
    for outcome in outcomes:
        revisions = list(outcome.revisions.all())
        first_words = revisions[0].previous_words if revisions else outcome.words
        items.append(TimelineItem("outcome", outcome.created_at, outcome, group, {"words": first_words}))
        for index, revision in enumerate(revisions):
            later = revisions[index + 1].previous_words if index + 1 < len(revisions) else outcome.words
            items.append(
                TimelineItem("outcome_revision", revision.revised_at, revision, group, {"words": later})
            )
        if outcome.withdrawn_on:
            items.append(TimelineItem("outcome_withdrawn", as_datetime(outcome.withdrawn_on), outcome, group))
        if outcome.achievement and outcome.achievement_recorded_at:
            items.append(TimelineItem("outcome_achievement", outcome.achievement_recorded_at, outcome, group))
    return items


def case_summary_context(*, user, enquiry: Enquiry) -> dict:
    """The case summary's desired outcomes: every one, with its revisions, active before withdrawn."""
    outcomes = list(
        outcomes_for_user(user)
        .filter(enquiry=enquiry)
        .select_related("achievement_recorded_by")
        .prefetch_related(Prefetch("revisions", queryset=DesiredOutcomeRevision.objects.order_by("pk")))
        .order_by("status", "priority", "pk")
    )
    return {
        "outcomes": outcomes,
        "active_outcomes": [o for o in outcomes if o.status == DesiredOutcome.Status.ACTIVE],
        "withdrawn_outcomes": [o for o in outcomes if o.status == DesiredOutcome.Status.WITHDRAWN],
    }


PANELS = [
    Panel(
        id="outcomes.what_i_want",
        page=ENQUIRY_PAGE,
        slot=AFTER_WHAT_MATTERS,
        template="outcomes/_enquiry_panel.html",
        context=enquiry_panel_context,
    ),
    Panel(id="outcomes.case_summary", page=CASE_SUMMARY_PAGE, context=case_summary_context),
]
TIMELINE_SOURCES = [TimelineSource(id="outcomes.history", items=outcome_timeline_items)]
