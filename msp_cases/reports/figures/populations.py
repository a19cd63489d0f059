"""Which records a report counts, for a period and the teams in scope. Every record of those teams counts,
restricted ones included (a count says nothing about a person); a list that names records goes through
msp_cases.access instead."""

from django.db.models import QuerySet

from enquiries.models import Enquiry, SafeguardingConcern

from ..scope import ReportScope


def concerns_received_in(scope: ReportScope) -> QuerySet[SafeguardingConcern]:
    return SafeguardingConcern.objects.filter(
        team_id__in=scope.team_ids, received_at__gte=scope.start_at, received_at__lt=scope.end_before
    )


def enquiries_started_in(scope: ReportScope) -> QuerySet[Enquiry]:
    """Enquiries opened in the period, of either type."""
    return Enquiry.objects.filter(
        team_id__in=scope.team_ids, opened_at__gte=scope.start_at, opened_at__lt=scope.end_before
    )


def enquiries_closed_in(scope: ReportScope) -> QuerySet[Enquiry]:
    """Enquiries of either type whose closure was signed off (`closed_at`) in the period."""
    return Enquiry.objects.filter(
        team_id__in=scope.team_ids,
        status=Enquiry.Status.CLOSED,
        closed_at__gte=scope.start_at,
        closed_at__lt=scope.end_before,
    )


def concluded_s42_in(scope: ReportScope) -> QuerySet[Enquiry]:
    """ "Concluded section 42 enquiries", as SAC SG2–SG4 count them: section 42 enquiries whose closure was
    signed off in the period."""
    return enquiries_closed_in(scope).filter(enquiry_type=Enquiry.Type.SECTION_42)
