"""Pages that keep an enquiry from drifting: a manager's review (supervision note) and moving the next contact
agreed with the person. Thin: fetch in scope (else 404), check the role, parse the form, call one service."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from .. import selectors
from ..forms.drift import ManagerReviewForm, NextContactChangeForm
from ..models import Enquiry
from ..services import lifecycle, reviews
from .base import require_edit

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


def _closed(enquiry: Enquiry) -> str:
    return lifecycle.EnquiryClosed().message if enquiry.status == Enquiry.Status.CLOSED else ""


@require_http_methods(["GET", "POST"])
def manager_review_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    enquiry = _enquiry_for_edit(request, pk)
    title = "Record a manager review"
    if not reviews.may_record_review(user=request.user, enquiry=enquiry):
        raise PermissionDenied(reviews.REVIEW_NOT_PERMITTED)
    context = _context(
        enquiry,
        title=title,
        submit_label="Save review",
        intro="Your note is kept with the enquiry and shown to the practitioner.",
    )
    return versioned_form_page(
        request,
        form_class=ManagerReviewForm,
        template=FORM_TEMPLATE,
        context=context,
        closed=_closed(enquiry),
        refused_template=REFUSED_TEMPLATE,
        audit=lambda: access_record(actor=actor, obj=enquiry, detail=title),
        save=lambda form: reviews.manager_review_record(
            actor=actor, enquiry=enquiry, note=form.cleaned_data["note"]
        ),
        success_message="Manager review recorded",
        success_url=context["cancel_url"],
    )


@require_http_methods(["GET", "POST"])
def next_contact_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    enquiry = _enquiry_for_edit(request, pk)
    title = "Change the next contact date"
    if enquiry.next_contact_on:
        intro = (
            f"The next contact agreed with the person is {enquiry.next_contact_on:%-d %B %Y}. "
            "Move it only with their agreement."
        )
    else:
        intro = "No next contact is agreed with the person yet. Set one only with their agreement."
    context = _context(enquiry, title=title, submit_label="Change the date", intro=intro)

    def save(form):
        data = form.cleaned_data
        return reviews.next_contact_move(
            actor=actor,
            enquiry=enquiry,
            to_date=data["to_date"],
            how=data["how"],
            reason=data["reason"],
            person_agreed=data["person_agreed"],
            expected_version=data["version"],
        )

    return versioned_form_page(
        request,
        form_class=NextContactChangeForm,
        form_kwargs=lambda current: {"current": current.next_contact_on},
        record=enquiry,
        initial={"version": enquiry.version},
        template=FORM_TEMPLATE,
        context=context,
        closed=_closed(enquiry),
        refused_template=REFUSED_TEMPLATE,
        audit=lambda: access_record(actor=actor, obj=enquiry, detail=title),
        save=save,
        success_message="Next contact date changed",
        success_url=context["cancel_url"],
    )


urlpatterns = [
    path("enquiries/<int:pk>/manager-review/", manager_review_add, name="manager_review_add"),
    path("enquiries/<int:pk>/next-contact/", next_contact_change, name="next_contact_change"),
]
