"""The safeguarding plan and meetings of an enquiry: add and change plan actions, record a meeting."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from msp_cases import access
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from ..forms import plans as forms
from ..models import PlanAction
from ..services import plans
from .enquiry import FORM_TEMPLATE, REFUSED_TEMPLATE, _closed, _context, _enquiry_for_edit


@require_http_methods(["GET", "POST"])
def plan_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    enquiry = _enquiry_for_edit(request, pk)
    title = "Add an action to the safeguarding plan"
    if request.method == "GET":
        access_record(actor=actor, obj=enquiry, detail="New plan action form")
    # What the person types is kept as their draft until they save (msp_cases.drafts).
    draft = draft_for_page(request, f"plan-action-add:enquiry:{enquiry.pk}")

    def save(form):
        action = plans.plan_action_add(actor=actor, enquiry=enquiry, **form.changes())
        draft_discard(user=request.user, key=draft.key)
        return action

    return versioned_form_page(
        request,
        form_class=forms.PlanActionForm,
        template=FORM_TEMPLATE,
        context=_context(enquiry, title=title, submit_label="Add action", **draft.context),
        closed=_closed(enquiry),
        refused_template=REFUSED_TEMPLATE,
        save=save,
        shown_data=draft.data,
        success_message="Action added to the plan",
        success_url=reverse("enquiries:enquiry_detail", args=[enquiry.pk]) + "#plan",
    )


@require_http_methods(["GET", "POST"])
def plan_action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    action = access.get_in_scope_or_404(PlanAction.objects.all(), request.user, pk=pk)
    enquiry = _enquiry_for_edit(request, action.enquiry_id)
    action.enquiry = enquiry
    # The draft keeps the version it was typed against: a stale one is refused on saving as a crossed save.
    draft = draft_for_page(request, f"plan-action-edit:plan-action:{action.pk}")
    context = _context(enquiry, title="Change a plan action", submit_label="Save", **draft.context)
    context["cancel_url"] += "#plan"

    def save(form):
        saved = plans.plan_action_update(
            actor=actor,
            action=action,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            **form.date_move(),
        )
        draft_discard(user=request.user, key=draft.key)
        return saved

    return versioned_form_page(
        request,
        form_class=forms.PlanActionEditForm,
        form_kwargs=lambda current: {"action": current},
        record=action,
        initial=forms.PlanActionEditForm.initial_for(action),
        template=FORM_TEMPLATE,
        context=context,
        closed=_closed(enquiry),
        refused_template=REFUSED_TEMPLATE,
        audit=lambda: access_record(actor=actor, obj=action, person=enquiry.person, detail="Plan action"),
        save=save,
        shown_data=draft.data,
        # The date moved under the user's feet in a way the form could not see: same messages, as a conflict.
        service_error_status=409,
        success_message="Plan action saved",
        success_url=context["cancel_url"],
    )


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    enquiry = _enquiry_for_edit(request, pk)
    if request.method == "GET":
        access_record(actor=actor, obj=enquiry, detail="New meeting form")
    return versioned_form_page(
        request,
        form_class=forms.MeetingForm,
        form_kwargs=lambda _: {"enquiry": enquiry},
        template=FORM_TEMPLATE,
        context=_context(enquiry, title="Record a meeting", submit_label="Save meeting"),
        closed=_closed(enquiry),
        refused_template=REFUSED_TEMPLATE,
        save=lambda form: plans.meeting_add(actor=actor, enquiry=enquiry, **form.cleaned_data),
        success_message="Meeting recorded",
        success_url=reverse("enquiries:enquiry_detail", args=[enquiry.pk]) + "?show=meetings#timeline",
    )


urlpatterns = [
    path("enquiries/<int:pk>/plan/new/", plan_action_add, name="plan_action_add"),
    path("plan-actions/<int:pk>/edit/", plan_action_edit, name="plan_action_edit"),
    path("enquiries/<int:pk>/meetings/new/", meeting_add, name="meeting_add"),
]
