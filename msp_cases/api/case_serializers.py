"""What a partner's system reads of an enquiry's parts — its conversation log, the person's desired outcomes,
My Safeguarding Experience Part 1 and Part 2, its documents' metadata — and the one thing it may add: a
conversation. Field names are the models' own; choices are their stored values (the schema lists them)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enquiries.forms.conversations import TEXT_MAX
from enquiries.models import ConversationLog
from enquiries.services.conversations import CONTENT_FIELDS
from feedback.models import (
    PART2_QUESTIONS,
    ExperienceAnswer,
    ExperienceFeedbackPart1,
    ExperienceFeedbackPart2,
    InformedBy,
    Involvement,
)
from msp_cases.documents.models import Document
from outcomes.models import DesiredOutcome

# Free text a conversation may hold: as long as the page's form allows (TextFields have no length of their
# own); shorter fields keep the model's max_length.
_LONG_TEXT = {
    name
    for name in CONTENT_FIELDS
    if ConversationLog._meta.get_field(name).get_internal_type() == "TextField"
}


class ConversationSerializer(serializers.ModelSerializer):
    """An entry of the conversation log. Append-only: an amendment is an entry of its own whose `amends`
    names the original; the newest amendment of an entry is how it now stands."""

    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = ConversationLog
        fields = [
            "id",
            "enquiry",
            "concern",
            "recorded_at",
            "recorded_by",
            "amends",
            "amendment_reason",
            *CONTENT_FIELDS,
        ]
        read_only_fields = ["id", "enquiry", "concern", "recorded_at", "amends", "amendment_reason"]
        extra_kwargs = {
            **{
                name: {"max_length": TEXT_MAX, "allow_blank": True, "trim_whitespace": False}
                for name in _LONG_TEXT
            },
            "occurred_at": {"required": True},
            "method": {"required": True},
        }

    def to_internal_value(self, data):
        # A name this operation does not take (a read-only field, a misspelling) is refused, never ignored:
        # a partner's system learns at once that what it sent was not recorded.
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = [str(name)[:100] for name in data if name not in writable]
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Not a field a conversation is recorded with"] for name in unknown}
                )
        # The rules every entry follows (someone present, not in the future, reasons for a decision against
        # the person's wishes...) are the service's (conversation_rule_errors), checked when it records the
        # entry, so the API and the page can never disagree. Only the shape of the values is checked here.
        return super().to_internal_value(data)


class DesiredOutcomeSerializer(serializers.ModelSerializer):
    """What the person wants to happen, in their own words, and at closure how far they feel it was
    achieved (SAC SG4a's labels: the `achievement` values fully, partially, not)."""

    # The same values as `achievement`, described rather than listed again (one enum, one name in the schema).
    practitioner_view = serializers.CharField(
        read_only=True,
        help_text="The practitioner's view, where recorded: one of the `achievement` values, or blank",
    )

    class Meta:
        model = DesiredOutcome
        fields = [
            "id",
            "words",
            "expressed_by",
            "expressed_on",
            "conversation",
            "priority",
            "expectations_discussion",
            "status",
            "withdrawn_reason",
            "withdrawn_on",
            "achievement",
            "person_comment",
            "practitioner_view",
            "practitioner_comment",
            "achievement_recorded_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ExperiencePart1Serializer(serializers.ModelSerializer):
    """My Safeguarding Experience Part 1, at the start: how the person wants to be involved and informed."""

    involvement = serializers.ListField(child=serializers.ChoiceField(choices=Involvement.choices))
    informed_by = serializers.ListField(child=serializers.ChoiceField(choices=InformedBy.choices))

    class Meta:
        model = ExperienceFeedbackPart1
        fields = [
            "involvement",
            "informed_by",
            "who_involved",
            "who_not_told",
            "communication_support",
            "completed_by",
            "completed_on",
            "version",
        ]
        read_only_fields = fields


class Part2AnswerSerializer(serializers.Serializer):
    """One of Part 2's four questions, verbatim, with the answer given (blank when none was)."""

    key = serializers.ChoiceField(choices=[key for key, _ in PART2_QUESTIONS])
    question = serializers.CharField()
    answer = serializers.ChoiceField(choices=ExperienceAnswer.choices, allow_blank=True)
    comment = serializers.CharField(allow_blank=True)


class ExperiencePart2Serializer(serializers.ModelSerializer):
    """My Safeguarding Experience Part 2, at the end: the four questions and what the person made of it, or
    why they were not approached (and whether a manager agreed)."""

    manager_agreed = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = ExperienceFeedbackPart2
        fields = [
            "approached",
            "not_approached_reason",
            "not_approached_note",
            "manager_agreed",
            "manager_agreed_at",
            "best_interests_answered",
            "best_interests_who",
            "answered_by",
            "questions",
            "questions_since",
            "further_work_needed",
            "further_work",
            "reflections",
            "completed_on",
            "version",
        ]
        read_only_fields = fields

    def get_manager_agreed(self, part2: ExperienceFeedbackPart2) -> bool:
        return part2.manager_agreed_by_id is not None

    @extend_schema_field(Part2AnswerSerializer(many=True))
    def get_questions(self, part2: ExperienceFeedbackPart2) -> list[dict]:
        return [
            {
                "key": key,
                "question": question,
                "answer": getattr(part2, key),
                "comment": getattr(part2, f"{key}_comment"),
            }
            for key, question in PART2_QUESTIONS
        ]


class ExperienceSerializer(serializers.Serializer):
    """Both parts of an enquiry's My Safeguarding Experience; a part not recorded yet is null."""

    part1 = ExperiencePart1Serializer(allow_null=True)
    part2 = ExperiencePart2Serializer(allow_null=True)


class DocumentSerializer(serializers.ModelSerializer):
    """A document's metadata: never its content, which only `content` serves, and only once scanned clean."""

    name = serializers.CharField(source="original_name")
    type = serializers.CharField(source="content_type")
    size = serializers.IntegerField(help_text="In bytes")
    servable = serializers.BooleanField(
        source="is_servable",
        help_text="Whether its content may be read now: scanned clean, not scanned (no scanner "
        "configured), or made by this service. Anything else is refused with a 409 problem.",
    )
    content = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "name",
            "type",
            "size",
            "scan_status",
            "servable",
            "document_date",
            "uploaded_at",
            "enquiry",
            "concern",
            "conversation",
            "content",
        ]
        read_only_fields = fields

    def get_content(self, document: Document) -> str:
        """Where its content is read (a path under this API)."""
        return reverse("api:document_content", args=[document.pk])
