from django.db.models import QuerySet

from .models import AccessEvent


def access_events_for_person(*, person) -> QuerySet[AccessEvent]:
    """Everything recorded about reads and exports of one adult's records, newest first.

    The caller has already checked the viewer may see this (the `enquiries.view_access_log` rule).
    """
    return AccessEvent.objects.filter(person=person).select_related("user", "content_type")
