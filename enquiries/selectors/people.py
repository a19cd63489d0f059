"""Reads about the person and their network: search, possible duplicates, the network grouped for the person's
page. Always scoped to the user through msp_cases.access."""

import datetime
import functools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Concat, Greatest, Lower, Replace, Reverse, Upper
from rapidfuzz import fuzz, process

from msp_cases import access
from msp_cases.accounts.models import User

from ..models import NetworkMember, Person
from ..models.choices import NetworkRelationship, PersonsViewOfContact
from ..validators import PHONE_MIN_DIGITS, normalise_nhs_number, normalise_phone

# A typed word matches a name when pg_trgm's `%>` says so: word similarity at or above
# `pg_trgm.word_similarity_threshold`, which the app's connections set to 0.5 (msp_cases/settings/base.py):
# "Margret" scores 0.55 against "Margaret Hughes", under the extension's default of 0.6. The operator, unlike
# `word_similarity(...) >= 0.5`, can use the trigram index on the names (migration 0006).


def network_member_get_for_user(*, user, pk) -> NetworkMember:
    return access.get_in_scope_or_404(NetworkMember.objects.select_related("person"), user, pk=pk)


# --- Search

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_search_date(text: str) -> datetime.date | None:
    """A date of birth typed into search: "12/3/1941" (day first, as written in England) or "1941-03-12"."""
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if parsed.year >= 1000:  # "%Y" accepts "41"; a two-digit year is too ambiguous for a birth date
            return parsed
    return None


def _uses_trigrams() -> bool:
    return connection.vendor == "postgresql"


def person_search_name():
    """Given, family and preferred names in one lower-case string: the expression the trigram index
    `person_search_name_trgm` is built on (migration 0006), so it must stay exactly this."""
    return Lower(Concat("given_name", Value(" "), "family_name", Value(" "), "preferred_name"))


def person_search_postcode():
    """The postcode without spaces, upper case: the expression of the index `person_postcode` (migration
    0015), so "ab1 9ok", "AB19OK" and "AB1 9OK" find the same people."""
    return Upper(Replace("postcode", Value(" "), Value("")))


def person_search_phone():
    """The phone's digits reversed: the expression of `person_phone_reversed` (migration 0015, PostgreSQL), so
    a number's last digits are a prefix of it."""
    return Reverse("phone_digits")


def person_search_other_names():
    """The other names, lower case: the expression of `person_other_names_trgm` (migration 0015, PostgreSQL),
    compared word by word as the names are."""
    return Lower("other_names")


_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}", re.IGNORECASE)
_PHONE_LIKE = re.compile(r"[0-9 +()\-]+")


def _identifier_search(people: QuerySet[Person], query: str, local_id: Q) -> QuerySet[Person] | None:
    """The matches for a query that is an identifier rather than a name, or None when it is not one: an NHS
    number (10 digits, with or without spaces), a phone number or its last 6 or more digits (however it is
    written: "07700 900123", "+44 7700 900123", "900123"), or a postcode with or without its space."""
    if _POSTCODE.fullmatch(query):
        compact = "".join(query.split()).upper()
        return people.alias(postcode_key=person_search_postcode()).filter(Q(postcode_key=compact) | local_id)
    if not _PHONE_LIKE.fullmatch(query) or parse_search_date(query):
        return None
    digits = normalise_phone(query)
    if len(re.sub(r"[^0-9]", "", query)) < PHONE_MIN_DIGITS:
        return None
    match = local_id | Q(phone_key__startswith=digits[::-1])
    nhs_number = normalise_nhs_number(query)
    if re.fullmatch(r"[0-9]{10}", nhs_number):
        match |= Q(nhs_number=nhs_number)
    return people.alias(phone_key=person_search_phone()).filter(match)


