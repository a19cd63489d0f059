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

    `person` is the adult the record is about; defaults to `obj.person` when the object has one.
    """
    if person is None:
        person = obj if obj._meta.label == "enquiries.Person" else getattr(obj, "person", None)
    return AccessEvent.objects.create(
        user=request.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        person=person,
        ip_address=client_ip(request),
        detail=detail[:200],
    )
