"""Reads of the conversation log, scoped to the user (msp_cases.access)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from msp_cases import access

from ..models import ConversationLog


def conversation_get_for_user(*, user, pk) -> ConversationLog:
    qs = ConversationLog.objects.select_related(
        "person", "enquiry", "concern", "recorded_by", "amends", "amends__recorded_by"
    )
    return access.get_in_scope_or_404(qs, user, pk=pk)


def conversation_amendments(*, log: ConversationLog) -> QuerySet[ConversationLog]:
    """The corrections of an entry's chain, newest first. (Scope follows the entry's case, which the caller
    already checked by fetching `log` through conversation_get_for_user.)"""
    root_pk = log.amends_id or log.pk
    return ConversationLog.objects.filter(amends_id=root_pk).select_related("recorded_by").order_by("-pk")


def conversation_current_versions() -> QuerySet[ConversationLog]:
    """Each entry as it now stands: an entry with no amendments, or the newest amendment of one. Superseded
    versions are left out, so a corrected date or "with whom" is what counts on the caseload."""
    newer = ConversationLog.objects.filter(
        Q(amends=OuterRef("pk")) | Q(amends=OuterRef("amends"), pk__gt=OuterRef("pk"))
    )
    return ConversationLog.objects.filter(~Exists(newer))


def conversation_list(*, user) -> QuerySet[ConversationLog]:
    return access.scoped(conversation_current_versions(), user)
