from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from msp_cases.core.actor import Actor

from .models import AccessEvent


def access_record(
    *,
    actor: Actor,
    obj: models.Model,
    action: str = AccessEvent.Action.VIEW,
    person=None,
    detail: str = "",
) -> AccessEvent:
    """Record that `actor.user`, from `actor.ip_address` (none for a command or task), read, exported,
    downloaded or changed `obj`.

    `person` is the adult the record is about; defaults to the object's person, or its enquiry's (plan
    actions, meetings), so "who has looked at this record" misses nothing.
    """
    if person is None:
        if obj._meta.label == "enquiries.Person":
            person = obj
        else:
            person = getattr(obj, "person", None) or getattr(getattr(obj, "enquiry", None), "person", None)
    return AccessEvent.objects.create(
        user=actor.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        person=person,
        ip_address=actor.ip_address,
        detail=detail[:200],
    )


def access_record_list(
    *,
    actor: Actor,
    person_ids: Iterable[int | None],
    detail: str,
) -> int:
    """Record that `actor.user` saw these people's names in a list (search results, a caseload, a
    dashboard): one view of each distinct person, so the person's Record of access shows every list that
    named them. Pass the ids the page already rendered, never a queryset that would run again.

    One insert, whatever the number of people (nothing when the list was empty; SQLite, which limits a
    statement's parameters, splits more than about 120), so list pages keep a fixed number of queries.
    Returns how many were recorded."""
    distinct = list(dict.fromkeys(pk for pk in person_ids if pk is not None))
    if not distinct:
        return 0
    # The person model through the field, so this bottom layer need not import the enquiries app.
    person_type = ContentType.objects.get_for_model(AccessEvent._meta.get_field("person").related_model)
    user, ip_address = actor.user, actor.ip_address
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=user,
            action=AccessEvent.Action.VIEW,
            content_type=person_type,
            object_id=pk,
            person_id=pk,
            ip_address=ip_address,
            detail=detail[:200],
        )
        for pk in distinct
    )
    return len(distinct)


def record_edit(*, actor: Actor, instance: models.Model, detail: str) -> None:
    """A versioned edit was saved (registered with msp_cases.core.concurrency from AuditConfig.ready())."""
    access_record(actor=actor, obj=instance, action=AccessEvent.Action.CHANGE, detail=detail)
