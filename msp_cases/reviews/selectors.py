"""Reads of the register, scoped to the user through msp_cases.access (`review_scope`): the unit's pages
list and open every review; an enquiry's or person's page shows the reviews linked to it, read-only, to
whoever may see that page. Out of scope is "Page not found", as everywhere."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases import access
from msp_cases.accounts.roles import KEEP_REVIEWS

from .models import ReviewIndividual, SafeguardingAdultsReview


def may_keep_reviews(user) -> bool:
    """The register's pages (list, add, change): the safeguarding unit's. Anyone else is "Page not found"."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(KEEP_REVIEWS))


def require_keeper(user) -> None:
    if not may_keep_reviews(user):
        raise Http404


def _individuals() -> Prefetch:
    return Prefetch("individuals", queryset=ReviewIndividual.objects.select_related("person"))


def review_list(*, user) -> QuerySet[SafeguardingAdultsReview]:
    """Every review the user may see, newest referral first, with its individuals (three queries)."""
    return access.scoped(SafeguardingAdultsReview.objects.all(), user).prefetch_related(_individuals())


def review_get(*, user, pk) -> SafeguardingAdultsReview:
    return access.get_in_scope_or_404(
        SafeguardingAdultsReview.objects.select_related("recorded_by").prefetch_related(
            _individuals(),
            Prefetch("enquiries", queryset=Enquiry.objects.select_related("person", "team")),
            Prefetch("concerns", queryset=SafeguardingConcern.objects.select_related("person", "team")),
        ),
        user,
        pk=pk,
    )


def individual_get(*, review: SafeguardingAdultsReview, pk) -> ReviewIndividual:
    try:
        return review.individuals.select_related("person").get(pk=pk)
    except (ReviewIndividual.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_person_ids(*, user, person_ids) -> set[int]:
    """Of these people, those the user may see by name (one query): a restricted person stays hidden from
    unit staff who are not entitled to them, even on the unit's own register."""
    ids = [pk for pk in person_ids if pk is not None]
    if not ids:
        return set()
    return set(access.scoped(Person.objects.filter(pk__in=ids), user).values_list("pk", flat=True))


def person_for_individual(*, user, pk) -> Person | None:
    """The person a unit member links an individual to: one they may see, or None."""
    return access.scoped(Person.objects.filter(pk=pk), user).first()


def link_choices(*, user, review: SafeguardingAdultsReview) -> tuple[QuerySet, QuerySet]:
    """The enquiries and concerns a review may be linked to: those of its individuals' people, and those it
    is linked to already, as the user may see them."""
    people = [i.person_id for i in review.individuals.all() if i.person_id]
    enquiries = access.scoped(
        Enquiry.objects.filter(Q(person_id__in=people) | Q(safeguarding_adults_reviews=review)), user
    )
    concerns = access.scoped(
        SafeguardingConcern.objects.filter(Q(person_id__in=people) | Q(safeguarding_adults_reviews=review)),
        user,
    )
    return (
        enquiries.select_related("person", "team").distinct().order_by("-opened_at", "-pk"),
        concerns.select_related("person", "team").distinct().order_by("-received_at", "-pk"),
    )


@dataclass(frozen=True)
class LinkedReview:
    """A review as an enquiry's or person's page shows it: the review, and what it records about this page's
    person (None where they are not one of its individuals)."""

    review: SafeguardingAdultsReview
    individual: ReviewIndividual | None
    others: int  # how many other individuals it concerns, never named here


def reviews_linked_to(*, user, person: Person, enquiry: Enquiry | None = None) -> list[LinkedReview]:
    """The reviews about this person (as one of the individuals) or linked to one of their enquiries or
    concerns (or, on an enquiry's page, to that enquiry), that the user may see: two queries."""
    about = Q(individuals__person=person) | Q(enquiries__person=person) | Q(concerns__person=person)
    if enquiry is not None:
        about |= Q(enquiries=enquiry)
    ids = SafeguardingAdultsReview.objects.filter(about).values("pk")
    reviews = access.scoped(SafeguardingAdultsReview.objects.filter(pk__in=ids), user).prefetch_related(
        Prefetch(
            "individuals",
            queryset=ReviewIndividual.objects.only("pk", "review_id", "person_id", "serious_harm", "died"),
        )
    )
    linked = []
    for review in reviews:
        individuals = list(review.individuals.all())
        mine = next((i for i in individuals if i.person_id == person.pk), None)
        linked.append(LinkedReview(review, mine, len(individuals) - (1 if mine else 0)))
    return linked
