from django.db.models import QuerySet

from msp_cases import access

from .models import AccessEvent


def access_events_for_person(*, person) -> QuerySet[AccessEvent]:
    """Everything recorded about reads and exports of one adult's records, newest first.

    The caller has already checked the viewer may see this (the `enquiries.view_access_log` rule).
    """
    return AccessEvent.objects.filter(person=person).select_related("user", "content_type")


def access_events_recent(*, user) -> QuerySet[AccessEvent]:
    """The service-wide Record of access, newest first, for someone allowed to read it (the view checks the
    permission). Entries about a restricted person the user may not see are left out, by the access rule:
    who looked at a member of staff's record, and when, would tell that the record exists."""
    return (
        AccessEvent.objects.exclude(access.restricted_hidden_q(user))
        .select_related("user", "content_type", "person")
        .order_by("-occurred_at", "-pk")
    )
