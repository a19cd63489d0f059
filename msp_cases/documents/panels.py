"""What documents add to the case pages: the list on the enquiry page (a panel), on the person's page (its
context), on the concern and conversation pages (the `record_documents` tag), and "Document added" on the
enquiry's timeline. Registered from DocumentsConfig.ready()."""

from django.db.models import Model
from django.urls import reverse

from enquiries.panels import AFTER_ACTIONS, ENQUIRY_PAGE, PERSON_PAGE, Panel, TimelineSource
from enquiries.selectors.enquiry import TimelineItem
from msp_cases import access
from msp_cases.accounts.roles import EDIT_CASE

from .models import Document
from .selectors import document_list, document_removed_list

RECORD_KINDS = {
    "enquiries.Person": "people",
    "enquiries.SafeguardingConcern": "concerns",
    "enquiries.Enquiry": "enquiries",
    "enquiries.ConversationLog": "conversations",
    "enquiries.Meeting": "meetings",
}


def record_panel_context(*, user, record: Model) -> dict:
    """The documents of `record` the user may see (one query), those removed in error for unit staff (one
    more), and the link to add one for those who may change the record."""
    may_add = user.has_perm(EDIT_CASE, record)
    return {
        "documents": list(document_list(user=user, record=record)),
        "documents_removed": list(document_removed_list(user=user, record=record)),
        "documents_add_url": (
            reverse(f"documents:add_{RECORD_KINDS[record._meta.label]}", args=[record.pk]) if may_add else ""
        ),
        "documents_on": record._meta.label,
    }


def _enquiry_context(*, user, enquiry) -> dict:
    return {"documents_panel": record_panel_context(user=user, record=enquiry)}


def _person_context(*, user, person) -> dict:
    return {"documents_panel": record_panel_context(user=user, record=person)}


def document_timeline_items(enquiry) -> list[TimelineItem]:
    """ "Document added" for each document on the enquiry (its meetings' and conversations' too) not removed:
    one query; the enquiry is already in the user's scope, and so are its documents."""
    documents = Document.objects.filter(enquiry=enquiry, removed_at__isnull=True).select_related(
        "uploaded_by"
    )
    group = frozenset({"documents"})
    return [
        TimelineItem(
            "document", document.uploaded_at, document, group, {"template": "documents/_timeline_item.html"}
        )
        for document in documents
    ]


def document_chronology_items(*, user, person, enquiries) -> list[TimelineItem]:
    """Each document and letter filed on any of the person's records the user may see (not removed), on the
    person's chronology: one query."""
    documents = access.scoped(
        Document.objects.filter(person=person, removed_at__isnull=True).select_related("uploaded_by"), user
    )
    items = []
    for document in documents:
        title = "Letter filed" if document.kind == Document.Kind.LETTER else "Document filed"
        extra = {"title": title, "line": f"{document.title} ({document.get_kind_display().lower()})"}
        extra["by"] = document.uploaded_by
        items.append(
            TimelineItem("document", document.uploaded_at, document, frozenset({"documents"}), extra)
        )
    return items


PANELS = [
    Panel(
        id="documents.enquiry",
        page=ENQUIRY_PAGE,
        slot=AFTER_ACTIONS,
        template="documents/_enquiry_panel.html",
        context=_enquiry_context,
    ),
    Panel(id="documents.person", page=PERSON_PAGE, context=_person_context),
]
TIMELINE_SOURCES = [
    TimelineSource(
        id="documents.added", items=document_timeline_items, person_items=document_chronology_items
    )
]
