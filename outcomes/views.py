"""Desired outcome pages. Thin: fetch in scope (404 otherwise), check edit access on the enquiry, parse the
form, call one service, redirect with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from enquiries import selectors as enquiry_selectors
from enquiries.models import Enquiry
from enquiries.services.lifecycle import TransitionRefused
from enquiries.views.base import conflict_context, require_edit
from msp_cases.audit.services import access_record
from msp_cases.core.concurrency import ConcurrentEditError

from . import forms, selectors, services
from .models import DesiredOutcome

FORM_TEMPLATE = "outcomes/form.html"
REFUSED_TEMPLATE = "enquiries/enquiry/refused.html"


def _context(enquiry: Enquiry, outcome: DesiredOutcome | None = None, **extra) -> dict:
    cancel = outcome.get_absolute_url() if outcome else enquiry.get_absolute_url()
    return {"enquiry": enquiry, "person": enquiry.person, "outcome": outcome, "cancel_url": cancel, **extra}


def _refused(request, enquiry, title, message, outcome=None) -> HttpResponse:
    status = 200 if request.method == "GET" else 409
    return render(
        request, REFUSED_TEMPLATE, _context(enquiry, outcome, title=title, message=message), status=status
    )


def _outcome_for_edit(request: HttpRequest, pk: int) -> DesiredOutcome:
    outcome = selectors.outcome_get_for_user(user=request.user, pk=pk)
    require_edit(request, outcome.enquiry)
    return outcome


def _apply_errors(form, exc: ValidationError) -> None:
    fields = set(form.fields)
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in fields else None, error)


@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_selectors.enquiry_get_for_user(user=request.user, pk=pk)
    require_edit(request, enquiry)
    title = "Add what the person wants to happen"
    if enquiry.status == Enquiry.Status.CLOSED:
        return _refused(request, enquiry, title, "This enquiry is closed. A manager must reopen it first.")
    context = _context(enquiry, title=title, submit_label="Save outcome")
    if request.method == "POST":
        form = forms.OutcomeAddForm(request.POST, enquiry=enquiry)
        if form.is_valid() and not form.needs_confirmation:
            data = form.cleaned_data
            try:
                outcome = services.outcome_add(
                    request=request,
                    enquiry=enquiry,
                    words=data["words"],
                    expressed_by=data["expressed_by"],
                    expressed_on=data["expressed_on"],
                    conversation=data["conversation"],
                    practitioner_note=data["practitioner_note"],
                    priority=data["priority"],
                    expectations_discussion=data["expectations_discussion"],
                )
            except ValidationError as e:
                _apply_errors(form, e)
            except TransitionRefused as e:
                form.add_error(None, e.message)
                return render(request, FORM_TEMPLATE, {**context, "form": form}, status=409)
            else:
                text = "Outcome added"
                if outcome.outcomes_asked_changed:
                    text += ". The enquiry now records that the person was asked and outcomes were expressed"
                messages.success(request, text)
                return redirect(enquiry)
    else:
        form = forms.OutcomeAddForm(enquiry=enquiry)
        access_record(request=request, obj=enquiry, detail="Add desired outcome")
    return render(request, FORM_TEMPLATE, {**context, "form": form})


@require_GET
def outcome_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = selectors.outcome_get_for_user(user=request.user, pk=pk)
    enquiry = outcome.enquiry
    can_edit = enquiry.status != Enquiry.Status.CLOSED and request.user.has_perm(
        "enquiries.edit_case", enquiry
    )
    access_record(request=request, obj=outcome, person=enquiry.person, detail="Desired outcome")
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


def _versioned_page(request, pk, *, form_class, title, submit_label, success, run, initial, intro=""):
    outcome = _outcome_for_edit(request, pk)
    enquiry = outcome.enquiry
    if enquiry.status == Enquiry.Status.CLOSED:
        return _refused(
            request, enquiry, title, "This enquiry is closed. A manager must reopen it first.", outcome
        )
    if not outcome.is_active:
        return _refused(
            request, enquiry, title, "This outcome was withdrawn, so it can no longer be changed.", outcome
        )
    context = _context(enquiry, outcome, title=title, submit_label=submit_label, intro=intro)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid() and not getattr(form, "needs_confirmation", False):
            try:
                run(outcome, form.cleaned_data)
            except ConcurrentEditError as e:
                form = _with_version(form_class, request.POST, e.current)
                form.is_valid()
                return render(
                    request,
                    FORM_TEMPLATE,
                    {**context, "form": form, **conflict_context(form, e.current)},
                    status=409,
                )
            except ValidationError as e:
                _apply_errors(form, e)
            except TransitionRefused as e:
                form.add_error(None, e.message)
                return render(request, FORM_TEMPLATE, {**context, "form": form}, status=409)
            else:
                messages.success(request, success)
                return redirect(outcome)
    else:
        form = form_class(initial={"version": outcome.version, **initial(outcome)})
        access_record(request=request, obj=outcome, person=enquiry.person, detail=title)
    return render(request, FORM_TEMPLATE, {**context, "form": form})


def _with_version(form_class, data, current: DesiredOutcome):
    """The same input, now carrying the version just refused (saving again is a deliberate choice), with the
    values this user started from (the outcome's history at the version they loaded), so the notice lists
    exactly what the other person changed."""
    refused = int(data.get("version") or 0)
    old = current.history.filter(version=refused).order_by("-history_date").first()
    initial = {name: getattr(old, name) for name in getattr(form_class, "FIELDS", [])} if old else {}
    data = data.copy()
    data["version"] = str(current.version)
    return form_class(data, initial=initial)


@require_http_methods(["GET", "POST"])
def outcome_revise(request: HttpRequest, pk: int) -> HttpResponse:
    def run(outcome, data):
        services.outcome_revise(
            request=request,
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
        initial=lambda o: {"words": o.words, "expressed_by": o.expressed_by, "expressed_on": o.expressed_on},
        intro="The earlier words, who said them and when are kept.",
    )


@require_http_methods(["GET", "POST"])
def outcome_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(outcome, data):
        services.outcome_withdraw(
            request=request, outcome=outcome, expected_version=data["version"], reason=data["reason"]
        )

    return _versioned_page(
        request,
        pk,
        form_class=forms.OutcomeWithdrawForm,
        title="Withdraw this outcome",
        submit_label="Withdraw outcome",
        success="Outcome withdrawn. It stays on the record",
        run=run,
        initial=lambda o: {},
        intro=(
            "Withdraw an outcome when the person no longer wants it. "
            "It stays on the record, with your reason."
        ),
    )


@require_http_methods(["GET", "POST"])
def outcome_achievement(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _outcome_for_edit(request, pk)
    if (
        outcome.enquiry.status not in services.ACHIEVEMENT_STAGES
        and outcome.enquiry.status != Enquiry.Status.CLOSED
    ):
        return _refused(
            request,
            outcome.enquiry,
            "Record how far the outcome was achieved",
            services.AchievementNotYet().message,
            outcome,
        )

    def run(outcome, data):
        services.outcome_record_achievement(
            request=request,
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
        initial=lambda o: {name: getattr(o, name) for name in forms.OutcomeAchievementForm.FIELDS},
        intro="As the person sees it. Add your own view only where it differs.",
    )
