"""Repeat concerns: others in the last 12 months about the same adult, naming the same person as alleged to
have caused harm, or naming the same care provider. A pattern matters as much as any one concern.

The rows are listed by date, team and type of risk only, to whoever may see them listed
(`access.care_provider_concern_scope`: the user's own concerns; every team's for the front door), each with
`can_open` from the access rule. One query for the concerns, one for their types of risk."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from ..models import CareProvider, Person, SafeguardingConcern
from .providers import listed_concerns

REPEAT_WINDOW = datetime.timedelta(days=365)  # "in the last 12 months"


def repeat_concerns(
    *,
    user,
    person: Person | None = None,
    alleged_person_name: str | None = None,
    provider: CareProvider | None = None,
    since: datetime.datetime | None = None,
    exclude: SafeguardingConcern | None = None,
) -> QuerySet[SafeguardingConcern]:
    """Concerns received since `since` (default: 12 months ago) about `person`, naming someone called
    `alleged_person_name` (any case and spacing), or naming `provider`: any of those given, newest first,
    those the user may see listed, `exclude` left out. Nothing when no criterion is given."""
    match = Q(pk__in=[])
    if person is not None:
        match |= Q(person=person)
    name = " ".join((alleged_person_name or "").split()).lower()
    if name:
        # The blank-name condition repeated, so PostgreSQL may use the partial index on the lower-cased names.
        match |= Q(alleged_name_lower=name) & ~Q(alleged_person_name="")
    if provider is not None:
        match |= Q(alleged_provider=provider)
    since = since if since is not None else timezone.now() - REPEAT_WINDOW
    qs = listed_concerns(user=user).annotate(alleged_name_lower=Lower("alleged_person_name"))
    qs = qs.filter(match, received_at__gte=since)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


@dataclass
class ConcernRepeats:
    """The other concerns of the last 12 months, by what they share with this one (a concern may be in
    more than one list)."""

    about_person: list[SafeguardingConcern] = field(default_factory=list)
    naming_person: list[SafeguardingConcern] = field(default_factory=list)
    about_provider: list[SafeguardingConcern] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.about_person or self.naming_person or self.about_provider)

    @property
    def shown(self) -> list[SafeguardingConcern]:
        rows = {c.pk: c for c in (*self.about_person, *self.naming_person, *self.about_provider)}
        return list(rows.values())


def concern_repeats(
    *, user, concern: SafeguardingConcern, now: datetime.datetime | None = None
) -> ConcernRepeats:
    """The repeats of `concern` for its page: the 12 months before now, whatever the concern's own date."""
    since = (now or timezone.now()) - REPEAT_WINDOW
    name = concern.alleged_person_name if concern.alleged_harm_by == "person" else ""
    provider = concern.alleged_provider if concern.alleged_harm_by == "care_provider" else None
    rows = list(
        repeat_concerns(
            user=user,
            person=concern.person,
            alleged_person_name=name,
            provider=provider,
            since=since,
            exclude=concern,
        )
    )
    key = " ".join(name.split()).lower()
    return ConcernRepeats(
        about_person=[c for c in rows if c.person_id == concern.person_id],
        naming_person=[c for c in rows if key and c.alleged_name_lower == key],
        about_provider=[c for c in rows if provider is not None and c.alleged_provider_id == provider.pk],
    )
