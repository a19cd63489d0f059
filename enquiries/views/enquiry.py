"""The enquiry page (a timeline) and everything that changes an enquiry: its stage, its details, its plan
and its meetings. Views are thin: fetch in scope, check edit access, parse the form, call one service."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.accounts.models import User
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from .. import selectors
from ..forms import enquiry as forms
from ..models import Enquiry
from ..panels import ENQUIRY_PAGE, SIGN_OFF_PAGE, page_context
from ..selectors.dashboard import closure_returns
from ..selectors.drift import drift_panel
from ..selectors.enquiry import TIMELINE_FILTERS, enquiry_overview
from ..services import lifecycle, reviews
from ..services.lifecycle import (
    Standing,
    TransitionNotPermitted,
    TransitionRefused,
    enquiry_close_problems,
    transition_refusal,
)
from .base import require_edit

FORM_TEMPLATE = "enquiries/enquiry/form.html"
REFUSED_TEMPLATE = "enquiries/enquiry/refused.html"

# Transition → (button label, URL name), in lifecycle order.
TRANSITION_BUTTONS = {
    lifecycle.ALLOCATE: ("Allocate", "enquiries:enquiry_allocate"),
    lifecycle.START: ("Start work", "enquiries:enquiry_start"),  # posts at once (ONE_PRESS)
    lifecycle.PROPOSE_CLOSURE: ("Propose closure", "enquiries:enquiry_propose_closure"),
    lifecycle.SIGN_OFF: ("Sign off closure", "enquiries:enquiry_sign_off"),
    lifecycle.REOPEN: ("Reopen", "enquiries:enquiry_reopen"),
}
# Steps with nothing to ask: the enquiry page's button posts the step itself (with the page's version, so a
# stale page is refused as any form is), and the enquiry page comes back with the banner. Their own page
# remains for a refusal or a stale version.
ONE_PRESS = {lifecycle.START}
# A long enquiry's timeline a page at a time, opening on its most recent entries (the chronology pages too).
# Three hundred entries on one page were 380 KB to send and to read through; the filters above the timeline
# still count every entry.
TIMELINE_PAGE_SIZE = 100


def _enquiry_for_edit(request: HttpRequest, pk: int) -> Enquiry:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    require_edit(request, enquiry)
    return enquiry


def _context(enquiry: Enquiry, **extra) -> dict:
    return {"enquiry": enquiry, "person": enquiry.person, "cancel_url": enquiry.get_absolute_url(), **extra}


def _closed(enquiry: Enquiry) -> str:
    """Why nothing can be changed on this enquiry now, or "" when it can."""
    return lifecycle.EnquiryClosed().message if enquiry.status == Enquiry.Status.CLOSED else ""


# The enquiry page ------------------------------------------------------------------------------------------


@require_GET
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    show = request.GET.get("show", "all")
    if show not in TIMELINE_FILTERS:
        show = "all"
    overview = enquiry_overview(user=request.user, enquiry=enquiry, show=show)
    timeline = _timeline_page(overview.items, request.GET.get("page"))
    standing = Standing.of(request.user, enquiry)
    buttons = []
    for name in lifecycle.available_transitions(user=request.user, enquiry=enquiry, standing=standing):
        label, url_name = TRANSITION_BUTTONS[name]
        if name == lifecycle.ALLOCATE and enquiry.lead_practitioner_id:
            label = "Re-allocate"
        buttons.append((label, reverse(url_name, args=[enquiry.pk]), name in ONE_PRESS))
    can_edit = standing.can_edit and enquiry.status != Enquiry.Status.CLOSED
    _link_rows(overview, timeline.items, can_edit=can_edit)
    access_record(actor=Actor.from_request(request), obj=enquiry, detail="Enquiry")
    return render(
        request,
        "enquiries/enquiry_detail.html",
        {
            "enquiry": enquiry,
            "person": enquiry.person,
            "overview": overview,
            "show": show,
            "timeline": timeline,
            "timeline_query": urlencode({"show": show}) + "&",
            "timeline_views": [
                (f"{label} ({overview.counts[value]})", f"?show={value}#timeline", value == show)
                for value, label in TIMELINE_FILTERS.items()
            ],
            "buttons": buttons,
            "can_edit": can_edit,
            "conversation_add_url": reverse("enquiries:conversation_add_enquiry", args=[enquiry.pk])
            if can_edit
            else None,
            "drift": drift_panel(enquiry=enquiry),
            "may_review": reviews.may_record_review(user=request.user, enquiry=enquiry, standing=standing)
            and enquiry.status != Enquiry.Status.CLOSED,
            # The sections the outcomes and feedback apps registered (enquiries.panels), and `panels`.
            **page_context(ENQUIRY_PAGE, user=request.user, enquiry=enquiry),
        },
    )


def _url_per_row(url_name: str) -> Callable[[int], str]:
    """`pk -> reverse(url_name, args=[pk])` for the many rows of one page, reversed once: a route with one
    integer id is the same path around each row's id. (`reverse` for each of a long timeline's conversations
    and plan actions was about 7% of the page's rendering.)"""
    marker = 9_876_543_210
    before, after = reverse(url_name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


@dataclass(frozen=True)
class TimelinePage:
    """A page of the timeline: its entries oldest first; page 1 is the most recent hundred."""

    items: list
    number: int
    first: int  # the entries' positions in the whole timeline, counted from its oldest entry
    last: int
    count: int
    earlier: int | None  # the page number before these entries, if any
    later: int | None

    @property
    def has_other_pages(self) -> bool:
        return self.earlier is not None or self.later is not None


def _timeline_page(items: list, number: str | None) -> TimelinePage:
    """The page of the timeline asked for (`?page=`, 1 the most recent, a page number out of range the
    nearest one), its entries oldest first, as the whole timeline reads."""
    page = Paginator(items[::-1], TIMELINE_PAGE_SIZE).get_page(number)
    count = page.paginator.count
    return TimelinePage(
        items=page.object_list[::-1],
        number=page.number,
        first=count - page.end_index() + 1 if count else 0,
        last=count - page.start_index() + 1 if count else 0,
        count=count,
        earlier=page.next_page_number() if page.has_next() else None,
        later=page.previous_page_number() if page.has_previous() else None,
    )


def _link_rows(overview, items, *, can_edit: bool) -> None:
    """Each conversation's own page (`extra["url"]`) on the page of the timeline shown and, for who may change
    the plan, each action's edit page (`edit_url`)."""
    conversation_url = _url_per_row("enquiries:conversation_detail")
    for item in items:
        if item.kind == "conversation":
            item.extra["url"] = conversation_url(item.obj.pk)
    if can_edit:
        edit_url = _url_per_row("enquiries:plan_action_edit")
        for action in overview.plan_actions:
            action.edit_url = edit_url(action.pk)


# Stage changes ---------------------------------------------------------------------------------------------


def _transition_page(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    title: str,
    submit_label: str,
    form_class,
    run: Callable[[Enquiry, forms.TransitionForm], Enquiry],
    success: str,
    form_kwargs: Callable[[Enquiry], dict] | None = None,
    template: str = FORM_TEMPLATE,
    extra: Callable[[Enquiry], dict] | None = None,
) -> HttpResponse:
    """One page per stage change: GET shows what will happen (or why it cannot), POST does it."""
    enquiry = _enquiry_for_edit(request, pk)
    refusal = transition_refusal(name, standing=Standing.of(request.user, enquiry), enquiry=enquiry)
    if isinstance(refusal, TransitionNotPermitted):
        raise PermissionDenied(refusal.message)
    return versioned_form_page(
        request,
        form_class=form_class,
        form_kwargs=lambda _: form_kwargs(enquiry) if form_kwargs else {},
        record=enquiry,
        initial={"version": enquiry.version},
        template=template,
        context=_context(
            enquiry, title=title, submit_label=submit_label, **(extra(enquiry) if extra else {})
        ),
        closed=refusal.message if refusal is not None else "",
        refused_template=REFUSED_TEMPLATE,
        refusals=(TransitionRefused,),
        audit=lambda: access_record(actor=Actor.from_request(request), obj=enquiry, detail=title),
        save=lambda form: run(enquiry, form),
        success_message=success,
        success_url=enquiry.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def enquiry_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    def run(enquiry, form):
        return lifecycle.enquiry_allocate(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            lead_practitioner=form.cleaned_data["lead_practitioner"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )

    def form_kwargs(enquiry):
        candidates = User.objects.staff().filter(teams=enquiry.team_id).order_by("full_name")
        return {"enquiry": enquiry, "candidates": candidates}

    return _transition_page(
        request,
        pk,
        name=lifecycle.ALLOCATE,
        title="Allocate the enquiry",
        submit_label="Allocate",
        form_class=forms.AllocateForm,
        form_kwargs=form_kwargs,
        run=run,
        success="Enquiry allocated",
    )


@require_http_methods(["GET", "POST"])
def enquiry_start(request: HttpRequest, pk: int) -> HttpResponse:
    def run(enquiry, form):
        return lifecycle.enquiry_start(
            actor=Actor.from_request(request), enquiry=enquiry, expected_version=form.cleaned_data["version"]
        )

    return _transition_page(
        request,
        pk,
        name=lifecycle.START,
        title="Start work on the enquiry",
        submit_label="Start work",
        form_class=forms.StartForm,
        run=run,
        success="Work on the enquiry has started",
        extra=lambda e: {"intro": "The enquiry will move from open to in progress."},
    )


@require_http_methods(["GET", "POST"])
def enquiry_propose_closure(request: HttpRequest, pk: int) -> HttpResponse:
    def run(enquiry, form):
        return lifecycle.enquiry_propose_closure(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )

    return _transition_page(
        request,
        pk,
        name=lifecycle.PROPOSE_CLOSURE,
        title="Propose closure",
        submit_label="Propose closure",
        form_class=forms.ProposeClosureForm,
        run=run,
        success="Closure proposed: a manager will sign it off",
        template="enquiries/enquiry/propose_closure.html",
        extra=_gate_context,
    )


def _gate_context(enquiry: Enquiry) -> dict:
    """What the closure gate still needs, each with a link to the page (and field) that records it."""
    items = []
    for problem in enquiry_close_problems(enquiry):
        anchor = f"#{_field_anchor(problem.field)}" if problem.field else ""
        items.append((problem.message, problem.url + anchor))
    return {"gate_problems": items}


def _field_anchor(name: str) -> str:
    """The id to land on for a field of the details or closure forms: radios and checkboxes have no element
    with the field's own id (crispy-forms-gds numbers the options from 1), so their first option."""
    for form_class in (forms.ClosureDetailsForm, forms.EnquiryDetailsForm):
        field = form_class.base_fields.get(name)
        if field is not None and getattr(field.widget, "input_type", "") in ("radio", "checkbox"):
            return f"id_{name}_1"
    return f"id_{name}"


@require_http_methods(["GET", "POST"])
def enquiry_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    def run(enquiry, form):
        return lifecycle.enquiry_sign_off(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            approve=form.cleaned_data["decision"] == forms.SignOffForm.APPROVE,
            comments=form.cleaned_data["comments"],
            expected_version=form.cleaned_data["version"],
        )

    return _transition_page(
        request,
        pk,
        name=lifecycle.SIGN_OFF,
        title="Sign off closure",
        submit_label="Continue",
        form_class=forms.SignOffForm,
        run=run,
        success="Sign-off recorded",
        template="enquiries/enquiry/sign_off.html",
        extra=lambda e: {
            **_gate_context(e),
            "returns": closure_returns(enquiry=e),
            # What the manager must record here before approving (the organisation's perspective), or, once
            # recorded, what they approve the closure with.
            "sign_off_problems": [(p.message, p.url) for p in lifecycle.enquiry_sign_off_problems(e)],
            **page_context(SIGN_OFF_PAGE, user=request.user, enquiry=e),  # the perspective, once recorded
        },
    )


@require_http_methods(["GET", "POST"])
def enquiry_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def run(enquiry, form):
        return lifecycle.enquiry_reopen(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )

    return _transition_page(
        request,
        pk,
        name=lifecycle.REOPEN,
        title="Reopen the enquiry",
        submit_label="Reopen",
        form_class=forms.ReopenForm,
        run=run,
        success="Enquiry reopened",
        extra=lambda e: {"intro": "The enquiry will move back to in progress."},
    )


# Details ---------------------------------------------------------------------------------------------------


def _versioned_enquiry_edit(
    request: HttpRequest,
    pk: int,
    *,
    form_class,
    title: str,
    detail: str,
    with_risk_types: bool,
    draft_name: str,
) -> HttpResponse:
    actor = Actor.from_request(request)
    enquiry = _enquiry_for_edit(request, pk)
    # What the person types is kept as their draft until they save (msp_cases.drafts); the draft keeps the
    # version it was typed against, so a stale one is refused on saving as a crossed save.
    draft = draft_for_page(request, f"{draft_name}:enquiry:{enquiry.pk}")

    def save(form):
        saved = lifecycle.enquiry_details_update(
            actor=actor,
            enquiry=enquiry,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            m2m={"risk_types": form.cleaned_data["risk_types"]} if with_risk_types else None,
            detail=detail,
        )
        draft_discard(user=request.user, key=draft.key)
        return saved

    return versioned_form_page(
        request,
        form_class=form_class,
        record=enquiry,
        initial=form_class.initial_for(enquiry),
        template=FORM_TEMPLATE,
        context=_context(enquiry, title=title, submit_label="Save", **draft.context),
        closed=_closed(enquiry),
        refused_template=REFUSED_TEMPLATE,
        refusals=(TransitionRefused,),
        audit=lambda: access_record(actor=actor, obj=enquiry, detail=detail),
        save=save,
        shown_data=draft.data,
        success_message=f"{title} saved",
        success_url=enquiry.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def enquiry_edit_details(request: HttpRequest, pk: int) -> HttpResponse:
    return _versioned_enquiry_edit(
        request,
        pk,
        form_class=forms.EnquiryDetailsForm,
        title="Risk, capacity, advocacy and outcomes",
        detail="Enquiry details",
        with_risk_types=True,
        draft_name="enquiry-details",
    )


@require_http_methods(["GET", "POST"])
def enquiry_closure_details(request: HttpRequest, pk: int) -> HttpResponse:
    return _versioned_enquiry_edit(
        request,
        pk,
        form_class=forms.ClosureDetailsForm,
        title="Closure details",
        detail="Enquiry closure details",
        with_risk_types=False,
        draft_name="closure-details",
    )


urlpatterns = [
    path("enquiries/<int:pk>/", enquiry_detail, name="enquiry_detail"),
    path("enquiries/<int:pk>/allocate/", enquiry_allocate, name="enquiry_allocate"),
    path("enquiries/<int:pk>/start/", enquiry_start, name="enquiry_start"),
    path("enquiries/<int:pk>/propose-closure/", enquiry_propose_closure, name="enquiry_propose_closure"),
    path("enquiries/<int:pk>/sign-off/", enquiry_sign_off, name="enquiry_sign_off"),
    path("enquiries/<int:pk>/reopen/", enquiry_reopen, name="enquiry_reopen"),
    path("enquiries/<int:pk>/details/", enquiry_edit_details, name="enquiry_edit_details"),
    path("enquiries/<int:pk>/closure-details/", enquiry_closure_details, name="enquiry_closure_details"),
]
