"""Reads of people, concerns and enquiries, always scoped to the user (msp_cases.access)."""

from django.db.models import Count, Q, QuerySet

from msp_cases import access

from ..models import Enquiry, Person, SafeguardingConcern


def person_get_for_user(*, user, pk) -> Person:
    return access.get_in_scope_or_404(Person.objects.all(), user, pk=pk)


def concern_get_for_user(*, user, pk) -> SafeguardingConcern:
    qs = SafeguardingConcern.objects.select_related("person", "team", "allocated_to", "alleged_provider")
    return access.get_in_scope_or_404(qs, user, pk=pk)


def enquiry_get_for_user(*, user, pk) -> Enquiry:
    qs = Enquiry.objects.select_related(
        "person", "team", "lead_practitioner", "concern", "concern__alleged_provider"
    )
    return access.get_in_scope_or_404(qs, user, pk=pk)


def enquiry_list(*, user, statuses: list[str] | None = None, mine_only: bool = False) -> QuerySet[Enquiry]:
    qs = access.scoped(Enquiry.objects.select_related("person", "team", "lead_practitioner"), user)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if mine_only:
        qs = qs.filter(lead_practitioner=user)
    return qs


def concern_list(*, user, pending_only: bool = False) -> QuerySet[SafeguardingConcern]:
    qs = access.scoped(SafeguardingConcern.objects.select_related("person", "team", "allocated_to"), user)
    if pending_only:
        qs = qs.filter(decision=SafeguardingConcern.Decision.PENDING)
    return qs


def person_enquiries(*, user, person: Person) -> QuerySet[Enquiry]:
    return enquiry_list(user=user).filter(person=person)


def person_concerns(*, user, person: Person) -> QuerySet[SafeguardingConcern]:
    return concern_list(user=user).filter(person=person)


def caseload_counts(*, user) -> dict[str, int]:
    """Headline figures for the caseload page, in one query."""
    open_statuses = [s for s in Enquiry.Status.values if s != Enquiry.Status.CLOSED]
    return enquiry_list(user=user).aggregate(
        open=Count("pk", filter=Q(status__in=open_statuses)),
        proposed_for_closure=Count("pk", filter=Q(status=Enquiry.Status.PROPOSED_FOR_CLOSURE)),
        mine=Count("pk", filter=Q(status__in=open_statuses, lead_practitioner=user)),
    )
