"""The conversation log: record an entry on an enquiry or a concern, read it, and correct it by amendment.

Append-only: there is deliberately no edit or delete URL. See enquiries.services.conversations."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods

from msp_cases.accounts.roles import ADD_CONCERN, EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import add_service_errors, shown_as_typed, versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from .. import selectors
from ..forms.conversations import ConversationAmendForm, ConversationForm
from ..models import ConversationLog
from ..selectors.conversations import conversation_amendments, conversation_get_for_user
from ..services.conversations import (
    CLOSED_MESSAGE,
    CONTENT_FIELDS,
    conversation_amend,
    conversation_earliest,
    conversation_latest_version,
    conversation_record,
    conversation_root,
)
from ..services.lifecycle import EnquiryClosed
from ..services.records import ConcernEnquiryClosed, record_write_refusal
from .base import require_edit


def _closed(request: HttpRequest, refusal: EnquiryClosed, *, person, back_url: str) -> HttpResponse:
    """The refusal page: the enquiry (or the concern's enquiry) is closed, so nothing can be recorded."""
    status = 409 if request.method == "POST" else 200
    through_concern = isinstance(refusal, ConcernEnquiryClosed)
    new_concern_url = None
    if through_concern and request.user.has_perm(ADD_CONCERN):
        # New information after closure is a new concern about the person.
        new_concern_url = f"{reverse('enquiries:concern_create')}?{urlencode({'person': person.pk})}"
    return render(
        request,
        "enquiries/conversations/closed.html",
        {
            "person": person,
            "back_url": back_url,
            "message": refusal.message if through_concern else CLOSED_MESSAGE,
            "through_concern": through_concern,
            "new_concern_url": new_concern_url,
        },
        status=status,
    )


def _record(request: HttpRequest, *, enquiry=None, concern=None) -> HttpResponse:
    actor = Actor.from_request(request)
    parent = enquiry or concern
    require_edit(request, parent)
    if request.method == "GET":
        access_record(actor=actor, obj=parent, detail="New conversation form")
    back_url = parent.get_absolute_url()
    refusal = record_write_refusal(parent)
    if refusal is not None:
        return _closed(request, refusal, person=parent.person, back_url=back_url)
    earliest = conversation_earliest(enquiry=enquiry, concern=concern)
    # What the person types is kept as their draft until they save (msp_cases.drafts).
    draft = draft_for_page(request, f"conversation-add:{parent._meta.model_name}:{parent.pk}")
    if draft.continuing:
        form = shown_as_typed(ConversationForm, draft.data, earliest=earliest)
    else:
        form = ConversationForm(request.POST or None, earliest=earliest)
    if request.method == "POST" and form.is_valid():
        try:
            log = conversation_record(
                actor=actor, enquiry=enquiry, concern=concern, fields=form.model_values()
            )
        except EnquiryClosed as refusal:  # closed since the page was checked
            return _closed(request, refusal, person=parent.person, back_url=back_url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            draft_discard(user=request.user, key=draft.key)
            messages.success(request, "Conversation recorded")
            return redirect("enquiries:conversation_detail", pk=log.pk)
    return render(
        request,
        "enquiries/conversations/form.html",
        {
            "form": form,
            "person": parent.person,
            "enquiry": enquiry,
            "concern": concern,
            "cancel_url": back_url,
            "submit_label": "Save conversation",
            **draft.context,
        },
    )


@require_http_methods(["GET", "POST"])
def conversation_add_enquiry(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    return _record(request, enquiry=enquiry)


@require_http_methods(["GET", "POST"])
def conversation_add_concern(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    return _record(request, concern=concern)


def _case_url(log: ConversationLog) -> str:
    parent = log.enquiry or log.concern or log.person
    return parent.get_absolute_url()


@require_http_methods(["GET"])
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log = conversation_get_for_user(user=request.user, pk=pk)
    access_record(actor=Actor.from_request(request), obj=log, detail="Conversation")
    root = conversation_root(log)
    amendments = list(conversation_amendments(log=log))
    changed = []
    if log.amends_id:
        # What this amendment corrected, against the version it replaced (newest first, so the next one on).
        older = [a for a in amendments if a.pk < log.pk]
        changed = _differences(older[0] if older else root, log)
    can_amend = request.user.has_perm(EDIT_CASE, log) and record_write_refusal(log) is None
    return render(
        request,
        "enquiries/conversations/detail.html",
        {
            "log": log,
            "root": root,
            "person": log.person,
            "amendments": amendments,
            # The newest version is what now stands; an older one is shown with a pointer to it.
            "latest": amendments[0] if amendments else root,
            "can_amend": can_amend,
            "changed": changed,
            "case_url": _case_url(log),
        },
    )


@require_http_methods(["GET", "POST"])
def conversation_amend_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    log = conversation_get_for_user(user=request.user, pk=pk)
    require_edit(request, log)
    root = conversation_root(log)
    refusal = record_write_refusal(root)
    if refusal is not None:
        return _closed(request, refusal, person=log.person, back_url=log_url(root))
    latest = conversation_latest_version(root)
    earliest = conversation_earliest(enquiry=root.enquiry, concern=root.concern)
    # A draft keeps the `based_on` it was typed against: a draft older than a later amendment is refused on
    # saving as any crossed save is, never silently applied over it.
    draft = draft_for_page(request, f"conversation-amend:conversation:{root.pk}")

    def save(form: ConversationAmendForm) -> ConversationLog:
        amendment = conversation_amend(
            actor=actor,
            original=root,
            fields=form.model_values(),
            reason=form.cleaned_data["amendment_reason"],
            based_on_pk=form.cleaned_data["based_on"],
        )
        draft_discard(user=request.user, key=draft.key)
        return amendment

    def describe_conflict(form: ConversationAmendForm, current: ConversationLog) -> dict:
        started_from = ConversationLog.objects.filter(pk=form.cleaned_data["based_on"]).first()
        # Saving again after checking their change builds on it (what the user typed stays as typed).
        form.data = form.data.copy()
        form.data["based_on"] = str(current.pk)
        return {**_amend_conflict(started_from or root, current), "latest": current}

    return versioned_form_page(
        request,
        form_class=ConversationAmendForm,
        form_kwargs=lambda _: {"earliest": earliest, "unchanged_next_contact": latest.next_contact_on},
        initial={**ConversationForm.initial_from(latest), "based_on": latest.pk},
        template="enquiries/conversations/amend.html",
        context={
            "person": log.person,
            "original": root,
            "latest": latest,
            "cancel_url": log_url(root),
            "submit_label": "Save amendment",
            **draft.context,
        },
        describe_conflict=describe_conflict,
        save=save,
        shown_data=draft.data,
        success_message="Amendment saved. The original entry is kept as it was.",
        success_url=log_url,
    )


def _shown(log: ConversationLog, name: str) -> str:
    field = ConversationLog._meta.get_field(name)
    value = getattr(log, name)
    if field.choices:
        return getattr(log, f"get_{name}_display")()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "occurred_at":
        return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    return value or ""


def _differences(before: ConversationLog, after: ConversationLog) -> list[tuple[str, str, str]]:
    """(answer, before, after) for every answer that differs between two versions of an entry."""
    return [
        (
            capfirst(ConversationLog._meta.get_field(name).verbose_name),
            _shown(before, name),
            _shown(after, name),
        )
        for name in CONTENT_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]


def _amend_conflict(started_from: ConversationLog, current: ConversationLog) -> dict:
    """The conflict banner's context (templates/includes/form_page.html): the answers the other person's
    amendment changed since the version this user started from, and who made it."""
    changes = [(label, now) for label, _before, now in _differences(started_from, current)]
    return {"conflict": current, "conflict_changes": changes, "conflict_by": current.recorded_by}


def log_url(log: ConversationLog) -> str:
    return reverse("enquiries:conversation_detail", args=[log.pk])


urlpatterns = [
    path("enquiries/<int:pk>/conversations/new/", conversation_add_enquiry, name="conversation_add_enquiry"),
    path("concerns/<int:pk>/conversations/new/", conversation_add_concern, name="conversation_add_concern"),
    path("conversations/<int:pk>/", conversation_detail, name="conversation_detail"),
    path("conversations/<int:pk>/amend/", conversation_amend_view, name="conversation_amend"),
]
