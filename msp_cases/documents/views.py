"""Add documents to a record, open one's page, view or download its file, remove it in error.

Every page asks the shared access rule: the record through `access.get_in_scope_or_404` and `edit_case`, the
document through `access.document_scope`; out of scope is "Page not found". Files are streamed from private
storage by these views only, never by the web server."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from enquiries.models import ConversationLog, Enquiry, Meeting, Person, SafeguardingConcern
from msp_cases import access
from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import ServiceRefused

from . import selectors, services
from .forms import DocumentRemoveForm, DocumentUploadForm
from .models import Document

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


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, record_kind: str, pk: int) -> HttpResponse:
    model, record_words = RECORDS[record_kind]
    record = access.get_in_scope_or_404(model.objects.all(), request.user, pk=pk)
    if not request.user.has_perm(EDIT_CASE, record):
        raise Http404
    actor = Actor.from_request(request)
    person = _person_of(record)
    back = record_url(record)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        access_record(actor=actor, obj=record, person=person, detail="Add a document form")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            documents = services.document_upload(
                actor=actor,
                record=record,
                uploads=form.uploads(data["files"]),
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
        },
        status=status,
    )


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
