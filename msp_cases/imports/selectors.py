"""Reads about what was imported: the tag the enquiry's timeline and the person's chronology show on a
conversation brought in from an earlier system."""

from django.contrib.contenttypes.models import ContentType

from enquiries.models import ConversationLog
from enquiries.panels import ConversationTag

from .models import ImportedRecord


def imported_conversation_tags(conversation_ids: list[int]) -> dict[int, str]:
    """ "Imported from Mosaic" for each of these conversations that an import made: one query."""
    if not conversation_ids:
        return {}
    rows = ImportedRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(ConversationLog), object_id__in=conversation_ids
    ).values_list("object_id", "source_system")
    return {object_id: f"Imported from {source}" for object_id, source in rows}


IMPORTED_CONVERSATIONS = ConversationTag(id="imports.imported", tags=imported_conversation_tags)
