"""Writes to the register of Safeguarding Adults Reviews, for the safeguarding unit (`KEEP_REVIEWS`). Each
runs in a transaction, validates every field at once, keeps the record's history (simple-history, with the
author's address) and records the change in the record of access. Nothing here deletes: a review not
arranged stays on the register with its decision."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.accounts.roles import KEEP_REVIEWS
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.exceptions import NotPermitted

from .models import ReviewIndividual, SafeguardingAdultsReview

REVIEW_FIELDS = (
    "name",
    "referred_on",
    "decision",
    "decided_on",
    "criteria",
    "anyone_died",
    "completed_on",
    "notes",
)
INDIVIDUAL_FIELDS = ("person", "description", "serious_harm", "died")

NOBODY_DIED = (
    "This review records that no individuals died. Change the review to say that one or more individuals "
    "died first"
)


def _require_keeper(actor: Actor) -> None:
    if not actor.user.has_perm(KEEP_REVIEWS):
        raise NotPermitted("Only safeguarding unit staff keep the register of Safeguarding Adults Reviews")


def review_viewed(*, actor: Actor, review: SafeguardingAdultsReview, detail: str) -> None:
    """The review was read: one record of access per person it is about, so each one's "who has looked at
    this record" shows it; one with no person when none of them is on the system. Reads the individuals as
    the page prefetched them."""
    people = {i.person_id: i.person for i in review.individuals.all() if i.person_id}
    for person in list(people.values()) or [None]:
        access_record(actor=actor, obj=review, person=person, detail=detail)


def review_create(*, actor: Actor, **fields) -> SafeguardingAdultsReview:
    _require_keeper(actor)
    with transaction.atomic():
        review = SafeguardingAdultsReview(
            recorded_by=actor.user, **{name: fields[name] for name in REVIEW_FIELDS}
        )
        review.full_clean()
        review.save()
        access_record(
            actor=actor,
            obj=review,
            action=AccessEvent.Action.CREATE,
            detail="Safeguarding Adults Review added",
        )
    return review


def review_update(
    *,
    actor: Actor,
    review: SafeguardingAdultsReview,
    expected_version: int,
    enquiries: Iterable[Enquiry] | None = None,
    concerns: Iterable[SafeguardingConcern] | None = None,
    **fields,
) -> SafeguardingAdultsReview:
    """Saved only if nobody else saved since `expected_version` (msp_cases.core.concurrency). A review
    whose individuals include one who died must say that one or more died."""
    _require_keeper(actor)
    changes = {name: fields[name] for name in REVIEW_FIELDS}
    if not changes["anyone_died"] and review.individuals.filter(died=True).exists():
        raise ValidationError(
            {
                "anyone_died": "One of the individuals of this review died: select ‘Yes’, or change "
                "the individual"
            }
        )
    m2m = {}
    if enquiries is not None:
        m2m["enquiries"] = list(enquiries)
    if concerns is not None:
        m2m["concerns"] = list(concerns)
    return versioned_update(
        actor=actor,
        instance=review,
        expected_version=expected_version,
        changes=changes,
        m2m=m2m,
        detail="Safeguarding Adults Review changed",
    )


def _individual_problems(review: SafeguardingAdultsReview, individual: ReviewIndividual) -> dict:
    problems: dict[str, list[str]] = {}
    if individual.died and not review.anyone_died:
        problems.setdefault("died", []).append(NOBODY_DIED)
    if individual.person_id is not None:
        again = review.individuals.filter(person_id=individual.person_id).exclude(pk=individual.pk)
        if again.exists():
            problems.setdefault("person", []).append("This person is already one of the review’s individuals")
    return problems


def individual_add(*, actor: Actor, review: SafeguardingAdultsReview, **fields) -> ReviewIndividual:
    _require_keeper(actor)
    with transaction.atomic():
        review = SafeguardingAdultsReview.objects.select_for_update().get(pk=review.pk)
        individual = ReviewIndividual(review=review, **{name: fields[name] for name in INDIVIDUAL_FIELDS})
        problems = _individual_problems(review, individual)
        try:
            individual.full_clean(exclude=["review"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.setdefault(field, []).extend(messages)
        if problems:
            raise ValidationError(problems)
        individual.save()
        access_record(
            actor=actor,
            obj=review,
            action=AccessEvent.Action.CHANGE,
            person=individual.person,
            detail="Individual added to a Safeguarding Adults Review",
        )
    return individual


def individual_update(
    *, actor: Actor, individual: ReviewIndividual, expected_version: int, **fields
) -> ReviewIndividual:
    _require_keeper(actor)
    changes = {name: fields[name] for name in INDIVIDUAL_FIELDS}
    probe = ReviewIndividual(pk=individual.pk, review=individual.review, **changes)
    problems = _individual_problems(individual.review, probe)
    if problems:
        raise ValidationError(problems)
    return versioned_update(
        actor=actor,
        instance=individual,
        expected_version=expected_version,
        changes=changes,
        detail="Individual of a Safeguarding Adults Review changed",
    )
