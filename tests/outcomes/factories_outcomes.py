"""Factories for what the person wants to happen: desired outcomes and the earlier words kept on revision."""

import factory
from django.utils import timezone

from outcomes.models import DesiredOutcome, DesiredOutcomeRevision
from tests.factories import EnquiryFactory, UserFactory


def _author(enquiry):
    """The enquiry's lead practitioner wrote it, or a user of its own when the enquiry has no lead."""
    return enquiry.lead_practitioner or UserFactory()


class DesiredOutcomeFactory(factory.django.DjangoModelFactory):
    """An active outcome in the person's own words, said by the person today; no achievement yet.

    A withdrawn one (`status=DesiredOutcome.Status.WITHDRAWN`) comes with a reason, as the service asks."""

    class Meta:
        model = DesiredOutcome

    enquiry = factory.SubFactory(EnquiryFactory)
    words = "I want to feel safe at home."
    expressed_by = "person"
    expressed_on = factory.LazyFunction(timezone.localdate)
    status = DesiredOutcome.Status.ACTIVE
    withdrawn_reason = factory.LazyAttribute(
        lambda o: "No longer wanted" if o.status == DesiredOutcome.Status.WITHDRAWN else ""
    )
    created_by = factory.LazyAttribute(lambda o: _author(o.enquiry))


class DesiredOutcomeRevisionFactory(factory.django.DjangoModelFactory):
    """The words an outcome had before a change, and who changed them."""

    class Meta:
        model = DesiredOutcomeRevision

    outcome = factory.SubFactory(DesiredOutcomeFactory)
    previous_words = "Before"
    previous_expressed_by = "person"
    previous_expressed_on = factory.SelfAttribute("outcome.expressed_on")
    revised_by = factory.SelfAttribute("outcome.created_by")
