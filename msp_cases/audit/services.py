from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from .models import AccessEvent
from .request import client_ip


def access_record(
    *,
    request: HttpRequest,
    obj: models.Model,
    action: str = AccessEvent.Action.VIEW,
    person=None,
    detail: str = "",
) -> AccessEvent:
    """Record that `request.user` read, exported, downloaded or changed `obj`.

    `person` is the adult the record is about; defaults to the object's person, or its enquiry's (plan
    actions, meetings), so "who has looked at this record" misses nothing.
    """
    if person is None:
        if obj._meta.label == "enquiries.Person":
            person = obj
        else:
            person = getattr(obj, "person", None) or getattr(getattr(obj, "enquiry", None), "person", None)
    return AccessEvent.objects.create(
        user=request.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        person=person,
        ip_address=client_ip(request),
        detail=detail[:200],
    )
