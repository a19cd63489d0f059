"""Writes about the person (the adult at risk) and their network.

Who may restrict a record: managers (`allocate_enquiry`) and anyone with the unit-lead permission
`view_restricted_records` who can also edit cases. A practitioner who thinks a record should be restricted
asks their manager; they never see the restriction fields, so cannot hide a record from their own manager by
mistake. Whoever restricts a record stays named on it, so it does not vanish from the person who made it."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from msp_cases.accounts.models import User
from msp_cases.accounts.roles import ALLOCATE, VIEW_RESTRICTED
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.exceptions import NotPermitted

from ..models import NetworkMember, Person
from ..validators import validate_date_of_birth, validate_date_of_death

RESTRICTION_FIELDS = ("is_restricted", "restricted_to")


def person_may_restrict(user) -> bool:
    return user.has_perm(VIEW_RESTRICTED) or user.has_perm(ALLOCATE)


def _check_restriction_allowed(user, fields: dict[str, Any], restricted_to) -> None:
    if (restricted_to is not None or "is_restricted" in fields) and not person_may_restrict(user):
        raise NotPermitted("You cannot restrict who sees this person's record.")


def _named_users(user, *, is_restricted: bool, restricted_to: Iterable[User] | None) -> set[User]:
    named = set(restricted_to or ())
    if is_restricted:
        named.add(user)
    return named


@transaction.atomic
def person_create(
    *, actor: Actor, fields: dict[str, Any], restricted_to: Iterable[User] | None = None
) -> Person:
    """Record a person. They stand on their own until a concern is recorded; whoever recorded them can see
    them (msp_cases.access: a person is visible to `created_by`)."""
    user = actor.user
    _check_restriction_allowed(user, fields, restricted_to)
    validate_date_of_birth(fields.get("date_of_birth"))
    validate_date_of_death(fields.get("date_of_death"), date_of_birth=fields.get("date_of_birth"))
    person = Person(**fields, created_by=user)
    person.full_clean()
    person.save()
    named = _named_users(user, is_restricted=person.is_restricted, restricted_to=restricted_to)
    if named:
        person.restricted_to.set(named)
    access_record(actor=actor, obj=person, action=AccessEvent.Action.CREATE, detail="Person recorded")
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    expected_version: int,
    fields: dict[str, Any],
    restricted_to: Iterable[User] | None = None,
) -> Person:
    """Change the person's details. Refused with ConcurrentEditError if someone else saved first."""
    user = actor.user
    _check_restriction_allowed(user, fields, restricted_to)
    validate_date_of_birth(fields.get("date_of_birth"))
    validate_date_of_death(
        fields.get("date_of_death", person.date_of_death),
        date_of_birth=fields.get("date_of_birth", person.date_of_birth),
    )
    m2m = {}
    if restricted_to is not None:
        is_restricted = fields.get("is_restricted", person.is_restricted)
        m2m["restricted_to"] = _named_users(user, is_restricted=is_restricted, restricted_to=restricted_to)
    return versioned_update(
        actor=actor,
        instance=person,
        expected_version=expected_version,
        changes=fields,
        m2m=m2m,
        detail="Person's details changed",
    )


@transaction.atomic
def network_member_add(*, actor: Actor, person: Person, fields: dict[str, Any]) -> NetworkMember:
    member = NetworkMember(person=person, **fields)
    member.full_clean()
    member.save()
    access_record(actor=actor, obj=member, action=AccessEvent.Action.CREATE, detail="Network member added")
    return member


@transaction.atomic
def network_member_update(
    *, actor: Actor, member: NetworkMember, expected_version: int, fields: dict[str, Any]
) -> NetworkMember:
    return versioned_update(
        actor=actor,
        instance=member,
        expected_version=expected_version,
        changes=fields,
        detail="Network member changed",
    )
