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
    return _history_items(DesiredOutcome.objects.filter(enquiry=enquiry))


def outcome_chronology_items(*, user, person, enquiries: list[Enquiry]) -> list[TimelineItem]:
    """The same history for every enquiry of the person's chronology (already in the user's scope), each
    item with its chronology line: the outcome in the person's words, and how far it was achieved in
    theirs. Two queries, however many enquiries."""
    items = _history_items(DesiredOutcome.objects.filter(enquiry__in=[e.pk for e in enquiries]))
    for item in items:
        outcome = item.obj if isinstance(item.obj, DesiredOutcome) else item.obj.outcome
        item.extra["enquiry_id"] = outcome.enquiry_id
        if item.kind == "outcome":
            said = f"Said by {outcome.get_expressed_by_display().lower()}"
            item.extra.update(
                title="Desired outcome recorded", line=f"{_quoted(item.extra['words'])} ({said})"
            )
            item.extra["by"] = outcome.created_by
        elif item.kind == "outcome_revision":
            item.extra.update(title="Desired outcome changed", line=f"Now: {_quoted(item.extra['words'])}")
            item.extra["by"] = item.obj.revised_by
        elif item.kind == "outcome_withdrawn":
            item.extra.update(
                title="Desired outcome withdrawn",
                line=f"{_quoted(outcome.words)}. Reason: {outcome.withdrawn_reason}",
            )
        else:
            line = _quoted(outcome.words)
            if outcome.person_comment:
                line += f". In their words: {_quoted(outcome.person_comment)}"
            item.extra.update(title=f"Outcome: {outcome.get_achievement_display()}", line=line)
            item.extra["by"] = outcome.achievement_recorded_by or ""
    return items


QUOTATION_MARKS = '"“”'


def _quoted(words: str) -> str:
    """The person's words in quotation marks, once: words typed with their own marks keep only ours."""
    return "“" + words.strip().strip(QUOTATION_MARKS) + "”"


def _history_items(outcomes) -> list[TimelineItem]:
    outcomes = outcomes.select_related("created_by", "achievement_recorded_by").prefetch_related(
        Prefetch(
            "revisions",
            queryset=DesiredOutcomeRevision.objects.select_related("revised_by").order_by("pk"),
        )
    )
    items = []
    group = frozenset({"outcomes"})
    for outcome in outcomes:
        revisions = list(outcome.revisions.all())
        first_words = revisions[0].previous_words if revisions else outcome.words
        items.append(TimelineItem("outcome", outcome.created_at, outcome, group, {"words": first_words}))
        for index, revision in enumerate(revisions):
            revision.outcome = outcome
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
TIMELINE_SOURCES = [
    TimelineSource(id="outcomes.history", items=outcome_timeline_items, person_items=outcome_chronology_items)
]