def person_search(*, user, query: str) -> QuerySet[Person]:
    """People the user may see who match `query`: an NHS number (with or without spaces), a local identifier,
    a phone number or its last 6 or more digits, a postcode, or words of a name or of their other names,
    optionally with a date of birth ("Margret Hughs 12/3/1941").

    Names are typo-tolerant: on PostgreSQL by pg_trgm word similarity against given, family and preferred
    names together (and, each word, against the other names), in one query however many match; elsewhere
    (SQLite, the embedded default) by RapidFuzz over a bounded set of candidates (`_fuzzy_candidates`), then
    one query for the matches, best first."""
    people = access.scoped(Person.objects.all(), user)
    query = (query or "").strip()
    if not query:
        return people.none()

    local_id = Q(local_identifier__iexact=query)
    by_identifier = _identifier_search(people, query, local_id)
    if by_identifier is not None:
        return by_identifier

    dates, words = [], []
    for token in query.split():
        parsed = parse_search_date(token)
        if parsed:
            dates.append(parsed)
        else:
            words.append(token)

    match = Q()
    for date in dates:
        match &= Q(date_of_birth=date)
    if _uses_trigrams() and words:
        # Aliases, not annotations: only the score is selected, so each word's similarity is worked out once
        # per match (every match is scored to find the best, 20,000 of them for a common surname nationally).
        people = people.alias(search_name=person_search_name(), other_names_key=person_search_other_names())
        score = Value(0.0, output_field=FloatField())
        for word in words:
            word = word.lower()
            match &= (
                Q(search_name__trigram_word_similar=word)
                | Q(search_name__contains=word)
                | Q(other_names_key__trigram_word_similar=word)
                | Q(other_names_key__contains=word)
            )
            # Other names are scored only where there are some: nearly everyone has none, and scoring an
            # empty text for every match of a common name nationally cost a fifth of the search.
            score = score + Case(
                When(other_names="", then=TrigramWordSimilarity(word, "search_name")),
                default=Greatest(
                    TrigramWordSimilarity(word, "search_name"), TrigramWordSimilarity(word, "other_names_key")
                ),
                output_field=FloatField(),
            )
        return (
            people.filter(match | local_id).annotate(score=score).order_by("-score", *Person._meta.ordering)
        )
    if not words:
        return people.filter(match | local_id)
    candidates = _fuzzy_candidates(people, match, local_id, words)
    exact_ids = [row[0] for row in candidates if row[4].lower() == query.lower()]  # the local identifier
    ranked = exact_ids + [
        pk for pk in _fuzzy_name_matches([_names_of(row) for row in candidates], words) if pk not in exact_ids
    ]
    if not ranked:
        return people.none()
    best_first = Case(
        *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)), output_field=IntegerField()
    )
    return people.filter(pk__in=ranked).order_by(best_first)


# Without pg_trgm (SQLite): the people who share with every typed word at least one of the pieces pg_trgm
# compares (three letters in a row, or the first or last two letters of a name) are read, at most this many,
# those sharing most first, then scored by RapidFuzz. The embedded default is a demo or small council's
# database; PostgreSQL is the production database and does not come here.
FUZZY_CANDIDATE_LIMIT = 2000
# RapidFuzz's `fuzz.ratio` (0-100) of a typed word against a name at or above which they are taken to be the
# same name mistyped: "Margret"/"Margaret" 93, "Hughs"/"Hughes" 91, "Jon"/"John" 86, "Smyth"/"Smith" 80;
# "Tom"/"Tim" 67 is not.
FUZZY_NAME_CUTOFF = 80


def _word_pieces(word: str, names: str = "search_name") -> list[Q]:
    """Where the typed word may share a piece with the names: each run of three letters, and its first two
    letters at the start of a name and its last two at the end of one (pg_trgm pads words the same way)."""
    word = word.lower()
    pieces = [Q(**{f"{names}__contains": word[i : i + 3]}) for i in range(max(len(word) - 2, 1))]
    pieces.append(Q(**{f"{names}__startswith": word[:2]}) | Q(**{f"{names}__contains": f" {word[:2]}"}))
    pieces.append(Q(**{f"{names}__contains": f"{word[-2:]} "}) | Q(**{f"{names}__endswith": word[-2:]}))
    return pieces


def _names_of(row: tuple) -> tuple:
    """(pk, given, family, preferred name, each other name) of a candidate row: other names are one a line."""
    pk, given, family, preferred, _identifier, other_names = row
    return (
        pk,
        given,
        family,
        preferred,
        *(name.strip() for name in other_names.splitlines() if name.strip()),
    )


def _fuzzy_candidates(people: QuerySet[Person], match: Q, local_id: Q, words: list[str]) -> list[tuple]:
    """(pk, given, family, preferred name, local identifier, other names) of the bounded candidate set, in one
    query: those sharing most pieces with the typed words first, so a database over the bound keeps its
    likeliest. A word may match the names or the other names."""
    shared = []
    for word in words:
        pieces = _word_pieces(word) + _word_pieces(word, "other_names_key")
        match &= functools.reduce(operator.or_, pieces)
        shared += [Case(When(piece, then=Value(1)), default=Value(0)) for piece in pieces]
    return list(
        people.alias(search_name=person_search_name(), other_names_key=person_search_other_names())
        .filter(match | local_id)
        .alias(shared=_sum_of(shared))
        .order_by("-shared", *Person._meta.ordering)
        .values_list("pk", "given_name", "family_name", "preferred_name", "local_identifier", "other_names")[
            :FUZZY_CANDIDATE_LIMIT
        ]
    )


def _sum_of(terms: list) -> CombinedExpression:
    """a + b + … nested as a balanced tree: a 100-character search gives up to 150 terms, and nested one
    inside the next they overflow SQLite's parser stack."""
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return _sum_of(terms[:middle]) + _sum_of(terms[middle:])


