"""Reads for the enquiry page's drift panel: open reminders, manager reviews and dates moved with the person.
Three queries whatever the number of rows (the enquiry is already in the user's scope)."""

from dataclasses import dataclass

from ..models import AgreedDateChange, Enquiry, ManagerReview
from ..models.drift import Reminder

RECENT_REVIEWS = 5


@dataclass
class DriftPanel:
    reminders: list[Reminder]
    reviews: list[ManagerReview]  # newest first, at most RECENT_REVIEWS
    review_count: int
    date_changes: list[AgreedDateChange]  # oldest first: every move


def drift_panel(*, enquiry: Enquiry) -> DriftPanel:
    """`enquiry` must come from `enquiry_get_for_user` (in the user's scope)."""
    reminders = list(
        Reminder.objects.filter(enquiry_id=enquiry.pk, status=Reminder.Status.OPEN)
        .select_related("recipient")
        .order_by("due_on", "pk")
    )
    reviews = list(
        ManagerReview.objects.filter(enquiry=enquiry).select_related("by").order_by("-reviewed_at", "-pk")
    )
    changes = list(
        AgreedDateChange.objects.filter(enquiry=enquiry)
        .select_related("by", "plan_action")
        .order_by("changed_at", "pk")
    )
    return DriftPanel(
        reminders=reminders, reviews=reviews[:RECENT_REVIEWS], review_count=len(reviews), date_changes=changes
    )
