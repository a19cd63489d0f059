import datetime

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from msp_cases import access

from .models import AccessEvent

# What is recorded when the service-wide Record of access names people: its own reads, which the page
# leaves out unless asked (each look at the page would otherwise fill the next look with itself).
NAMED_IN_THE_RECORD = "Named in the Record of access"


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


def _person_model():
    # The person model through the field, so this layer need not import the enquiries app.
    return AccessEvent._meta.get_field("person").related_model


def people_named(*, user, name: str) -> QuerySet:
    """People the user may see whose given, family or preferred name contains every word typed, whatever
    the case. The names in one lower-case string: the expression the trigram index on people's names is
    built on (enquiries migration 0006), which answers `contains` on PostgreSQL."""
    people = access.scoped(_person_model().objects.all(), user).alias(
        search_name=Lower(Concat("given_name", Value(" "), "family_name", Value(" "), "preferred_name"))
    )
    for word in name.lower().split():
        people = people.filter(search_name__contains=word)
    return people


def person_for_filter(*, user, pk: int):
    """The person a filter names, or 404 if the user may not see them (as their own page would answer)."""
    return access.get_in_scope_or_404(_person_model().objects.all(), user, pk=pk)


def access_events_filtered(
    *,
    user,
    person=None,
    name: str = "",
    who: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    include_own: bool = False,
) -> QuerySet[AccessEvent]:
    """The Record of access narrowed by the filter: one person (already known to be in the user's scope), or
    the people the user may see whose name matches; a member of staff by name or email; the days from and to
    (both included, in the service's time zone). Newest first."""
    events = access_events_recent(user=user)
    if person is not None:
        events = events.filter(person=person)
    elif name:
        events = events.filter(person__in=people_named(user=user, name=name).values("pk"))
    if who:
        events = events.filter(Q(user__full_name__icontains=who) | Q(user__email__icontains=who))
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if not include_own:
        events = events.exclude(detail=NAMED_IN_THE_RECORD)
    return events


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def people_shown(*, user, events) -> set[int]:
    """Of the people a page of events is about, the ids of those the user may see: one query for the page
    (none when no event names a person). Anyone else is "a record you may not see"."""
    ids = {event.person_id for event in events if event.person_id is not None}
    if not ids:
        return set()
    return set(access.scoped(_person_model().objects.filter(pk__in=ids), user).values_list("pk", flat=True))
