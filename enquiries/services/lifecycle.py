"""Enquiry stages as explicit transitions. Each is a service that checks its conditions, moves the stage,
and writes an EnquiryEvent; nothing else sets `Enquiry.status`."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record

from ..models import Enquiry, EnquiryEvent, SafeguardingConcern


@transaction.atomic
def enquiry_open(
    *,
    request: HttpRequest,
    concern: SafeguardingConcern,
    enquiry_type: str,
    lead_practitioner=None,
) -> Enquiry:
    """Open the enquiry a decision called for, carrying the concern's risk details across."""
    now = timezone.now()
    enquiry = Enquiry(
        person=concern.person,
        concern=concern,
        enquiry_type=enquiry_type,
        team=concern.team,
        lead_practitioner=lead_practitioner or concern.allocated_to,
        status=Enquiry.Status.OPEN,
        opened_at=now,
        risk_location=concern.risk_location,
        risk_source=concern.risk_source,
    )
    enquiry.full_clean()
    enquiry.save()
    enquiry.risk_types.set(concern.risk_types.all())
    EnquiryEvent.objects.create(
        enquiry=enquiry,
        kind=EnquiryEvent.Kind.OPENED,
        occurred_at=now,
        by=request.user,
        to_status=Enquiry.Status.OPEN,
        allocated_to=enquiry.lead_practitioner,
    )
    access_record(request=request, obj=enquiry, action=AccessEvent.Action.CREATE, detail="Enquiry opened")
    return enquiry
