"""Desired outcome pages. Thin: fetch in scope (404 otherwise), check edit access on the enquiry, parse the
form, call one service, redirect with a message."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from enquiries import selectors as enquiry_selectors
from enquiries.models import Enquiry
from enquiries.services.lifecycle import TransitionRefused
from enquiries.views.base import require_edit
from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from . import forms, selectors, services
from .models import DesiredOutcome

FORM_TEMPLATE = "outcomes/form.html"
REFUSED_TEMPLATE = "enquiries/enquiry/refused.html"
CLOSED = "This enquiry is closed. A manager must reopen it first."


def _context(enquiry: Enquiry, outcome: DesiredOutcome | None = None, **extra) -> dict:
    cancel = outcome.get_absolute_url() if outcome else enquiry.get_absolute_url()
    return {"enquiry": enquiry, "person": enquiry.person, "outcome": outcome, "cancel_url": cancel, **extra}


def _outcome_for_edit(request: HttpRequest, pk: int) -> DesiredOutcome:
    outcome = selectors.outcome_get_for_user(user=request.user, pk=pk)
    require_edit(request, outcome.enquiry)
    return outcome


@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    enquiry = enquiry_selectors.enquiry_get_for_user(user=request.user, pk=pk)
    require_edit(request, enquiry)
    title = "Add what the person wants to happen"
    # What the person types is kept as their draft until they save (msp_cases.drafts).
    draft = draft_for_page(request, f"outcome-add:enquiry:{enquiry.pk}")

    def save(form):
        data = form.cleaned_data
        outcome = services.outcome_add(
            actor=actor,
            enquiry=enquiry,
            words=data["words"],
            expressed_by=data["expressed_by"],
            expressed_on=data["expressed_on"],
            conversation=data["conversation"],
            practitioner_note=data["practitioner_note"],
            priority=data["priority"],
            expectations_discussion=data["expectations_discussion"],
        )
        draft_discard(user=request.user, key=draft.key)
        return outcome

    def success_message(outcome):
        text = "Outcome added"
        if outcome.outcomes_asked_changed:
            text += ". The enquiry now records that the person was asked and outcomes were expressed"
        return text

    return versioned_form_page(
        request,
        form_class=forms.OutcomeAddForm,
        form_kwargs=lambda _: {"enquiry": enquiry},
        template=FORM_TEMPLATE,
        context=_context(enquiry, title=title, submit_label="Save outcome", **draft.context),
        closed=CLOSED if enquiry.status == Enquiry.Status.CLOSED else "",
        refused_template=REFUSED_TEMPLATE,
        refusals=(TransitionRefused,),
        audit=lambda: access_record(actor=actor, obj=enquiry, detail="Add desired outcome"),
        save=save,
        shown_data=draft.data,
        success_message=success_message,
        success_url=enquiry.get_absolute_url(),
    )


@require_GET
def outcome_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = selectors.outcome_get_for_user(user=request.user, pk=pk)
    enquiry = outcome.enquiry
    can_edit = enquiry.status != Enquiry.Status.CLOSED and request.user.has_perm(EDIT_CASE, enquiry)
    access_record(
        actor=Actor.from_request(request), obj=outcome, person=enquiry.person, detail="Desired outcome"
    )
    return render(
        request,
        "outcomes/detail.html",
        {
            "outcome": outcome,
            "enquiry": enquiry,
            "person": enquiry.person,
            "revisions": list(outcome.revisions.all()),
            "can_edit": can_edit and outcome.is_active,
            "can_record_achievement": can_edit
            and outcome.is_active
            and enquiry.status in services.ACHIEVEMENT_STAGES,
        },
    )


def _versioned_page(
    request, pk, *, form_class, title, submit_label, success, run, initial, draft_name, intro="", refusal=None
):
    outcome = _outcome_for_edit(request, pk)
    enquiry = outcome.enquiry
    if refusal is None:
        refusal = _refusal(outcome)
    # What the person types is kept as their draft until they save (msp_cases.drafts); the draft keeps the
    # version it was typed against, so a stale one is refused on saving as a crossed save.
    draft = draft_for_page(request, f"{draft_name}:outcome:{outcome.pk}")

    def save(form):
        saved = run(outcome, form.cleaned_data)
        draft_discard(user=request.user, key=draft.key)
        return saved

    return versioned_form_page(
        request,
        form_class=form_class,
        record=outcome,
        initial={"version": outcome.version, **initial(outcome)},
        template=FORM_TEMPLATE,
        context=_context(
            enquiry, outcome, title=title, submit_label=submit_label, intro=intro, **draft.context
        ),
        closed=refusal,
        refused_template=REFUSED_TEMPLATE,
        refusals=(TransitionRefused,),
        audit=lambda: access_record(
            actor=Actor.from_request(request), obj=outcome, person=enquiry.person, detail=title
        ),
        save=save,
        shown_data=draft.data,
        success_message=success,
        success_url=outcome.get_absolute_url(),
    )


def _refusal(outcome: DesiredOutcome) -> str:
    """Why this outcome cannot be changed now, or "" when it can."""
    if outcome.enquiry.status == Enquiry.Status.CLOSED:
        return CLOSED
    if not outcome.is_active:
        return "This outcome was withdrawn, so it can no longer be changed."
    return ""


@require_http_methods(["GET", "POST"])
def outcome_revise(request: HttpRequest, pk: int) -> HttpResponse:
    def run(outcome, data):
        services.outcome_revise(
            actor=Actor.from_request(request),
            outcome=outcome,
            expected_version=data["version"],
            words=data["words"],
            expressed_by=data["expressed_by"],
            expressed_on=data["expressed_on"],
            reason=data["reason"],
        )

    return _versioned_page(
        request,
        pk,
        form_class=forms.OutcomeReviseForm,
        title="Change what the person wants to happen",
        submit_label="Save the new words",
        success="Outcome changed. The earlier words are kept in its history",
        run=run,
        draft_name="outcome-revise",
        initial=lambda o: {"words": o.words, "expressed_by": o.expressed_by, "expressed_on": o.expressed_on},
        intro="The earlier words, who said them and when are kept.",
    )


@require_http_methods(["GET", "POST"])
def outcome_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(outcome, data):
        services.outcome_withdraw(
            actor=Actor.from_request(request),
            outcome=outcome,
            expected_version=data["version"],
            reason=data["reason"],
        )

    return _versioned_page(
        request,
        pk,
        form_class=forms.OutcomeWithdrawForm,
        title="Withdraw this outcome",
        submit_label="Withdraw outcome",
        success="Outcome withdrawn. It stays on the record",
        run=run,
        draft_name="outcome-withdraw",
        initial=lambda o: {},
        intro=(
            "Withdraw an outcome when the person no longer wants it. "
            "It stays on the record, with your reason."
        ),
    )


@require_http_methods(["GET", "POST"])
def outcome_achievement(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _outcome_for_edit(request, pk)
    refusal = None
    if (
        outcome.enquiry.status not in services.ACHIEVEMENT_STAGES
        and outcome.enquiry.status != Enquiry.Status.CLOSED
    ):
        refusal = services.AchievementNotYet().message

    def run(outcome, data):
        services.outcome_record_achievement(
            actor=Actor.from_request(request),
            outcome=outcome,
            expected_version=data["version"],
            achievement=data["achievement"],
            person_comment=data["person_comment"],
            practitioner_view=data["practitioner_view"],
            practitioner_comment=data["practitioner_comment"],
        )

    return _versioned_page(
        request,
        pk,
        form_class=forms.OutcomeAchievementForm,
        title="Record how far the outcome was achieved",
        submit_label="Save",
        success="Achievement recorded",
        run=run,
        draft_name="outcome-achievement",
        initial=lambda o: {name: getattr(o, name) for name in forms.OutcomeAchievementForm.FIELDS},
        intro="As the person sees it. Add your own view only where it differs.",
        refusal=refusal,
    )
