"""The demo's Safeguarding Adults Reviews, so the unit's register is not empty and SG5a and SG5b have
something to count: one the board arranged this financial year about Sandra Mills (DEMO-007), whose
self-neglect enquiry is North's, and one referred and not yet decided about someone not on the system."""

import datetime

from django.utils import timezone

from enquiries.models import Person
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor
from msp_cases.core.periods import financial_year
from msp_cases.reviews.models import SafeguardingAdultsReview
from msp_cases.reviews.services import individual_add, review_create

ARRANGED = "Adult S"
PENDING = "Adult T"


def demo_reviews(*, recorded_by: User) -> None:
    """Recorded by the unit lead; nothing again when the demo is seeded again."""
    actor = Actor.of(recorded_by)
    today = timezone.localdate()
    # Arranged in this financial year, so this year's return counts it.
    decided_on = max(financial_year(today)[0], today - datetime.timedelta(days=20))
    sandra = Person.objects.filter(local_identifier="DEMO-007").first()
    if sandra is not None and not SafeguardingAdultsReview.objects.filter(name=ARRANGED).exists():
        review = review_create(
            actor=actor,
            name=ARRANGED,
            referred_on=decided_on - datetime.timedelta(days=14),
            decision=SafeguardingAdultsReview.Decision.ARRANGED,
            decided_on=decided_on,
            criteria=SafeguardingAdultsReview.Criteria.MANDATORY,
            anyone_died=False,
            completed_on=None,
            notes="Self-neglect over many months; several agencies visited without a shared plan.",
        )
        individual_add(
            actor=actor, review=review, person=sandra, description="", serious_harm=True, died=False
        )
        review.enquiries.set(sandra.enquiries.all())
        review.concerns.set(sandra.concerns.all())
    if not SafeguardingAdultsReview.objects.filter(name=PENDING).exists():
        review = review_create(
            actor=actor,
            name=PENDING,
            referred_on=today - datetime.timedelta(days=5),
            decision=SafeguardingAdultsReview.Decision.PENDING,
            decided_on=None,
            criteria="",
            anyone_died=True,
            completed_on=None,
            notes="Referred by the coroner: a man in his 50s who died after a fire at his flat.",
        )
        individual_add(
            actor=actor,
            review=review,
            person=None,
            description="Adult T, in his 50s",
            serious_harm=True,
            died=True,
        )
