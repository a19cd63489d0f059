"""The records a manager ticked on the team dashboard to allocate together, read within their scope."""

from django.http import Http404

from msp_cases import access

from ..models import Enquiry, SafeguardingConcern


def chosen_for_allocation(
    *, user, concern_ids: list[int], enquiry_ids: list[int]
) -> tuple[list[SafeguardingConcern], list[Enquiry]]:
    """The chosen concerns and enquiries, oldest first, with their people and teams (two queries). Any of them
    out of the user's scope (another team's, by a changed address) is a 404 for the whole choice, as one
    record would be: whether it exists is not for them to learn."""
    concerns = list(
        access.scoped(SafeguardingConcern.objects.select_related("person", "team", "allocated_to"), user)
        .filter(pk__in=concern_ids)
        .order_by("received_at", "pk")
    )
    enquiries = list(
        access.scoped(Enquiry.objects.select_related("person", "team", "lead_practitioner"), user)
        .filter(pk__in=enquiry_ids)
        .order_by("opened_at", "pk")
    )
    if len(concerns) != len(set(concern_ids)) or len(enquiries) != len(set(enquiry_ids)):
        raise Http404
    return concerns, enquiries