def _name_parts(*names: str) -> set[str]:
    """Each name whole and each of its words, lower case: "Smith-Jones" gives smith-jones, smith and jones."""
    parts = set()
    for name in names:
        name = name.lower()
        parts.add(name)
        parts.update(re.split(r"[\s-]+", name))
    parts.discard("")
    return parts


def _fuzzy_name_matches(candidates: Iterable[tuple], words: list[str]) -> list[int]:
    """The pks of the candidates (pk, given, family, preferred name, any other names) whose names match every
    typed word, best first (ties keep the candidates' order). A word matches when it appears in a name ("Hugh"
    in Hughes, as before) or is a close spelling of one of the names' words by RapidFuzz's `fuzz.ratio`; the
    whole of a name scores most, then a close spelling, then a part of a name."""
    typed = [word.lower() for word in words]
    scored = []
    for pk, *names in candidates:
        lowered = [name.lower() for name in names]
        parts = _name_parts(*names)
        total = 0.0
        for word in typed:
            best = process.extractOne(word, parts, scorer=fuzz.ratio)
            score = best[1] if best else 0.0
            if any(word in name for name in lowered):  # part of a name: "Marg" in Margaret
                score = max(score, FUZZY_NAME_CUTOFF)
            if score < FUZZY_NAME_CUTOFF:
                break
            total += score
        else:
            scored.append((total, pk))
    scored.sort(key=lambda row: -row[0])  # stable: equal scores stay in name order
    return [pk for _, pk in scored]


def local_identifier_in_use(value: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another person has this local identifier, whatever its case (it names one person: the
    constraint `person_local_identifier_unique`). Over every team's records, as the constraint is."""
    same = Person.objects.filter(local_identifier__iexact=value.strip())
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


# --- Possible duplicates


@dataclass
class PossibleDuplicates:
    """Matches for a new person. `visible` are people the user may open; `elsewhere` says only that some
    match is recorded where the user cannot see it (another team, a restricted record) — never who."""

    visible: list[Person] = field(default_factory=list)
    elsewhere: bool = False

    def __bool__(self) -> bool:
        return bool(self.visible) or self.elsewhere


def person_possible_duplicates(
    *,
    user,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None,
    nhs_number: str = "",
    exclude_pk: int | None = None,
) -> PossibleDuplicates:
    """People who may be the same adult: the same NHS number, or the same name and date of birth. The check
    runs over every team's records (a duplicate in another team matters most) but names only those the user
    may see. A restricted person the user may not see is left out altogether: "may already be recorded" would
    tell any colleague that, say, a member of staff has a safeguarding record."""
    same = Q(pk__in=[])
    if nhs_number:
        same |= Q(nhs_number=nhs_number)
    if given_name and family_name and date_of_birth:
        same |= Q(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
        )
    matches = Person.objects.filter(same).exclude(access.restricted_hidden_q(user, "pk"))
    if exclude_pk is not None:
        matches = matches.exclude(pk=exclude_pk)
    matches = matches[:20]
    match_ids = [p.pk for p in matches]
    if not match_ids:
        return PossibleDuplicates()
    visible = list(access.scoped(Person.objects.filter(pk__in=match_ids), user))
    return PossibleDuplicates(visible=visible, elsewhere=len(visible) < len(match_ids))


# --- The network


@dataclass
class NetworkGroup:
    label: str
    members: list[NetworkMember]


@dataclass
class PersonNetwork:
    groups: list[NetworkGroup]
    inactive: list[NetworkMember]
    not_told: list[NetworkMember]  # "Does not want them to know": a safety matter before any contact

    def __bool__(self) -> bool:
        return bool(self.groups or self.inactive)


def person_network(*, user, person: Person) -> PersonNetwork:
    """The person's network in the order of the relationship list (representative, family, friend, carer,
    advocates, professionals), with those no longer involved set apart. One query."""
    members = list(access.scoped(NetworkMember.objects.filter(person=person), user).order_by("name", "pk"))
    active = [m for m in members if m.is_active]
    groups = []
    for value, label in NetworkRelationship.choices:
        in_group = [m for m in active if m.relationship == value]
        if in_group:
            groups.append(NetworkGroup(label=label, members=in_group))
    return PersonNetwork(
        groups=groups,
        inactive=[m for m in members if not m.is_active],
        not_told=[m for m in active if m.persons_view == PersonsViewOfContact.NOT_TOLD],
    )


# --- Who may be named on a restricted record


def restrictable_users(*, user, person: Person | None = None) -> QuerySet[User]:
    """Staff who can be named on a restricted record: active members of the editor's teams, and anyone
    already named. Unit leads see every restricted record anyway, so they need not be named."""
    from msp_cases.accounts.models import Team

    teams = Team.objects.filter(members=user).values("pk")
    named = Q(pk__in=person.restricted_to.values("pk")) if person and person.pk else Q(pk__in=[])
    return (
        User.objects.people()
        .filter(Q(teams__in=teams, is_active=True) | named)
        .distinct()
        .order_by("full_name", "pk")
    )
