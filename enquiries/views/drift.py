"""Pages that keep an enquiry from drifting: a manager's review (supervision note) and moving the next contact
agreed with the person. Thin: fetch in scope (else 404), check the role, parse the form, call one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from msp_cases.audit.services import access_record
from msp_cases.core.concurrency import ConcurrentEditError

from .. import selectors
from ..forms.drift import ManagerReviewForm, NextContactChangeForm
from ..models import Enquiry
from ..services import lifecycle, reviews
from .base import conflict_context, require_edit

FORM_TEMPLATE = "enquiries/enquiry/form.html"
REFUSED_TEMPLATE = "enquiries/enquiry/refused.html"


def _context(enquiry: Enquiry, **extra) -> dict:
    return {
        "enquiry": enquiry,
        "person": enquiry.person,
        "cancel_url": reverse("enquiries:enquiry_detail", args=[enquiry.pk]) + "#drift",
        **extra,
    }


def _enquiry_for_edit(request: HttpRequest, pk: int) -> Enquiry:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    require_edit(request, enquiry)
    return enquiry


def _closed(request: HttpRequest, enquiry: Enquiry, title: str) -> HttpResponse:
    return render(
        request,
        REFUSED_TEMPLATE,
        _context(enquiry, title=title, message=lifecycle.EnquiryClosed().message),
        status=200 if request.method == "GET" else 409,
    )


def _add_errors(form, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
def manager_review_add(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _enquiry_for_edit(request, pk)
    title = "Record a manager review"
    if not reviews.may_record_review(user=request.user, enquiry=enquiry):
        raise PermissionDenied(reviews.REVIEW_NOT_PERMITTED)
    if enquiry.status == Enquiry.Status.CLOSED:
        return _closed(request, enquiry, title)
    context = _context(
        enquiry,
        title=title,
        submit_label="Save review",
        intro="Your note is kept with the enquiry and shown to the practitioner.",
    )
    if request.method == "POST":
        form = ManagerReviewForm(request.POST)
        if form.is_valid():
            try:
                reviews.manager_review_record(
                    request=request, enquiry=enquiry, note=form.cleaned_data["note"]
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, "Manager review recorded")
                return redirect(context["cancel_url"])
    else:
        form = ManagerReviewForm()
        access_record(request=request, obj=enquiry, detail=title)
    return render(request, FORM_TEMPLATE, {**context, "form": form})


@require_http_methods(["GET", "POST"])
def next_contact_change(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _enquiry_for_edit(request, pk)
    title = "Change the next contact date"
    if enquiry.status == Enquiry.Status.CLOSED:
        return _closed(request, enquiry, title)
    if enquiry.next_contact_on:
        intro = (
            f"The next contact agreed with the person is {enquiry.next_contact_on:%-d %B %Y}. "
            "Move it only with their agreement."
        )
    else:
        intro = "No next contact is agreed with the person yet. Set one only with their agreement."
    context = _context(enquiry, title=title, submit_label="Change the date", intro=intro)
    if request.method == "POST":
        form = NextContactChangeForm(request.POST, current=enquiry.next_contact_on)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reviews.next_contact_move(
                    request=request,
                    enquiry=enquiry,
                    to_date=data["to_date"],
                    how=data["how"],
                    reason=data["reason"],
                    person_agreed=data["person_agreed"],
                    expected_version=data["version"],
                )
            except ConcurrentEditError as e:
                data = request.POST.copy()
                data["version"] = str(e.current.version)
                form = NextContactChangeForm(data, current=e.current.next_contact_on)
                form.is_valid()
                return render(
                    request,
                    FORM_TEMPLATE,
                    {**context, "form": form, **conflict_context(form, e.current)},
                    status=409,
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, "Next contact date changed")
                return redirect(context["cancel_url"])
    else:
        form = NextContactChangeForm(initial={"version": enquiry.version}, current=enquiry.next_contact_on)
        access_record(request=request, obj=enquiry, detail=title)
    return render(request, FORM_TEMPLATE, {**context, "form": form})


urlpatterns = [
    path("enquiries/<int:pk>/manager-review/", manager_review_add, name="manager_review_add"),
    path("enquiries/<int:pk>/next-contact/", next_contact_change, name="next_contact_change"),
]
