"""Safeguarding concerns: record one, change it while it awaits a decision, decide on it, and see it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.pages import conflict_context, shown_as_typed, versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from .. import selectors, timescales
from ..forms.concerns import ConcernForm, add_service_errors
from ..forms.decisions import ConcernDecisionForm
from ..models import Enquiry, SafeguardingConcern
from ..panels import CONCERN_PAGE, page_context
from ..selectors.concerns import concern_enquiries
from ..selectors.repeats import concern_repeats
from ..services import concerns as services
from ..services.concern_allocation import concern_allocate_refusal
from ..services.concerns import CONCERN_FIELDS
from ..services.records import record_write_refusal
from .base import may_record_concerns, require_edit

ALREADY_DECIDED = (
    "A decision has already been recorded for this concern, so its details can no longer be changed"
)


@require_GET
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    access_record(actor=Actor.from_request(request), obj=concern, detail="Safeguarding concern")
    repeats = concern_repeats(user=request.user, concern=concern)
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[c.person_id for c in repeats.shown],
        detail="Concern listed as a repeat concern",
    )
    pending = concern.decision == SafeguardingConcern.Decision.PENDING
    return render(
        request,
        "enquiries/concern_detail.html",
        {
            "concern": concern,
            "person": concern.person,
            "risk_types": list(concern.risk_types.all()),
            "enquiries": concern_enquiries(user=request.user, concern=concern),
            "can_edit": request.user.has_perm(EDIT_CASE, concern),
            "write_refusal": record_write_refusal(concern),
            "pending": pending,
            # Allocation is the manager's own step (enquiries.services.concern_allocation).
            "may_allocate": pending and concern_allocate_refusal(user=request.user, concern=concern) is None,
            "decision_due": timescales.decision_due(concern),
            "decision_overdue": timescales.decision_overdue(concern),
            "decision_working_days": timescales.decision_working_days(),
            "repeats": repeats,
            **page_context(CONCERN_PAGE, user=request.user, concern=concern),
        },
    )


def _require_can_record_concerns(request: HttpRequest) -> None:
    # Unit staff are read-only and administrators see no cases: neither records concerns.
    if not may_record_concerns(request.user):
        raise Http404


@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    _require_can_record_concerns(request)
    if not request.GET.get("person"):
        # A concern is always about someone: find them (or add them) first, so no duplicate is created here.
        return render(request, "enquiries/concerns/choose_person.html")
    person = selectors.person_get_for_user(user=request.user, pk=request.GET["person"])
    require_edit(request, person)
    # What the person types is kept as their draft until they save (msp_cases.drafts).
    draft = draft_for_page(request, f"concern-add:person:{person.pk}")
    if draft.continuing:
        form = shown_as_typed(ConcernForm, draft.data, user=request.user)
    else:
        form = ConcernForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_record(actor=actor, person=person, **form.concern_fields())
        except ValidationError as error:
            add_service_errors(form, error.message_dict, ConcernForm.ERROR_FIELD)
        else:
            draft_discard(user=request.user, key=draft.key)
            messages.success(request, "Safeguarding concern recorded")
            return redirect(concern)
    access_record(actor=actor, obj=person, detail="New safeguarding concern form")
    return render(
        request,
        "enquiries/concerns/concern_form.html",
        {
            "form": form,
            "person": person,
            "title": "Record a safeguarding concern",
            "submit_label": "Save concern",
            "cancel_url": person.get_absolute_url(),
            **draft.context,
        },
    )


def _shown(concern: SafeguardingConcern, name: str) -> str:
    if name == "received_at":
        return f"{timezone.localtime(concern.received_at):%-d %B %Y, %H:%M}"
    if name == "referrer_anonymous":
        return "Yes" if concern.referrer_anonymous else "No"
    display = getattr(concern, f"get_{name}_display", None)
    return str(display() if display else getattr(concern, name) or "")


def _concern_conflict(form: ConcernForm, current: SafeguardingConcern) -> dict:
    """What someone else changed since this user loaded the form: the record as it was at the version the
    user loaded (from its history) against the record now. The user's own input stays in the bound form."""
    context = conflict_context(form, current)
    loaded = current.history.filter(version=form.cleaned_data["version"]).order_by("-history_date").first()
    labels = {name: form.fields[name].label for name in CONCERN_FIELDS if name in form.fields}
    labels["received_at"] = "Received"
    changes = []
    for name in CONCERN_FIELDS:
        before = _shown(loaded, name) if loaded is not None else None
        if before != _shown(current, name):
            changes.append((labels[name], _shown(current, name)))
    # Types of risk are not in the history: compare with what this user submitted.
    theirs = sorted(current.risk_types.all(), key=lambda r: r.order)
    if sorted(r.code for r in theirs) != sorted(r.code for r in form.cleaned_data.get("risk_types", [])):
        changes.append((form.fields["risk_types"].label, ", ".join(str(r) for r in theirs)))
    context["conflict_changes"] = changes
    return context


