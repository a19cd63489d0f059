"""Reads of documents, scoped to the user by the shared access rule (`access.document_scope`)."""

from django.db.models import Model, QuerySet

from msp_cases import access
from msp_cases.accounts.roles import VIEW_ALL_CASES

from .models import Document

# The record field a list on each record's page filters by.
_LIST_FIELD = {
    "enquiries.Person": "person",
    "enquiries.SafeguardingConcern": "concern",
    "enquiries.Enquiry": "enquiry",
    "enquiries.ConversationLog": "conversation",
    "enquiries.Meeting": "meeting",
}


def _base() -> QuerySet:
    return Document.objects.select_related("uploaded_by", "removed_by", "meeting", "conversation")


def document_list(*, user, record: Model) -> QuerySet:
    """The documents shown on `record`'s page, newest first: those added to it (on a person's page, every
    document about them; on an enquiry's, its meetings' and conversations' too) that the user may see, not
    removed. One query."""
    if record._meta.label == "enquiries.Enquiry":  # the busiest list: asked of the enquiry already in scope
        return access.within(_base().filter(removed_at__isnull=True), user, record)
    field = _LIST_FIELD[record._meta.label]
    return access.scoped(_base().filter(**{field: record}, removed_at__isnull=True), user)


def document_removed_list(*, user, record: Model) -> QuerySet:
    """Documents removed in error from `record`: for safeguarding unit staff only (empty for anyone else,
    without a query)."""
    if not user.has_perm(VIEW_ALL_CASES):
        return Document.objects.none()
    if record._meta.label == "enquiries.Enquiry":
        return access.within(_base().filter(removed_at__isnull=False), user, record)
    field = _LIST_FIELD[record._meta.label]
    return access.scoped(_base().filter(**{field: record}, removed_at__isnull=False), user)


def document_get_for_user(*, user, pk: int) -> Document:
    """One document the user may see, or 404 (removed ones only for unit staff)."""
    return access.get_in_scope_or_404(_base().select_related("person", "concern", "enquiry"), user, pk=pk)
