"""Warnings about a person: their list, recording one, changing it, ending it. Thin: forms parse,
enquiries.services.warnings writes, enquiries.selectors.warnings reads within the user's scope."""

import copy

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from .. import selectors
from ..forms.warnings import PersonWarningEndForm, PersonWarningForm
from ..selectors.warnings import person_warning_get_for_user, person_warning_list
from ..services import warnings as services
from .base import require_edit

MSG_ENDED = "This warning has ended, so it can no longer be changed. Record a new warning if one is needed."


def _list_url(person) -> str:
    return reverse("enquiries:person_warnings", args=[person.pk])


@require_GET
def person_warnings(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    access_record(actor=Actor.from_request(request), obj=person, detail="Warnings")
    warnings = person_warning_list(user=request.user, person=person)
    return render(
        request,
        "enquiries/warnings/list.html",
        {
            "person": person,
            "current": [w for w in warnings if w.ended_on is None],
            "ended": [w for w in warnings if w.ended_on is not None],
            "can_edit": request.user.has_perm(EDIT_CASE, person),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def warning_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    require_edit(request, person)
    return versioned_form_page(
        request,
        form_class=PersonWarningForm,
        form_kwargs=lambda record: {"user": request.user, "person": person},
        template="enquiries/warnings/form.html",
        context={
            "person": person,
            "heading": "Add a warning",
            "submit_label": "Save warning",
            "cancel_url": _list_url(person),
        },
        audit=lambda: access_record(actor=actor, obj=person, detail="Add a warning"),
        save=lambda form: services.person_warning_add(
            actor=actor, person=person, fields=form.warning_fields()
        ),
        success_message="Warning added. It is shown at the top of every page about the person.",
        success_url=_list_url(person),
    )


@require_http_methods(["GET", "POST"])
def warning_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    warning = person_warning_get_for_user(user=request.user, pk=pk)
    person = warning.person
    require_edit(request, person)
    return versioned_form_page(
        request,
        form_class=PersonWarningForm,
        form_kwargs=lambda record: {"user": request.user, "person": person, "current": copy.copy(record)},
        record=warning,
        closed=MSG_ENDED if warning.ended_on else "",
        refused_template="enquiries/warnings/refused.html",
        template="enquiries/warnings/form.html",
        context={
            "person": person,
            "warning": warning,
            "heading": "Change or review a warning",
            "submit_label": "Save changes",
            "cancel_url": _list_url(person),
        },
        audit=lambda: access_record(actor=actor, obj=warning, detail="Change a warning"),
        save=lambda form: services.person_warning_update(
            actor=actor,
            warning=warning,
            expected_version=form.cleaned_data["version"],
            fields=form.warning_fields(),
        ),
        success_message="Warning changed",
        success_url=_list_url(person),
    )


@require_http_methods(["GET", "POST"])
def warning_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    warning = person_warning_get_for_user(user=request.user, pk=pk)
    person = warning.person
    require_edit(request, person)
    return versioned_form_page(
        request,
        form_class=PersonWarningEndForm,
        form_kwargs=lambda record: {"warning": record or warning},
        record=warning,
        closed=MSG_ENDED if warning.ended_on else "",
        refused_template="enquiries/warnings/refused.html",
        template="enquiries/warnings/end.html",
        context={
            "person": person,
            "warning": warning,
            "heading": "End a warning",
            "submit_label": "End warning",
            "cancel_url": _list_url(person),
        },
        audit=lambda: access_record(actor=actor, obj=warning, detail="End a warning"),
        save=lambda form: services.person_warning_end(
            actor=actor,
            warning=warning,
            expected_version=form.cleaned_data["version"],
            ended_on=form.cleaned_data["ended_on"],
            end_reason=form.cleaned_data["end_reason"],
        ),
        success_message="Warning ended. It is no longer shown on the person's pages.",
        success_url=_list_url(person),
    )


urlpatterns = [
    path("people/<int:pk>/warnings/", person_warnings, name="person_warnings"),
    path("people/<int:pk>/warnings/new/", warning_add, name="warning_add"),
    path("warnings/<int:pk>/edit/", warning_edit, name="warning_edit"),
    path("warnings/<int:pk>/end/", warning_end, name="warning_end"),
]
