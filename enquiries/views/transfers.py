"""Transfers between teams: ask for one (from a concern or an enquiry), the receiving team's managers' list
and their accept or decline, a concern sent to the team that holds the person (from the duplicate check),
and a second concern added to an open enquiry. Thin views: forms parse, enquiries.services.transfers writes,
enquiries.selectors.transfers reads."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msp_cases import access
from msp_cases.accounts.roles import ADD_CONCERN, EDIT_CASE
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError
from msp_cases.core.exceptions import ServiceRefused

from .. import selectors
from ..forms.concerns import add_service_errors
from ..forms.transfers import (
    ConcernJoinForm,
    PersonIdentityForm,
    ReferralConcernForm,
    TransferAcceptForm,
    TransferDeclineForm,
    TransferRequestForm,
)
from ..selectors import transfers as transfer_selectors
from ..services import transfers as services
from ..services.records import record_write_refusal
from ..transfer_rules import may_decide_transfers, transfer_request_refusal
from .base import require_edit


def _refused(form, refusal: ServiceRefused) -> None:
    """A service's refusal on the form: against its question when it names one, else at the top."""
    target = refusal.field if refusal.field in form.fields else None
    form.add_error(target, refusal.message)


def _request_page(request: HttpRequest, *, record, kind: str) -> HttpResponse:
    """Ask for `record` (a concern or an enquiry, already in scope) to move to another team."""
    actor = Actor.from_request(request)
    require_edit(request, record)
    refusal = record_write_refusal(record) or transfer_request_refusal(user=request.user, record=record)
    pending = transfer_selectors.pending_transfer(
        transfer_selectors.record_transfers(user=request.user, **{kind: record})
    )
    form = TransferRequestForm(request.POST or None, record=record)
    if request.method == "POST" and refusal is None and pending is None and form.is_valid():
        try:
            services.transfer_request(actor=actor, **{kind: record}, **form.cleaned_data)
        except ServiceRefused as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                f"Transfer asked for. It stays with {record.team} until a manager in "
                f"{form.cleaned_data['to_team']} accepts it.",
            )
            return redirect(record)
    if request.method == "GET":
        access_record(actor=actor, obj=record, detail="Transfer to another team form")
    return render(
        request,
        "enquiries/transfers/request.html",
        {
            "form": form,
            "record": record,
            "person": record.person,
            "kind": kind,
            "refusal": refusal,
            "pending": pending,
            "title": f"Transfer this {kind} to another team",
            "submit_label": "Ask for the transfer",
            "cancel_url": record.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def concern_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    return _request_page(request, record=concern, kind="concern")


@require_http_methods(["GET", "POST"])
def enquiry_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    return _request_page(request, record=enquiry, kind="enquiry")


@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    """Transfers waiting for the user's teams (managers), and those their teams sent."""
    if not request.user.has_perm(ADD_CONCERN) or access.is_read_only(request.user):
        raise PermissionDenied
    waiting = transfer_selectors.transfers_waiting(user=request.user)
    sent = transfer_selectors.transfers_sent(user=request.user)
    # Names shown: the waiting ones (a referral's summary) and the sent ones whose record the user sees.
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[t.person_id for t in waiting] + [t.person_id for t in sent if t.what != t.What.REFERRAL],
        detail="Name shown in transfers between teams",
    )
    return render(
        request,
        "enquiries/transfers/list.html",
        {"waiting": waiting, "sent": sent, "may_decide": may_decide_transfers(request.user)},
    )


def _detail_context(request: HttpRequest, view) -> dict:
    transfer = view.transfer
    record = transfer.enquiry or transfer.concern
    # Links only to what the user may open: the receiving manager reads this summary until the record is
    # theirs, and the sender of a referral never learns which record it was matched with.
    may_link = not view.sender_only
    # Whose record it is (the identity bar, with their warnings) only for someone who may see the person.
    person = transfer.person if may_link and access.is_in_scope(request.user, transfer.person) else None
    return {
        "view": view,
        "transfer": transfer,
        "person": person,
        "referral": _referral_shown(transfer.referral),
        "record_url": record.get_absolute_url()
        if may_link and record is not None and access.is_in_scope(request.user, record)
        else None,
        "person_url": person.get_absolute_url() if person else None,
    }


def _referral_shown(referral: dict) -> dict:
    """What a referral carries, with its dates as dates for the page."""
    if not referral:
        return {}
    identity = dict(referral.get("identity", {}))
    concern = dict(referral.get("concern", {}))
    if identity.get("date_of_birth"):
        identity["date_of_birth"] = datetime.date.fromisoformat(identity["date_of_birth"])
    if concern.get("received_at"):
        concern["received_at"] = timezone.localtime(datetime.datetime.fromisoformat(concern["received_at"]))
    return {"identity": identity, "concern": concern}


@require_http_methods(["GET", "POST"])
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfer: what a receiving manager needs to decide (name, date of birth, where from, why) and, for
    them, accept with the lead practitioner chosen in the same step."""
    actor = Actor.from_request(request)
    view = transfer_selectors.transfer_get_for_user(user=request.user, pk=pk)
    transfer = view.transfer
    form = TransferAcceptForm(request.POST or None, transfer=transfer) if view.may_decide else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.transfer_accept(actor=actor, transfer=transfer, **form.cleaned_data)
            except ServiceRefused as error:
                _refused(form, error)
            except ValidationError as error:
                add_service_errors(form, error.message_dict)
            else:
                messages.success(request, "Transfer accepted. It is now your team’s.")
                accepted = type(transfer).objects.select_related("concern", "enquiry").get(pk=transfer.pk)
                return redirect(accepted.enquiry or accepted.concern)
    access_record(actor=actor, obj=transfer, detail="Transfer between teams")
    return render(
        request,
        "enquiries/transfers/detail.html",
        {**_detail_context(request, view), "form": form, "submit_label": "Accept and allocate"},
    )


@require_http_methods(["GET", "POST"])
def transfer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    view = transfer_selectors.transfer_get_for_user(user=request.user, pk=pk)
    if not view.receiving:
        raise Http404
    transfer = view.transfer
    form = TransferDeclineForm(request.POST or None)
    if request.method == "POST" and view.may_decide and form.is_valid():
        try:
            services.transfer_decline(
                actor=actor, transfer=transfer, reason=form.cleaned_data["decline_reason"]
            )
        except ServiceRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Transfer declined. The sending team has been told why.")
            return redirect("enquiries:transfer_list")
    return render(
        request,
        "enquiries/transfers/decline.html",
        {
            **_detail_context(request, view),
            "form": form,
            "submit_label": "Decline the transfer",
            "cancel_url": transfer.get_absolute_url(),
        },
    )


@require_POST
def transfer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    view = transfer_selectors.transfer_get_for_user(user=request.user, pk=pk)
    if not view.may_withdraw:
        raise Http404
    try:
        services.transfer_withdraw(actor=Actor.from_request(request), transfer=view.transfer)
    except ServiceRefused as error:
        messages.info(request, error.message)
    else:
        messages.success(request, "Transfer withdrawn. The other team no longer sees it.")
    return redirect(view.transfer)


# --- The duplicate check's dead end


@require_POST
def transfer_send_to_holder(request: HttpRequest) -> HttpResponse:
    """From the person form's duplicate warning ("may already be recorded in another team"): the person's
    details as typed arrive here; the sender writes the concern, and it goes to the team that holds the
    person. The holding team is worked out again on every step and never named to the sender."""
    if not request.user.has_perm(ADD_CONCERN) or access.is_read_only(request.user):
        raise Http404
    identity_form = PersonIdentityForm(request.POST)
    if not identity_form.is_valid():
        raise Http404
    identity = identity_form.identity()
    holder = transfer_selectors.holding_team(user=request.user, **identity)
    if holder is None:
        messages.info(request, services.MSG_NO_HOLDER)
        return redirect("enquiries:person_create")
    second_step = request.POST.get("step") == "concern"
    form = ReferralConcernForm(request.POST if second_step else None, user=request.user)
    if second_step and form.is_valid():
        fields = form.concern_fields()
        from_team = fields.pop("team")
        try:
            services.transfer_refer(
                actor=Actor.from_request(request), from_team=from_team, identity=identity, fields=fields
            )
        except ServiceRefused as error:
            _refused(form, error)
        except ValidationError as error:
            add_service_errors(form, error.message_dict, ReferralConcernForm.ERROR_FIELD)
        else:
            messages.success(
                request,
                "Concern sent to the team that holds this person. Their manager will record it on their "
                "record and allocate it; you will get a notification when they do.",
            )
            return redirect("enquiries:transfer_list")
    return render(
        request,
        "enquiries/transfers/send_to_holder.html",
        {
            "form": form,
            "identity_form": identity_form,
            "identity": identity,
            "title": "Send the concern to the team that holds this person",
            "submit_label": "Send the concern",
            "cancel_url": reverse("enquiries:person_search"),
        },
    )


# --- A second concern joining an open enquiry


@require_http_methods(["GET", "POST"])
def concern_join(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    require_edit(request, concern)
    form = ConcernJoinForm(request.POST or None, user=request.user, concern=concern)
    candidates = list(form.fields["enquiry"].queryset)
    if request.method == "POST" and form.is_valid():
        enquiry = form.cleaned_data["enquiry"]
        if not request.user.has_perm(EDIT_CASE, enquiry):
            raise Http404
        try:
            services.concern_join_enquiry(
                actor=actor,
                concern=concern,
                enquiry=enquiry,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConcurrentEditError:
            form.add_error(
                None,
                "Someone else changed this concern since you opened this page. Check it, then try again.",
            )
        except ServiceRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Concern added to the enquiry")
            return redirect(enquiry)
    if request.method == "GET":
        access_record(actor=actor, obj=concern, detail="Add concern to an open enquiry form")
    return render(
        request,
        "enquiries/transfers/join.html",
        {
            "form": form,
            "concern": concern,
            "person": concern.person,
            "candidates": candidates,
            "pending": concern.decision == concern.Decision.PENDING,
            "title": "Add this concern to an open enquiry",
            "submit_label": "Add to the enquiry",
            "cancel_url": concern.get_absolute_url(),
        },
    )


urlpatterns = [
    path("team/transfers/", transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/decline/", transfer_decline, name="transfer_decline"),
    path("transfers/<int:pk>/withdraw/", transfer_withdraw, name="transfer_withdraw"),
    path("transfers/send-to-holder/", transfer_send_to_holder, name="transfer_send_to_holder"),
    path("concerns/<int:pk>/transfer/", concern_transfer, name="concern_transfer"),
    path("concerns/<int:pk>/join/", concern_join, name="concern_join"),
    path("enquiries/<int:pk>/transfer/", enquiry_transfer, name="enquiry_transfer"),
]
