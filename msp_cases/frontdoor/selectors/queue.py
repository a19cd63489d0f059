"""Reads for the front door: the queue of referrals waiting to be screened, one referral, the people a
referral's adult may be, and the concerns already recorded about them.

Only front-door staff (`SCREEN_REFERRAL`) read any of it; anyone else gets nothing, and a single referral
they ask for is "Page not found". Matching goes through the one access rule (`access.person_match_scope`):
every team's people, restricted ones only where the user is entitled to them, and only the fields that tell
one adult from another."""

import datetime
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from enquiries import timescales
from enquiries.models import CareProvider, Person, SafeguardingConcern
from enquiries.selectors.people import parse_search_date, person_search_name
from enquiries.selectors.repeats import repeat_concerns as concerns_naming
from enquiries.validators import normalise_nhs_number
from msp_cases import access
from msp_cases.accounts.roles import SCREEN_REFERRAL

from ..models import Referral

# How many possible matches the screening page lists: enough for a common name, few enough to read.
MATCH_LIMIT = 20
# "Repeat concerns": about the same adult within the last 12 months.
REPEAT_WINDOW = datetime.timedelta(days=365)
# What a match shows of a person, and nothing else (see access.person_match_scope).
MATCH_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "description",  # how they are named while their name is not known (Person.display_name)
    "date_of_birth",
    "address",
    "postcode",
    "nhs_number",
    "is_restricted",
)


def may_screen(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(SCREEN_REFERRAL))


def referrals_waiting(*, user) -> QuerySet[Referral]:
    """Referrals waiting to be screened, oldest first (the most urgent at the top): one query for a page of
    them, served in order by the partial index on waiting referrals."""
    if not may_screen(user):
        return Referral.objects.none()
    return Referral.objects.filter(state=Referral.State.WAITING).order_by("submitted_at", "pk")


def decision_due(referral: Referral) -> datetime.datetime:
    """A referral is a concern not yet recorded: the decision on it is due as a concern's would be, counted
    in working days from when it was submitted (enquiries/timescales.py)."""
    return timescales.add_working_days(referral.submitted_at, timescales.decision_working_days())


def with_decision_due(referrals, now: datetime.datetime | None = None) -> list[Referral]:
    """The referrals, each with `decision_due` and `decision_overdue` set. No queries."""
    now = now or timezone.now()
    rows = list(referrals)
    for referral in rows:
        referral.decision_due = decision_due(referral)
        referral.decision_overdue = referral.state == Referral.State.WAITING and now > referral.decision_due
    return rows


def referral_get_for_user(*, user, pk) -> Referral:
    """One referral, for front-door staff; "Page not found" for anyone else, as for a referral that does not
    exist."""
    if not may_screen(user):
        raise Http404
    try:
        return Referral.objects.select_related("person", "routed_to", "screened_by").get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- Matching the adult


@dataclass
class MatchQuery:
    """What to match on: words of a name, dates of birth, an NHS number."""

    words: list[str] = field(default_factory=list)
    dates: list[datetime.date] = field(default_factory=list)
    nhs_number: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.dates or self.nhs_number)


def match_query_from_text(text: str) -> MatchQuery:
    """What a screener typed to search again: "Margret Hughs 12/3/1941", or an NHS number."""
    text = (text or "").strip()
    compact = normalise_nhs_number(text)
    if re.fullmatch(r"[0-9]{10}", compact):
        return MatchQuery(nhs_number=compact)
    query = MatchQuery()
    for token in text.split():
        parsed = parse_search_date(token)
        if parsed:
            query.dates.append(parsed)
        elif len(token) > 1:
            query.words.append(token)
    return query


def match_query_for(referral: Referral) -> MatchQuery:
    """What the referral says about the adult: their name (when the referrer knew it) and date of birth."""
    words = [word for word in (referral.adult_name or "").split() if len(word) > 1]
    dates = [referral.adult_date_of_birth] if referral.adult_date_of_birth else []
    return MatchQuery(words=words[:5], dates=dates)


def _word_q(word: str) -> Q:
    """A word of a name: in the names, or close to one of them (typo tolerant on PostgreSQL, as person
    search: the trigram index `person_search_name_trgm` serves both)."""
    word = word.lower()
    found = Q(search_name__contains=word)
    if connection.vendor == "postgresql":
        found |= Q(search_name__trigram_word_similar=word)
    return found


