"""Allocating a concern awaiting a decision: a manager in the concern's team chooses who looks at it.
Thin, as the enquiry's allocation page: fetch in scope, check the rule, parse the form, call one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_http_methods

from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from .. import selectors
from ..forms.concern_allocation import ConcernAllocateForm
from ..models import SafeguardingConcern
from ..refusals import TransitionNotPermitted, TransitionRefused
from ..services.concern_allocation import (
    allocation_candidates,
    allocation_history,
    concern_allocate,
    concern_allocate_refusal,
)
from ..services.concerns import ConcernAlreadyDecided
from .base import require_edit

ALREADY_DECIDED = (
    "A decision has already been recorded for this concern, so it is allocated through its enquiry"
)


@require_http_methods(["GET", "POST"])
def concern_allocate_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    require_edit(request, concern)
    if concern.decision != SafeguardingConcern.Decision.PENDING:
        messages.info(request, ALREADY_DECIDED)
        return redirect(concern)
    refusal = concern_allocate_refusal(user=request.user, concern=concern)
    if isinstance(refusal, TransitionNotPermitted):
        raise PermissionDenied(refusal.message)
    name = concern.person.display_name
    title = f"{'Re-allocate' if concern.allocated_to_id else 'Allocate'} the concern about {name}"
    try:
        return versioned_form_page(
            request,
            form_class=ConcernAllocateForm,
            form_kwargs=lambda record: {
                "concern": record,
                # Re-allocating: someone else than who has it.
                "candidates": allocation_candidates(team_id=record.team_id).exclude(
                    pk=record.allocated_to_id
                ),
            },
            record=concern,
            initial={"version": concern.version},
            template="enquiries/concerns/allocate.html",
            context={
                "concern": concern,
                "person": concern.person,
                "title": title,
                "submit_label": "Allocate",
                "cancel_url": concern.get_absolute_url(),
                "allocations": allocation_history(concern=concern),
            },
            refusals=(TransitionRefused,),
            audit=lambda: access_record(
                actor=actor, obj=concern, detail="Allocate safeguarding concern form"
            ),
            save=lambda form: concern_allocate(
                actor=actor,
                concern=concern,
                practitioner=form.cleaned_data["practitioner"],
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
            ),
            success_message=lambda saved: f"Concern allocated to {saved.allocated_to}",
            success_url=concern.get_absolute_url(),
        )
    except ConcernAlreadyDecided:
        # Someone recorded the decision after this page was loaded.
        messages.info(request, ALREADY_DECIDED)
        return redirect(concern)


urlpatterns = [
    path("concerns/<int:pk>/allocate/", concern_allocate_page, name="concern_allocate"),
]
