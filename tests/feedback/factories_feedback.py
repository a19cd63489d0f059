"""Factories for My Safeguarding Experience (Part 1 and Part 2), the organisation's perspective and
case-file audits.

Each makes a complete record, as the services would accept it; a test names only what its scene is about."""

import datetime

import factory
from django.utils import timezone

from feedback.models import (
    AUDIT_CHECKLIST,
    AuditSample,
    CaseFileAudit,
    ExperienceFeedbackPart1,
    ExperienceFeedbackPart2,
    OrganisationPerspective,
)
from tests.factories import EnquiryFactory, UserFactory


def _author(enquiry):
    """The enquiry's lead practitioner wrote it, or a user of its own when the enquiry has no lead."""
    return enquiry.lead_practitioner or UserFactory()


class Part1Factory(factory.django.DjangoModelFactory):
    """Part 1, completed by the person today, with nothing chosen or written unless the test says."""

    class Meta:
        model = ExperienceFeedbackPart1

    enquiry = factory.SubFactory(EnquiryFactory)
    completed_by = "person"
    completed_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.LazyAttribute(lambda o: _author(o.enquiry))


class Part2Factory(factory.django.DjangoModelFactory):
    """Part 2. Approached (the default): the person answered all four questions "Yes, completely", no further
    work, completed today. `approached=False`: none of that; the test gives the reason, who decided and
    whether someone answered in their best interests."""

    class Meta:
        model = ExperienceFeedbackPart2

    enquiry = factory.SubFactory(EnquiryFactory)
    approached = True
    answered_by = factory.Maybe("approached", "person", "")
    listened = factory.Maybe("approached", "yes_completely", "")
    informed = factory.Maybe("approached", "yes_completely", "")
    safer = factory.Maybe("approached", "yes_completely", "")
    concerns_dealt_with = factory.Maybe("approached", "yes_completely", "")
    further_work_needed = factory.Maybe("approached", False, None)
    completed_on = factory.Maybe("approached", factory.LazyFunction(timezone.localdate), None)
    created_by = factory.LazyAttribute(lambda o: _author(o.enquiry))


class OrganisationPerspectiveFactory(factory.django.DjangoModelFactory):
    """The manager's view at sign-off: systems and processes supported Making Safeguarding Personal."""

    class Meta:
        model = OrganisationPerspective

    enquiry = factory.SubFactory(EnquiryFactory)
    systems_supported_msp = "yes"
    recorded_by = factory.LazyAttribute(lambda o: o.enquiry.team.members.first() or UserFactory())


def audit_answers(**overrides) -> dict:
    """Every checklist question answered "Yes" with no note, graded good, with a comment."""
    data = {name: "yes" for name, _question in AUDIT_CHECKLIST}
    data.update({f"{name}_note": "" for name, _question in AUDIT_CHECKLIST})
    data.update(grade="good", comments="Clear record of what she wanted; Part 2 done well.")
    data.update(overrides)
    return data


class AuditSampleFactory(factory.django.DjangoModelFactory):
    """A sample record on its own (the enquiries in it are the test's to add; `audit_sample_draw` draws)."""

    class Meta:
        model = AuditSample

    drawn_by = factory.SubFactory(UserFactory)
    drawn_at = factory.LazyFunction(timezone.now)
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    period_end = factory.LazyFunction(timezone.localdate)
    size = 5
    seed = 42
    eligible_count = 0


class CaseFileAuditFactory(factory.django.DjangoModelFactory):
    """A saved audit of one enquiry in a sample, by the unit member who drew it, with `audit_answers()`."""

    class Meta:
        model = CaseFileAudit

    sample = factory.SubFactory(AuditSampleFactory)
    enquiry = factory.SubFactory(EnquiryFactory)
    auditor = factory.SelfAttribute("sample.drawn_by")
    audited_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return {**audit_answers(), **kwargs}
