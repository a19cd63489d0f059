"""The practitioner's caseload: per enquiry, how long it has been open, when they last spoke with the person,
the next contact agreed with them and what is overdue.

Every figure is a field the services keep or an annotation (a correlated subquery), so the page costs the
same number of queries for 3 enquiries as for 300. "Conversations" here are the entries as they now stand
(amended entries count as amended: `Enquiry.last_with_person_at` follows corrections)."""

import datetime

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Enquiry, EnquiryEvent, PlanAction, PlanActionStatus
from .core import enquiry_list

# column key -> (label, order_by field); nulls are placed last in either direction.
CASELOAD_SORTS = {
    "person": ("Person", "person__family_name"),
    "stage": ("Stage", "status_order"),
    "days_open": ("Days open", "opened_at"),
    "last_with_person": ("Last conversation with the person", "last_with_person_at"),
    "next_contact": ("Next agreed contact", "next_contact_on"),
    "overdue": ("Overdue items", "overdue_items"),
}
# "Days open" sorts longest first when ascending by date: the sort key flips so that "ascending" means fewest.
_FLIPPED = {"days_open"}
_STATUS_ORDER = {s: i for i, s in enumerate(Enquiry.Status.values)}


def caseload_enquiries(
    *,
    user,
    statuses: list[str] | None = None,
    mine_only: bool = False,
    sort: str = "",
    descending: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Enquiry]:
    """The enquiries the user may see, annotated with:

    - `open_for`: time from opening to closure (or to now, while open); `.days` is the days open;
    - `last_with_person_at` (the field, kept by the conversation services): when the latest conversation with
      the person happened (None if none yet);
    - `next_contact_on` (the field, not an annotation): the next contact agreed with the person, set from the
      latest conversation or moved with their agreement;
    - `next_contact_overdue`: that date has passed and the enquiry is open;
    - `overdue_plan_actions`: plan actions past their date and not done or no longer needed;
    - `overdue_items`: the two together (open enquiries only);
    - `returned_comment`: while an enquiry is in progress after its closure was returned, the manager's
      comments (None otherwise), so the practitioner sees them in their caseload."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue_actions = (
        PlanAction.objects.filter(enquiry=OuterRef("pk"), due_on__lt=today)
        .exclude(status__in=[PlanActionStatus.DONE, PlanActionStatus.CANCELLED])
        .order_by()
        .values("enquiry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # In progress again after a return, until a reopening starts a new chapter: the return's comments.
    last_returned = (
        EnquiryEvent.objects.filter(
            enquiry=OuterRef("pk"), kind__in=[EnquiryEvent.Kind.RETURNED, EnquiryEvent.Kind.REOPENED]
        )
        .order_by("-occurred_at", "-pk")
        .annotate(
            returned=Case(
                When(kind=EnquiryEvent.Kind.RETURNED, then=F("comment")),
                default=None,
                output_field=TextField(),
            )
        )
        .values("returned")[:1]
    )
    is_open = ~Q(status=Enquiry.Status.CLOSED)
    qs = (
        enquiry_list(user=user, statuses=statuses, mine_only=mine_only)
        .annotate(
            open_for=ExpressionWrapper(
                Coalesce("closed_at", Value(now, output_field=DateTimeField())) - F("opened_at"),
                output_field=DurationField(),
            ),
            next_contact_overdue=Case(
                When(is_open & Q(next_contact_on__lt=today), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            overdue_plan_actions=Case(
                When(
                    is_open, then=Coalesce(Subquery(overdue_actions, output_field=IntegerField()), Value(0))
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            returned_comment=Case(
                When(status=Enquiry.Status.IN_PROGRESS, then=Subquery(last_returned)),
                default=None,
                output_field=TextField(),
            ),
            status_order=Case(
                *[When(status=s, then=Value(i)) for s, i in _STATUS_ORDER.items()],
                output_field=IntegerField(),
            ),
        )
        .annotate(overdue_items=F("overdue_plan_actions") + F("next_contact_overdue"))
    )
    if sort in CASELOAD_SORTS:
        field = F(CASELOAD_SORTS[sort][1])
        desc = descending != (sort in _FLIPPED)
        qs = qs.order_by(field.desc(nulls_last=True) if desc else field.asc(nulls_last=True), "-pk")
    return qs
