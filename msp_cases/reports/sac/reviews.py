"""SG5a and SG5b: Safeguarding Adults Reviews (Care Act 2014, section 44), from the register the safeguarding
unit keeps (msp_cases.reviews).

- SG5a counts the reviews the Safeguarding Adults Board *arranged* in the period: decision "Arranged", dated
  in the period (the collection counts the SARs arranged in the year, whatever their stage since), split by
  whether one or more of their individuals died.
- SG5b counts the individuals of those same reviews who suffered serious harm, by whether they died. An
  individual of a discretionary review recorded with no serious harm is in neither row.

Reviews are the board's, not a team's. A return over every team (the unit's) counts every review arranged; a
return over some teams (a manager's, or one team chosen) counts only the reviews linked to those teams'
records: an enquiry or concern of one of the teams, or an individual whose person has a concern or enquiry
there. So the teams' returns never count a review the council-wide return does not, and a review linked to
no record at all is counted once, council-wide. Three queries (two for one team chosen)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.accounts.models import Team
from msp_cases.reviews.models import ReviewIndividual, SafeguardingAdultsReview

from ..scope import ReportScope
from .tables import SacTable, aggregate

SG5A_ROWS = ("Where one or more individuals died", "Where no individuals died")
SG5B_ROWS = ("Who suffered serious harm and died", "Who suffered serious harm and survived")
# The publication's counts for the two tables (its ENQUIRY_TYPE for SG5a and SG5b).
SG5A_COLUMNS = ("Count of Safeguarding Adult Reviews",)
SG5B_COLUMNS = ("Count of Individuals Involved in Safeguarding Adult Reviews",)


def _covers_every_team(scope: ReportScope) -> bool:
    return scope.team is None and not Team.objects.exclude(pk__in=scope.team_ids).exists()


def reviews_arranged_in(scope: ReportScope) -> QuerySet[SafeguardingAdultsReview]:
    """The reviews SG5a counts for `scope`: arranged, the decision dated in the period, and for a return over
    some teams, linked to one of their records."""
    arranged = SafeguardingAdultsReview.objects.filter(
        decision=SafeguardingAdultsReview.Decision.ARRANGED,
        decided_on__gte=scope.start,
        decided_on__lte=scope.end,
    )
    if _covers_every_team(scope):
        return arranged
    teams = list(scope.team_ids)
    review = OuterRef("pk")
    people_of_teams = Q(
        Exists(Enquiry.objects.filter(team_id__in=teams, person_id=OuterRef("person_id")))
    ) | Q(Exists(SafeguardingConcern.objects.filter(team_id__in=teams, person_id=OuterRef("person_id"))))
    return arranged.filter(
        Q(Exists(Enquiry.objects.filter(team_id__in=teams, safeguarding_adults_reviews=review)))
        | Q(Exists(SafeguardingConcern.objects.filter(team_id__in=teams, safeguarding_adults_reviews=review)))
        | Q(Exists(ReviewIndividual.objects.filter(people_of_teams, review=review, person__isnull=False)))
    )


def sg5_tables(scope: ReportScope) -> list[SacTable]:
    reviews = reviews_arranged_in(scope)
    sg5a = aggregate(
        reviews,
        {
            SG5A_ROWS[0]: Count("pk", filter=Q(anyone_died=True)),
            SG5A_ROWS[1]: Count("pk", filter=Q(anyone_died=False)),
        },
    )
    individuals = ReviewIndividual.objects.filter(review__in=reviews.values("pk"), serious_harm=True)
    sg5b = aggregate(
        individuals,
        {SG5B_ROWS[0]: Count("pk", filter=Q(died=True)), SG5B_ROWS[1]: Count("pk", filter=Q(died=False))},
    )
    return [
        SacTable(
            id="SG5a",
            title="Safeguarding Adults Reviews",
            rows=SG5A_ROWS,
            columns=SG5A_COLUMNS,
            cells=tuple((sg5a[row],) for row in SG5A_ROWS),
            notes=(
                "Reviews the Safeguarding Adults Board arranged (section 44, Care Act 2014), the decision to "
                "arrange dated in the period, mandatory and discretionary alike.",
                "A return for some teams counts the reviews linked to their enquiries, concerns or people.",
            ),
        ),
        SacTable(
            id="SG5b",
            title="Individuals involved in Safeguarding Adults Reviews",
            rows=SG5B_ROWS,
            columns=SG5B_COLUMNS,
            cells=tuple((sg5b[row],) for row in SG5B_ROWS),
            notes=(
                "The individuals of the reviews SG5a counts who suffered serious harm; one recorded with no "
                "serious harm is in neither row.",
            ),
        ),
    ]
