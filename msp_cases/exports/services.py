"""Exports: requesting one. Writes only; reads are in selectors.py, what a worker does in rendering.py.

A request is saved first and queued after commit, so it is never lost: if the broker (Redis) is down the row
stays `queued` with no `enqueued_at`, the user is told it will be prepared when the service is back, and the
beat job `exports.requeue_unsent` (tasks.py) sends it later."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotFound

from . import registry
from .models import Export
from .tasks import export_enqueue


def export_request(*, actor: Actor, kind: str, enquiry=None, params: dict | None = None) -> Export:
    """Save a request for an export and queue its rendering after commit. Unknown kinds, a missing case and
    a case the user may not see are all "Page not found", as elsewhere."""
    spec = registry.get(kind)
    user = actor.user
    if spec is None or (spec.needs_enquiry and enquiry is None):
        raise NotFound
    if not spec.allowed(user, enquiry, params or {}):
        raise NotFound
    params = {**(params or {}), **({"enquiry": enquiry.pk} if enquiry is not None else {})}
    now = timezone.now()
    with transaction.atomic():
        export = Export(
            kind=kind,
            params=params,
            enquiry=enquiry,
            requested_by=user,
            title=spec.title,
            filename=spec.filename_for(params),
            content_type=spec.content_type,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.EXPORTS_EXPIRE_DAYS),
        )
        export.full_clean()
        export.save()
        record, person = registry.recorded_against(spec, enquiry, params, user)
        access_record(
            actor=actor,
            obj=record,
            action=AccessEvent.Action.EXPORT,
            person=person,
            detail=f"{spec.title} requested",
        )
        transaction.on_commit(lambda: export_enqueue(export_id=export.pk))
    return export
