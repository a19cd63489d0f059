"""Reads for retention, for unit leads (`MANAGE_RETENTION`); anyone else gets "Page not found", as for a
record out of their scope. Whether a record is still open, when it last closed and when it is due for review
are decided here once, for the nightly schedule, the person's page and the services' checks alike."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from enquiries.models import Enquiry, Person, SafeguardingConcern
from enquiries.selectors import person_get_for_user
from msp_cases import access
from msp_cases.accounts.roles import MANAGE_RETENTION

from .models import Disposal, LegalHold, RetentionSchedule


def may_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MANAGE_RETENTION))


def require_manager(user) -> None:
    if not may_manage(user):
        raise Http404


def person_for_retention(*, user, pk) -> Person:
    require_manager(user)
    return person_get_for_user(user=user, pk=pk)


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_date(last_closed_at: datetime.datetime | None) -> datetime.date | None:
    if last_closed_at is None:
        return None
    return years_after(timezone.localdate(last_closed_at), settings.RETENTION_YEARS)


def with_closure(people: QuerySet) -> QuerySet:
    """People annotated with `is_open` (a concern awaiting its decision, a concern decided for an enquiry
    that has not opened, or an enquiry not closed) and `last_enquiry_closed_at` / `last_concern_decided_at`.
    A concern that ended without an enquiry ends when it was decided; one that led to an enquiry, when the
    enquiry closed (always later)."""
    concerns = SafeguardingConcern.objects.filter(person=OuterRef("pk"))
    enquiries = Enquiry.objects.filter(person=OuterRef("pk"))
    awaiting_enquiry = concerns.filter(
        decision__in=[SafeguardingConcern.Decision.SECTION_42, SafeguardingConcern.Decision.OTHER_ENQUIRY]
    ).exclude(Exists(Enquiry.objects.filter(concern=OuterRef("pk"))))
    return people.annotate(
        open_concern=Exists(concerns.filter(decision=SafeguardingConcern.Decision.PENDING)),
        awaiting_enquiry=Exists(awaiting_enquiry),
        open_enquiry=Exists(enquiries.exclude(status=Enquiry.Status.CLOSED)),
        last_enquiry_closed_at=Subquery(
            enquiries.filter(status=Enquiry.Status.CLOSED, closed_at__isnull=False)
            .order_by("-closed_at")
            .values("closed_at")[:1]
        ),
        last_concern_decided_at=Subquery(
            concerns.exclude(decision=SafeguardingConcern.Decision.PENDING)
            .filter(decided_at__isnull=False)
            .order_by("-decided_at")
            .values("decided_at")[:1]
        ),
    )


@dataclass(frozen=True)
class Closure:
    is_open: bool
    last_closed_at: datetime.datetime | None

    @property
    def review_due_on(self) -> datetime.date | None:
        return None if self.is_open else review_date(self.last_closed_at)

    def is_due(self, today: datetime.date) -> bool:
        due = self.review_due_on
        return due is not None and due <= today


def closure_from(row) -> Closure:
    """From a person annotated by `with_closure` (an object or a values() dict)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    is_open = bool(get("open_concern") or get("awaiting_enquiry") or get("open_enquiry"))
    times = [t for t in (get("last_enquiry_closed_at"), get("last_concern_decided_at")) if t is not None]
    return Closure(is_open=is_open, last_closed_at=max(times) if times else None)


def closure_of(person: Person) -> Closure:
    """The person's record now (a handful of index lookups), not as the nightly schedule last saw it."""
    return closure_from(with_closure(Person.objects.filter(pk=person.pk)).get())


def active_hold(person: Person) -> LegalHold | None:
    return LegalHold.objects.filter(person=person, lifted_at__isnull=True).order_by("-placed_at").first()


def carried_out(person: Person) -> Disposal | None:
    return Disposal.objects.filter(person=person, status=Disposal.Status.CARRIED_OUT).first()


def pending_disposal(person: Person) -> Disposal | None:
    return Disposal.objects.filter(person=person, status__in=Disposal.PENDING).first()


def due_list(*, user, today: datetime.date) -> QuerySet:
    """The records due for review by `today`, soonest first: a range of the `retention_review_due` index,
    with the person, whether a hold is active and the disposal in progress, in one query per page."""
    require_manager(user)
    holds = LegalHold.objects.filter(person=OuterRef("person"), lifted_at__isnull=True)
    pending = Disposal.objects.filter(person=OuterRef("person"), status__in=Disposal.PENDING)
    return (
        RetentionSchedule.objects.filter(review_due_on__lte=today)
        .exclude(access.restricted_hidden_q(user, "person_id"))
        .select_related("person")
        .annotate(on_hold=Exists(holds), disposal_status=Subquery(pending.values("status")[:1]))
        .order_by("review_due_on", "person_id")
    )


def due_count(*, today: datetime.date) -> int:
    return RetentionSchedule.objects.filter(review_due_on__lte=today).count()


def person_retention(*, person: Person) -> dict:
    """What the person's retention page and panel show: their record's closure, holds (lifted ones too) and
    disposals, newest first."""
    holds = list(LegalHold.objects.filter(person=person).select_related("placed_by", "lifted_by"))
    disposals = list(
        Disposal.objects.filter(person=person).select_related("proposed_by", "approved_by", "ended_by")
    )
    return {
        "closure": closure_of(person),
        "holds": holds,
        "active_holds": [hold for hold in holds if hold.is_active],
        "disposals": disposals,
        "pending": next((d for d in disposals if d.is_pending), None),
        "carried_out": next((d for d in disposals if d.status == Disposal.Status.CARRIED_OUT), None),
    }


def disposal_get(*, user, pk) -> Disposal:
    require_manager(user)
    try:
        disposal = Disposal.objects.select_related("person", "proposed_by", "approved_by").get(pk=pk)
    except (Disposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    person_get_for_user(user=user, pk=disposal.person_id)
    return disposal


def hold_get(*, user, pk) -> LegalHold:
    require_manager(user)
    try:
        hold = LegalHold.objects.select_related("person", "placed_by").get(pk=pk)
    except (LegalHold.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    person_get_for_user(user=user, pk=hold.person_id)
    return hold
