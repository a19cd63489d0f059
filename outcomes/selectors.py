"""Reading desired outcomes, scoped through the enquiry the user may see (msp_cases.access)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from enquiries.models import Enquiry
from msp_cases import access
from msp_cases.accounts.roles import EDIT_CASE

from .models import DesiredOutcome, DesiredOutcomeRevision
from .services import ACHIEVEMENT_STAGES


def outcomes_for_user(user) -> QuerySet[DesiredOutcome]:
    return DesiredOutcome.objects.filter(enquiry__in=access.scoped(Enquiry.objects.all(), user))


def outcome_get_for_user(*, user, pk) -> DesiredOutcome:
    """One outcome on an enquiry the user may see, or 404 (out of scope and absent look the same)."""
    try:
        return (
            outcomes_for_user(user)
            .select_related("enquiry__person", "conversation", "created_by", "achievement_recorded_by")
            .prefetch_related(
                Prefetch("revisions", queryset=DesiredOutcomeRevision.objects.select_related("revised_by"))
            )
            .get(pk=pk)
        )
    except (DesiredOutcome.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def enquiry_panel_context(*, user, enquiry: Enquiry) -> dict:
    """The "What I want to happen" section of the enquiry page: active outcomes in the person's words, with
    the latest earlier wording of each, and edit links for those who may change the case. Fixed queries:
    outcomes, their revisions, and the edit permission."""
    outcomes = list(
        enquiry.desired_outcomes.prefetch_related(
            Prefetch("revisions", queryset=DesiredOutcomeRevision.objects.order_by("-revised_at", "-pk"))
        )
    )
    active = [o for o in outcomes if o.is_active]
    for outcome in active:
        revisions = list(outcome.revisions.all())
        outcome.latest_revision = revisions[0] if revisions else None
    can_edit = enquiry.status != Enquiry.Status.CLOSED and user.has_perm(EDIT_CASE, enquiry)
    return {
        "outcomes_enquiry": enquiry,
        "outcomes_active": active,
        "outcomes_withdrawn_count": len(outcomes) - len(active),
        "outcomes_can_edit": can_edit,
        "outcomes_can_record_achievement": can_edit and enquiry.status in ACHIEVEMENT_STAGES,
    }
