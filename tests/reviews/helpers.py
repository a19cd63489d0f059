"""Reviews for the register's tests, made through the services as the unit would record them."""

import datetime

from msp_cases.core.actor import Actor
from msp_cases.reviews import services
from msp_cases.reviews.models import SafeguardingAdultsReview


def review(
    unit_user,
    *,
    name="Adult V",
    decided_on=datetime.date(2025, 6, 1),
    decision=SafeguardingAdultsReview.Decision.ARRANGED,
    anyone_died=False,
    individuals=(),
    enquiries=(),
    concerns=(),
    referred_on=None,
):
    """A review, its individuals ((person or description, serious harm, died), ...) and its links."""
    actor = Actor.of(unit_user)
    decided = decision != SafeguardingAdultsReview.Decision.PENDING
    made = services.review_create(
        actor=actor,
        name=name,
        referred_on=referred_on
        or (decided_on - datetime.timedelta(days=30) if decided_on else datetime.date(2025, 5, 1)),
        decision=decision,
        decided_on=decided_on if decided else None,
        criteria=(SafeguardingAdultsReview.Criteria.MANDATORY if decided else ""),
        anyone_died=anyone_died,
        completed_on=None,
        notes="",
    )
    for who, serious_harm, died in individuals:
        person, description = (None, who) if isinstance(who, str) else (who, "")
        services.individual_add(
            actor=actor,
            review=made,
            person=person,
            description=description,
            serious_harm=serious_harm,
            died=died,
        )
    if enquiries or concerns:
        made.enquiries.set(enquiries)
        made.concerns.set(concerns)
    return made
