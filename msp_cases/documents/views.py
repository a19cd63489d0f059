"""Add documents to a record, open one's page, view or download its file, remove it in error.

Every page asks the shared access rule: the record through `access.get_in_scope_or_404` and `edit_case`, the
document through `access.document_scope`; out of scope is "Page not found". Files are streamed from private
storage by these views only, never by the web server."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enquiries.models import ConversationLog, Enquiry, Meeting, Person, SafeguardingConcern
from msp_cases import access
from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import ServiceRefused

from . import held as held_files
from . import selectors, services
from .files import FileRefused, display_name
from .forms import DocumentRemoveForm, DocumentUploadForm
from .models import Document, holder_for_record

# What a document is added to, by the address's first part: the model and how the page names it.
RECORDS = {
    "people": (Person, "person’s record"),
    "concerns": (SafeguardingConcern, "concern"),
    "enquiries": (Enquiry, "enquiry"),
    "conversations": (ConversationLog, "conversation"),
    "meetings": (Meeting, "meeting"),
}


def record_url(record: Model) -> str:
    """Where the record's documents are listed."""
    label = record._meta.label
    if label == "enquiries.ConversationLog":
        return reverse("enquiries:conversation_detail", args=[record.pk]) + "#documents"
    if label == "enquiries.Meeting":
        return reverse("enquiries:enquiry_detail", args=[record.enquiry_id]) + "#documents"
    return record.get_absolute_url() + "#documents"


def _person_of(record: Model) -> Person:
    return (
        record
        if isinstance(record, Person)
        else (record.enquiry.person if isinstance(record, Meeting) else record.person)
    )


def _record_of(document: Document) -> Model:
    """The record the document was added to: the most specific one it names."""
    return (
        document.conversation or document.meeting or document.enquiry or document.concern or document.person
    )


def _record_to_add_to(request: HttpRequest, record_kind: str, pk: int) -> Model:
    """The record, if the user may see it and add documents to it; otherwise "Page not found"."""
    model, _ = RECORDS[record_kind]
    record = access.get_in_scope_or_404(model.objects.all(), request.user, pk=pk)
    if not request.user.has_perm(EDIT_CASE, record):
        raise Http404
    return record


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, record_kind: str, pk: int) -> HttpResponse:
    _, record_words = RECORDS[record_kind]
    record = _record_to_add_to(request, record_kind, pk)
    actor = Actor.from_request(request)
    person = _person_of(record)
    back = record_url(record)
    holder = holder_for_record(user=request.user, record=record)
    held = held_files.held_files(holder=holder, tokens=request.POST.getlist("held"))
    form = DocumentUploadForm(request.POST or None, request.FILES or None, held=held)
    if request.method == "GET":
        access_record(actor=actor, obj=record, person=person, detail="Add a document form")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            documents = services.document_upload_with_held(
                actor=actor,
                record=record,
                uploads=form.uploads(data["files"]),
                held=held,
                title=data["title"],
                kind=data["kind"],
                document_date=data["document_date"],
                provided_by=data["provided_by"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            count = len(documents)
            messages.success(request, "Document added" if count == 1 else f"{count} documents added")
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/add.html",
        {
            "form": form,
            "record": record,
            "record_words": record_words,
            "person": person,
            "cancel_url": back,
            "title": "Add a document",
            "held_add_url": reverse(f"documents:held_add_{record_kind}", args=[record.pk]),
            "held_discard_url": reverse(f"documents:held_discard_{record_kind}", args=[record.pk]),
        },
        status=status,
    )


# MOJ Frontend's multi-file upload: each file sent as it is chosen (field "documents"), answered in the JSON
# its script reads (`success.messageHtml`/`messageText`, `error.message`, `file.filename`/`originalname`).
# The script puts `messageHtml`, `error.message` and `originalname` into the page as HTML, so every one is
# escaped here.


def _held_json(*, name: str, token: str = "", message: str, ok: bool, status: int = 200) -> JsonResponse:
    file = {"filename": token, "originalname": escape(name)}
    if ok:
        body = {"success": {"messageText": message, "messageHtml": escape(message)}, "file": file}
    else:
        body = {"error": {"message": escape(message)}, "file": file}
    return JsonResponse(body, status=status)


@require_POST
def held_file_add(request: HttpRequest, record_kind: str, pk: int) -> HttpResponse:
    """Check and hold one file for this user's "Add a document" form on this record."""
    record = _record_to_add_to(request, record_kind, pk)
    upload = request.FILES.get("documents")
    if upload is None:
        return _held_json(name="", message="Select a file", ok=False, status=400)
    try:
        held = held_files.held_file_add(
            holder=holder_for_record(user=request.user, record=record),
            upload=services.Upload(name=upload.name, file=upload),
        )
    except FileRefused as refused:
        return _held_json(name=display_name(upload.name), message=refused.message, ok=False, status=400)
    return _held_json(
        name=held.original_name,
        token=str(held.token),
        message=f"{held.original_name} added",
        ok=True,
    )


@require_POST
def held_file_discard(request: HttpRequest, record_kind: str, pk: int) -> HttpResponse:
    """Delete one held file (the Delete button beside it). A token not this user's here deletes nothing and
    answers the same, so it tells nothing."""
    record = _record_to_add_to(request, record_kind, pk)
    try:
        token = json.loads(request.body or b"{}").get("delete", "")
    except (ValueError, AttributeError):
        token = ""
    held_files.held_file_discard(holder=holder_for_record(user=request.user, record=record), token=str(token))
    return JsonResponse({})


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's page: what it is, who added it, its virus-scan state, and the links to open it."""
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    access_record(
        actor=Actor.from_request(request), obj=document, person=document.person, detail="Document page"
    )
    record = (
        document.conversation or document.meeting or document.enquiry or document.concern or document.person
    )
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "person": document.person,
            "record_url": record_url(record),
            "may_remove": not document.is_removed and request.user.has_perm(EDIT_CASE, document),
        },
    )


def _file_response(request: HttpRequest, pk: int, *, inline: bool) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    # Production never serves a file not yet scanned clean (or one found infected, or whose scan failed).
    if not document.is_servable or (inline and not document.is_viewable_inline):
        raise Http404
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.document_read_record(actor=Actor.from_request(request), document=document, inline=inline)
    # FileResponse builds Content-Disposition with Django's content_disposition_header: a name cannot add a
    # header or break out of its quotes.
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # The file is shown as it is, never interpreted: no scripts, no forms, no same-origin access, whatever
    # a PDF or image might try; and never sniffed as another type.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def document_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A PDF or an image, opened in the browser (sandboxed)."""
    return _file_response(request, pk, inline=True)


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_response(request, pk, inline=False)


@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    if document.is_removed or not request.user.has_perm(EDIT_CASE, document):
        raise Http404
    actor = Actor.from_request(request)
    form = DocumentRemoveForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.document_remove(actor=actor, document=document, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except ServiceRefused as refused:
            refusal = refused.message
        else:
            messages.success(request, f"“{document.title}” removed")
            return redirect(record_url(_record_of(document)))
    elif request.method == "GET":
        access_record(actor=actor, obj=document, person=document.person, detail="Remove a document form")
    return render(
        request,
        "documents/remove.html",
        {
            "form": form,
            "document": document,
            "person": document.person,
            "refusal": refusal,
            "cancel_url": reverse("documents:detail", args=[document.pk]),
            "title": "Remove this document",
            "submit_label": "Remove document",
        },
        status=400 if request.method == "POST" else 200,
    )
