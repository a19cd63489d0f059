"""The register's pages, for safeguarding unit staff alone (`KEEP_REVIEWS`); anyone else is "Page not
found", as for a record out of their scope. Practitioners and managers see a review read-only on the enquiry
and person pages it is linked to (panels.py). Every page that shows the individuals records the read."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from . import selectors, services
from .forms import IndividualForm, ReviewForm

FORM_TEMPLATE = "reviews/form.html"
LIST_TITLE = "Safeguarding Adults Reviews"


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.REVIEW_FIELDS}


@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    selectors.require_keeper(request.user)
    reviews = list(selectors.review_list(user=request.user))
    person_ids = [i.person_id for review in reviews for i in review.individuals.all()]
    visible = selectors.visible_person_ids(user=request.user, person_ids=person_ids)
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[pk for pk in person_ids if pk in visible],
        detail=LIST_TITLE,
    )
    return render(
        request, "reviews/list.html", {"reviews": reviews, "visible_people": visible, "title": LIST_TITLE}
    )


@require_http_methods(["GET", "POST"])
def review_add(request: HttpRequest) -> HttpResponse:
    selectors.require_keeper(request.user)
    actor = Actor.from_request(request)
    return versioned_form_page(
        request,
        form_class=ReviewForm,
        initial={"decision": "pending", "anyone_died": None},
        template=FORM_TEMPLATE,
        context={
            "title": "Add a Safeguarding Adults Review",
            "submit_label": "Save the review",
            "cancel_url": reverse("reviews:list"),
            "back_label": "Back to the Safeguarding Adults Reviews",
        },
        save=lambda form: services.review_create(actor=actor, **_fields(form)),
        success_message=lambda review: f"“{review.name}” added. Add the individuals it concerns",
        success_url=lambda review: review.get_absolute_url(),
    )


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_keeper(request.user)
    review = selectors.review_get(user=request.user, pk=pk)
    individuals = list(review.individuals.all())
    visible = selectors.visible_person_ids(user=request.user, person_ids=[i.person_id for i in individuals])
    services.review_viewed(
        actor=Actor.from_request(request), review=review, detail="Safeguarding Adults Review"
    )
    history = list(review.history.select_related("history_user").order_by("-history_date")[:10])
    return render(
        request,
        "reviews/detail.html",
        {
            "review": review,
            "individuals": individuals,
            "visible_people": visible,
            "history": history,
            "title": f"Safeguarding Adults Review: {review.name}",
        },
    )


@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_keeper(request.user)
    review = selectors.review_get(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    enquiries, concerns = selectors.link_choices(user=request.user, review=review)

    def save(form):
        return services.review_update(
            actor=actor,
            review=review,
            expected_version=form.cleaned_data["version"],
            # None where the form offered none: the links stay as they are.
            enquiries=form.cleaned_data.get("enquiries"),
            concerns=form.cleaned_data.get("concerns"),
            **_fields(form),
        )

    return versioned_form_page(
        request,
        form_class=ReviewForm,
        record=review,
        initial=ReviewForm.initial_for(review),
        form_kwargs=lambda _: {"enquiries": enquiries, "concerns": concerns, "with_version": True},
        template=FORM_TEMPLATE,
        context={
            "title": f"Change the review: {review.name}",
            "submit_label": "Save changes",
            "cancel_url": review.get_absolute_url(),
            "back_label": "Back to the review",
            "review": review,
        },
        audit=lambda: services.review_viewed(
            actor=actor, review=review, detail="Change a Safeguarding Adults Review"
        ),
        save=save,
        success_message=lambda saved: f"“{saved.name}” saved",
        success_url=review.get_absolute_url(),
    )


def _find_person(request):
    return lambda pk: selectors.person_for_individual(user=request.user, pk=pk)


@require_http_methods(["GET", "POST"])
def individual_add(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_keeper(request.user)
    review = selectors.review_get(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    return versioned_form_page(
        request,
        form_class=IndividualForm,
        form_kwargs=lambda _: {"find_person": _find_person(request)},
        template=FORM_TEMPLATE,
        context={
            "title": "Add an individual",
            "caption": f"Safeguarding Adults Review: {review.name}",
            "submit_label": "Add the individual",
            "cancel_url": review.get_absolute_url(),
            "back_label": "Back to the review",
        },
        save=lambda form: services.individual_add(actor=actor, review=review, **form.values()),
        success_message="Individual added",
        success_url=review.get_absolute_url() + "#individuals",
    )


@require_http_methods(["GET", "POST"])
def individual_edit(request: HttpRequest, pk: int, individual_pk: int) -> HttpResponse:
    selectors.require_keeper(request.user)
    review = selectors.review_get(user=request.user, pk=pk)
    individual = selectors.individual_get(review=review, pk=individual_pk)
    actor = Actor.from_request(request)
    if request.method == "GET":
        access_record(
            actor=actor, obj=review, person=individual.person, detail="Change an individual of a review"
        )
    return versioned_form_page(
        request,
        form_class=IndividualForm,
        record=individual,
        initial=IndividualForm.initial_for(individual),
        form_kwargs=lambda _: {"find_person": _find_person(request), "with_version": True},
        template=FORM_TEMPLATE,
        context={
            "title": "Change an individual",
            "caption": f"Safeguarding Adults Review: {review.name}",
            "submit_label": "Save changes",
            "cancel_url": review.get_absolute_url() + "#individuals",
            "back_label": "Back to the review",
        },
        save=lambda form: services.individual_update(
            actor=actor, individual=individual, expected_version=form.cleaned_data["version"], **form.values()
        ),
        success_message="Individual saved",
        success_url=review.get_absolute_url() + "#individuals",
    )
