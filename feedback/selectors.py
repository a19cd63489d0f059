"""Reads for My Safeguarding Experience, scoped through the enquiry the records hang off."""

from django.db.models import QuerySet
from django.urls import reverse

from enquiries.models import Enquiry
from msp_cases import access

from .models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective


def _scoped(model, user) -> QuerySet:
    return model.objects.filter(enquiry__in=access.scoped(Enquiry.objects.all(), user))


def part1_for_enquiry(*, user, enquiry: Enquiry) -> ExperienceFeedbackPart1 | None:
    return _scoped(ExperienceFeedbackPart1, user).filter(enquiry=enquiry).first()


def part2_for_enquiry(*, user, enquiry: Enquiry) -> ExperienceFeedbackPart2 | None:
    return (
        _scoped(ExperienceFeedbackPart2, user)
        .select_related("decided_by", "manager_agreed_by")
        .filter(enquiry=enquiry)
        .first()
    )


def perspective_for_enquiry(*, user, enquiry: Enquiry) -> OrganisationPerspective | None:
    return (
        _scoped(OrganisationPerspective, user).select_related("recorded_by").filter(enquiry=enquiry).first()
    )


def enquiry_panel_context(*, user, enquiry: Enquiry) -> dict:
    """The enquiry page's My Safeguarding Experience section: a fixed number of queries."""
    from .services import is_team_manager

    can_edit = user.has_perm("enquiries.edit_case", enquiry) and enquiry.status != Enquiry.Status.CLOSED
    pk = enquiry.pk
    return {
        "feedback_part1": part1_for_enquiry(user=user, enquiry=enquiry),
        "feedback_part2": part2_for_enquiry(user=user, enquiry=enquiry),
        "feedback_perspective": perspective_for_enquiry(user=user, enquiry=enquiry),
        "feedback_can_edit": can_edit,
        "feedback_can_record_perspective": can_edit and is_team_manager(user, enquiry),
        "feedback_urls": {
            "part1": reverse("feedback:part1_edit", args=[pk]),
            "part2": reverse("feedback:part2_edit", args=[pk]),
            "perspective": reverse("feedback:organisation_perspective", args=[pk]),
            "part1_pdf": reverse("feedback:part1_pdf", args=[pk]),
            "part2_pdf": reverse("feedback:part2_pdf", args=[pk]),
        },
    }
