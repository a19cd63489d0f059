"""The populations the SAC return's cells count (.cells): which records, of which kind, and the time that put
each in the period; built on ..figures.populations, shared with every report."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from enquiries.models import Enquiry, Person, SafeguardingConcern
from enquiries.models.choices import OutcomesAsked
from msp_cases.reviews.models import ReviewIndividual, SafeguardingAdultsReview

from ..figures.achievement import answer_counts
from ..figures.populations import concerns_received_in, concluded_s42_in, enquiries_started_in
from ..scope import ReportScope
from .reviews import reviews_arranged_in

PERSON, CONCERN, ENQUIRY = "person", "concern", "enquiry"
REVIEW, REVIEW_INDIVIDUAL = "review", "review individual"
RECORD_MODELS: dict[str, type[Model]] = {
    PERSON: Person,
    CONCERN: SafeguardingConcern,
    ENQUIRY: Enquiry,
    REVIEW: SafeguardingAdultsReview,
    REVIEW_INDIVIDUAL: ReviewIndividual,
}


@dataclass(frozen=True, eq=False)
class Population:
    """The records a group of cells counts: `records(scope)` is a queryset of `kind`. `many`: relations a
    condition may name that hold several rows per record."""

    name: str
    kind: str
    records: Callable[[ReportScope], QuerySet]
    many: tuple[str, ...] = ()
    # The time that put a record in the period, and what it is called: a field of the record, or for people
    # of the concerns or enquiries (`source`) they are counted from (their first in the period).
    when: str = ""
    when_label: str = ""
    source: Callable[[ReportScope], QuerySet] | None = None
    # Whose record it is (the team's name), if a team's: a review is the board's.
    team: str = "team__name"

    def names_many(self, condition: Q) -> bool:
        return any(_field(lookup) in self.many for lookup in _lookups(condition))

    def one_row_each(self, condition: Q) -> bool:
        """Whether `condition` pins the many-valued relation it names to one value (or to none at all), so a
        record matches at most one of its rows and they can be counted without DISTINCT."""
        return _pins(condition, self.many)


def _lookups(q: Q) -> Iterable[str]:
    """The lookups a condition names (`field__lookup=value`); an expression in it (an age at death) names
    none of the many-valued relations."""
    for child in q.children:
        if isinstance(child, Q):
            yield from _lookups(child)
        elif isinstance(child, tuple):
            yield child[0]


def _pins(q: Q, many: tuple[str, ...]) -> bool:
    if q.negated or q.connector != Q.AND:
        return False
    for child in q.children:
        if isinstance(child, Q):
            if _pins(child, many):
                return True
        elif isinstance(child, tuple):
            lookup, value = child
            field_name, _, rest = lookup.partition("__")
            if field_name in many and (rest in ("", "exact") or (rest == "isnull" and value is True)):
                return True
    return False


def _field(lookup: str) -> str:
    return lookup.split("__", 1)[0]


# The populations, from ..figures.populations (shared with every report).


def _people_in(
    name: str, source: Callable[[ReportScope], QuerySet], when: str, when_label: str
) -> Population:
    """The people of the concerns or enquiries `source`, each once."""
    return Population(
        name,
        PERSON,
        lambda scope: Person.objects.filter(pk__in=source(scope).values("person_id")),
        when=when,
        when_label=when_label,
        source=source,
    )


def _s42_started(scope: ReportScope) -> QuerySet:
    return enquiries_started_in(scope).filter(enquiry_type=Enquiry.Type.SECTION_42)


def _other_started(scope: ReportScope) -> QuerySet:
    return enquiries_started_in(scope).filter(enquiry_type=Enquiry.Type.OTHER)


PEOPLE_IN_CONCERNS = _people_in(
    "people_in_concerns", concerns_received_in, "received_at", "First concern received in the period"
)
PEOPLE_IN_S42 = _people_in(
    "people_in_s42", _s42_started, "opened_at", "First section 42 enquiry started in the period"
)
PEOPLE_IN_OTHER = _people_in(
    "people_in_other", _other_started, "opened_at", "First other enquiry started in the period"
)
CONCERNS_RECEIVED = Population(
    "concerns_received", CONCERN, concerns_received_in, when="received_at", when_label="Received"
)
ENQUIRIES_STARTED = Population(
    "enquiries_started", ENQUIRY, enquiries_started_in, when="opened_at", when_label="Started"
)
CONCLUDED_S42 = Population(
    "concluded_s42", ENQUIRY, concluded_s42_in, many=("risk_types",), when="closed_at", when_label="Concluded"
)
# SG4a's achievement rows: of the concluded enquiries where outcomes were expressed, each with the counts of
# its active outcomes' answers (..figures.achievement), which the rules are conditions on.
CONCLUDED_S42_EXPRESSED = Population(
    "concluded_s42_expressed",
    ENQUIRY,
    lambda scope: (
        concluded_s42_in(scope)
        .filter(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED)
        .annotate(**answer_counts())
    ),
    when="closed_at",
    when_label="Concluded",
)


# SG5a and SG5b (.reviews): the reviews the board arranged in the period, and their individuals who suffered
# serious harm.
REVIEWS_ARRANGED = Population(
    "reviews_arranged", REVIEW, reviews_arranged_in, when="decided_on", when_label="Arranged", team=""
)
REVIEW_INDIVIDUALS_HARMED = Population(
    "review_individuals_harmed",
    REVIEW_INDIVIDUAL,
    lambda scope: ReviewIndividual.objects.filter(
        review__in=reviews_arranged_in(scope).values("pk"), serious_harm=True
    ),
    when="review__decided_on",
    when_label="Review arranged",
    team="",
)