def person_matches(*, user, query: MatchQuery) -> list[Person]:
    """People of every team who may be the referral's adult, best first: the same NHS number; every word of
    the name (typo tolerant, as person search: "Margret Hughs" finds Margaret Hughes); or the same date of
    birth and the last word of the name (the family name, as people write it), which finds "Peggy Hughes"
    born that day. Each match carries `match_score` (how much agrees: the NHS number counts most, then the
    date of birth, then each word). A date of birth alone matches nobody: it says too little, and no index
    serves it. One query, each branch served by an index; only the fields a match shows are read."""
    if not (query.words or query.nhs_number):
        return []
    people = Person.objects.filter(access.person_match_scope(user)).only(*MATCH_FIELDS)
    match = Q(pk__in=[])
    score = Value(0.0, output_field=FloatField())
    if query.nhs_number:
        match |= Q(nhs_number=query.nhs_number)
        score = score + Case(When(nhs_number=query.nhs_number, then=Value(3.0)), default=Value(0.0))
    if query.words:
        people = people.annotate(search_name=person_search_name())
        every_word = Q()
        for word in query.words:
            every_word &= _word_q(word)
            score = score + Case(
                When(search_name__contains=word.lower(), then=Value(1.0)), default=Value(0.0)
            )
        match |= every_word
        if query.dates:
            match |= Q(date_of_birth__in=query.dates) & _word_q(query.words[-1])
    if query.dates:
        score = score + Case(When(date_of_birth__in=query.dates, then=Value(2.0)), default=Value(0.0))
    return list(
        people.filter(match)
        .annotate(match_score=score)
        .order_by(-F("match_score"), "family_name", "given_name", "pk")[:MATCH_LIMIT]
    )


@dataclass(frozen=True)
class RepeatConcern:
    """A concern already recorded about a matched adult: when it was received and which team has it —
    nothing of what it says."""

    received_at: datetime.datetime
    team: str


def repeat_concerns(
    *, user, person_ids: list[int], now: datetime.datetime | None = None
) -> dict[int, list[RepeatConcern]]:
    """Concerns about these people received within the last 12 months, newest first, by person: the front
    door sees that an adult keeps being referred, and to which teams, without reading any case. One query
    for any number of people; only people the user may match (the ids come from `person_matches`)."""
    if not may_screen(user) or not person_ids:
        return {}
    since = (now or timezone.now()) - REPEAT_WINDOW
    rows = (
        SafeguardingConcern.objects.filter(person_id__in=person_ids, received_at__gte=since)
        .filter(Q(person__in=Person.objects.filter(access.person_match_scope(user))))
        .order_by("-received_at", "-pk")
        .values_list("person_id", "received_at", "team__name")
    )
    found: dict[int, list[RepeatConcern]] = {}
    for person_id, received_at, team in rows:
        found.setdefault(person_id, []).append(RepeatConcern(received_at=received_at, team=team))
    return found


@dataclass
class PatternRepeats:
    """Concerns of the last 12 months that name the same person as alleged to have caused harm, or the same
    care provider, as the referral does: listed by date, team and type of risk only."""

    alleged_person: str = ""
    naming_person: list[SafeguardingConcern] = field(default_factory=list)
    providers: list[CareProvider] = field(default_factory=list)
    about_provider: list[SafeguardingConcern] = field(default_factory=list)

    def person_ids(self) -> list[int]:
        return [c.person_id for c in (*self.naming_person, *self.about_provider)]


def pattern_repeats(*, user, referral: Referral) -> PatternRepeats:
    """The referrer's words about who caused the harm, and where it happened, matched to what concerns
    record: a person alleged to have caused harm by the same name (any case and spacing), and a care
    provider whose name is what the referrer wrote. Free text, so only an exact name matches: a hint for the
    screener, never a conclusion. A few queries, whatever the number of concerns."""
    if not may_screen(user):
        return PatternRepeats()
    named = " ".join((referral.alleged_cause or "").split())
    places = {
        " ".join(text.split()).lower() for text in (referral.alleged_cause, referral.where_happened) if text
    }
    providers = (
        list(
            CareProvider.objects.annotate(name_lower=Lower("name"))
            .filter(name_lower__in=places)
            .order_by("name")
        )
        if places
        else []
    )
    found = PatternRepeats(alleged_person=named, providers=providers)
    if named:
        found.naming_person = list(concerns_naming(user=user, alleged_person_name=named))
    for provider in providers:
        found.about_provider += list(concerns_naming(user=user, provider=provider))
    return found