@require_http_methods(["GET", "POST"])
def concern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    require_edit(request, concern)
    if concern.decision != SafeguardingConcern.Decision.PENDING:
        messages.info(request, ALREADY_DECIDED)
        return redirect(concern)
    # The draft keeps the version it was typed against: a stale one is refused on saving as a crossed save.
    draft = draft_for_page(request, f"concern-edit:concern:{concern.pk}")

    def save(form: ConcernForm) -> SafeguardingConcern:
        fields = form.concern_fields()
        risk_types = fields.pop("risk_types")
        saved = services.concern_update(
            actor=actor,
            concern=concern,
            expected_version=form.cleaned_data["version"],
            changes=fields,
            risk_types=risk_types,
        )
        draft_discard(user=request.user, key=draft.key)
        return saved

    try:
        return versioned_form_page(
            request,
            form_class=ConcernForm,
            form_kwargs=lambda record: {"user": request.user, "instance": record},
            record=concern,
            initial=ConcernForm.initial_from(concern),
            template="enquiries/concerns/concern_form.html",
            context={
                "person": concern.person,
                "concern": concern,
                "title": "Change the safeguarding concern",
                "submit_label": "Save changes",
                "cancel_url": concern.get_absolute_url(),
                **draft.context,
            },
            audit=lambda: access_record(actor=actor, obj=concern, detail="Change safeguarding concern form"),
            describe_conflict=_concern_conflict,
            save=save,
            shown_data=draft.data,
            success_message="Safeguarding concern updated",
            success_url=concern.get_absolute_url(),
        )
    except services.ConcernAlreadyDecided:
        # Someone recorded the decision after this page was loaded: the details are fixed now.
        messages.info(request, ALREADY_DECIDED)
        return redirect(concern)


def _decision_page_context(concern: SafeguardingConcern) -> dict:
    return {
        "concern": concern,
        "person": concern.person,
        "risk_types": list(concern.risk_types.all()),
        "decision_due": timescales.decision_due(concern),
        "decision_overdue": timescales.decision_overdue(concern),
        "submit_label": "Record the decision",
        "cancel_url": concern.get_absolute_url(),
    }


@require_http_methods(["GET", "POST"])
def concern_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    require_edit(request, concern)
    if concern.decision != SafeguardingConcern.Decision.PENDING:
        messages.info(request, "A decision has already been recorded for this concern")
        return redirect(concern)
    # The draft keeps the version it was typed against: a draft older than a change to the concern's details
    # is refused on saving as a crossed save, and shown again with the new details.
    draft = draft_for_page(request, f"concern-decision:concern:{concern.pk}")

    def save(form: ConcernDecisionForm) -> Enquiry | None:
        enquiry = services.concern_decide(actor=actor, concern=concern, **form.decision_fields())
        draft_discard(user=request.user, key=draft.key)
        return enquiry

    def describe_conflict(form: ConcernDecisionForm, current: SafeguardingConcern) -> dict:
        # The concern's details changed since this page was loaded: show them again before deciding.
        return {**conflict_context(form, current), "conflict_changes": [], **_decision_page_context(current)}

    def success_message(enquiry: Enquiry | None) -> str:
        if enquiry is None:
            return "Decision recorded: no further safeguarding action"
        return f"Decision recorded. {enquiry.get_enquiry_type_display()} opened"

    try:
        return versioned_form_page(
            request,
            form_class=ConcernDecisionForm,
            form_kwargs=lambda record: {"concern": record},
            record=concern,
            template="enquiries/concerns/decide.html",
            context={**_decision_page_context(concern), **draft.context},
            audit=lambda: access_record(
                actor=actor, obj=concern, detail="Decision on a safeguarding concern form"
            ),
            describe_conflict=describe_conflict,
            save=save,
            shown_data=draft.data,
            success_message=success_message,
            success_url=lambda enquiry: (enquiry or concern).get_absolute_url(),
        )
    except services.ConcernAlreadyDecided:
        # A double submit, or someone else decided first: one decision, one enquiry.
        messages.info(request, "A decision has already been recorded for this concern")
        return redirect(concern)


urlpatterns = [
    path("concerns/new/", concern_create, name="concern_create"),
    path("concerns/<int:pk>/", concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/edit/", concern_edit, name="concern_edit"),
    path("concerns/<int:pk>/decision/", concern_decide, name="concern_decide"),
]
