"""Retention's pages, for unit leads alone (`MANAGE_RETENTION`); anyone else is "Page not found". Each page
about a person records the read in the record of access; the list records each person it names."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from . import selectors, services
from .forms import ApproveForm, HoldForm, LiftForm, ProposeForm, WithdrawForm

FORM_TEMPLATE = "retention/form.html"
PAGE_SIZE = 50


@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(selectors.due_list(user=request.user, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[row.person_id for row in page.object_list],
        detail="Closed cases due for retention review",
    )
    return render(
        request,
        "retention/due.html",
        {
            "page": page,
            "today": today,
            "retention_years": settings.RETENTION_YEARS,
            "title": "Closed cases due for retention review",
        },
    )


@require_GET
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_retention(user=request.user, pk=pk)
    access_record(actor=Actor.from_request(request), obj=person, detail="Retention of the record")
    state = selectors.person_retention(person=person)
    pending = state["pending"]
    return render(
        request,
        "retention/person.html",
        {
            "person": person,
            **state,
            "propose_problems": services.disposal_propose_problems(person=person),
            "approve_problems": (
                services.disposal_approve_problems(disposal=pending, user=request.user) if pending else []
            ),
            "title": "Retention of the record",
        },
    )


def _form_context(person, title: str, submit_label: str) -> dict:
    url = reverse("retention:person", args=[person.pk])
    return {
        "title": title,
        "caption": person.display_name,
        "submit_label": submit_label,
        "cancel_url": url,
        "back_label": "Back to the retention of the record",
    }


@require_http_methods(["GET", "POST"])
def hold_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_retention(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    return versioned_form_page(
        request,
        form_class=HoldForm,
        template=FORM_TEMPLATE,
        context=_form_context(person, "Place a legal hold", "Place the hold"),
        audit=lambda: access_record(actor=actor, obj=person, detail="Place a legal hold"),
        save=lambda form: services.hold_place(actor=actor, person=person, **form.cleaned_data),
        success_message="Legal hold placed. Nothing of this record can be disposed of until it is lifted",
        success_url=reverse("retention:person", args=[person.pk]),
    )


@require_http_methods(["GET", "POST"])
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = selectors.hold_get(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    return versioned_form_page(
        request,
        form_class=LiftForm,
        template=FORM_TEMPLATE,
        context={**_form_context(hold.person, "Lift the legal hold", "Lift the hold"), "hold": hold},
        audit=lambda: access_record(actor=actor, obj=hold, person=hold.person, detail="Lift a legal hold"),
        save=lambda form: services.hold_lift(actor=actor, hold=hold, reason=form.cleaned_data["reason"]),
        success_message="Legal hold lifted",
        success_url=reverse("retention:person", args=[hold.person_id]),
    )


@require_http_methods(["GET", "POST"])
def disposal_propose(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_retention(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    problems = services.disposal_propose_problems(person=person)
    return versioned_form_page(
        request,
        form_class=ProposeForm,
        template=FORM_TEMPLATE,
        context=_form_context(person, "Propose disposal of the record", "Propose disposal"),
        closed=problems[0] if problems else "",
        refused_template="retention/refused.html",
        audit=lambda: access_record(actor=actor, obj=person, detail="Propose disposal"),
        save=lambda form: services.disposal_propose(
            actor=actor, person=person, reason=form.cleaned_data["reason"]
        ),
        success_message="Disposal proposed. Another unit lead must approve it",
        success_url=reverse("retention:person", args=[person.pk]),
    )


@require_http_methods(["GET", "POST"])
def disposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = selectors.disposal_get(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    problems = services.disposal_approve_problems(disposal=disposal, user=request.user)
    return versioned_form_page(
        request,
        form_class=ApproveForm,
        template=FORM_TEMPLATE,
        context={
            **_form_context(disposal.person, "Approve disposal of the record", "Approve disposal"),
            "disposal": disposal,
        },
        closed=problems[0] if problems else "",
        refused_template="retention/refused.html",
        audit=lambda: access_record(
            actor=actor, obj=disposal, person=disposal.person, detail="Approve disposal"
        ),
        save=lambda form: services.disposal_approve(actor=actor, disposal=disposal),
        success_message="Disposal approved. The record’s personal data is being removed",
        success_url=reverse("retention:person", args=[disposal.person_id]),
    )


@require_http_methods(["GET", "POST"])
def disposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = selectors.disposal_get(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    return versioned_form_page(
        request,
        form_class=WithdrawForm,
        template=FORM_TEMPLATE,
        context={**_form_context(disposal.person, "Withdraw the disposal", "Withdraw"), "disposal": disposal},
        audit=lambda: access_record(
            actor=actor, obj=disposal, person=disposal.person, detail="Withdraw disposal"
        ),
        save=lambda form: services.disposal_withdraw(
            actor=actor, disposal=disposal, reason=form.cleaned_data["reason"]
        ),
        success_message="Disposal withdrawn",
        success_url=reverse("retention:person", args=[disposal.person_id]),
    )
