"""Writes for subject access: record the request and ask the export worker for its pack, in one transaction
(the export's request is the record that the pack was produced: msp_cases.exports.services)."""

import datetime

from django.db import transaction
from django.utils import timezone

from enquiries.models import Person
from msp_cases.core.actor import Actor
from msp_cases.exports.services import export_request

from .exports import SUBJECT_ACCESS_PACK
from .models import SubjectAccessRequest, statutory_due_date


def subject_access_request_record(
    *, actor: Actor, person: Person, reference: str, received_on: datetime.date, reason: str
) -> SubjectAccessRequest:
    """Save the request and queue its pack. The person was fetched through `selectors.person_for_pack`; the
    export checks again that the actor may produce it (404 otherwise, and nothing is saved)."""
    with transaction.atomic():
        request = SubjectAccessRequest(
            person=person,
            reference=reference.strip(),
            received_on=received_on,
            due_on=statutory_due_date(received_on),
            reason=reason.strip(),
            requested_by=actor.user,
            requested_at=timezone.now(),
        )
        request.full_clean(exclude=["export"])
        request.save()
        request.export = export_request(
            actor=actor,
            kind=SUBJECT_ACCESS_PACK.key,
            params={"person": person.pk, "request": request.pk},
        )
        request.save(update_fields=["export"])
    return request
