"""What a partner's system reads: who the person is and how to tell them apart (no case content), and an
enquiry's state."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enquiries.models import Enquiry, Person, SafeguardingConcern
from enquiries.models.choices import RiskType
from msp_cases.core.text import without_control_characters
from msp_cases.frontdoor.models import Referral


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "preferred_name",
            "other_names",
            "date_of_birth",
            "date_of_death",
            "nhs_number",
            "local_identifier",
            "postcode",
        ]
        read_only_fields = fields


class EnquirySerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    concern = serializers.PrimaryKeyRelatedField(read_only=True)
    team = serializers.CharField(source="team.name", read_only=True)
    lead_practitioner = serializers.CharField(
        source="lead_practitioner.full_name", read_only=True, default=""
    )

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "person",
            "concern",
            "enquiry_type",
            "status",
            "team",
            "lead_practitioner",
            "opened_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class ReferralStatusSerializer(serializers.Serializer):
    """What became of a referral, in three states a partner's system can act on, from the front door's own:
    received (waiting, or being screened), screened (a concern recorded and passed to a locality team;
    `outcome` once that team has decided), closed at the door (`outcome` says how)."""

    RECEIVED, SCREENED, CLOSED = "received", "screened", "closed"
    # Closed at the door: not a safeguarding concern (no concern is recorded), or one recorded and closed
    # with information and advice given.
    NOT_SAFEGUARDING, ADVICE_GIVEN = "not_a_safeguarding_concern", "information_and_advice_given"

    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The reference the front door and the referrer use")
    state = serializers.ChoiceField(choices=[RECEIVED, SCREENED, CLOSED])
    submitted_at = serializers.DateTimeField()
    concern = serializers.IntegerField(
        allow_null=True, help_text="The concern recorded from it, once screened (GET /api/v1/concerns/{id}/)"
    )
    outcome = serializers.ChoiceField(
        allow_null=True,
        choices=[
            SafeguardingConcern.Decision.SECTION_42,
            SafeguardingConcern.Decision.OTHER_ENQUIRY,
            SafeguardingConcern.Decision.NO_FURTHER_ACTION,
            NOT_SAFEGUARDING,
            ADVICE_GIVEN,
        ],
        help_text="Once decided: the locality team's decision on the concern, "
        "or why it was closed at the door",
    )

    @classmethod
    def of(cls, referral: Referral) -> dict:
        State = Referral.State
        state, outcome = cls.RECEIVED, None
        if referral.state == State.PASSED_ON:
            state = cls.SCREENED
            decision = referral.concern.decision if referral.concern_id else None
            if decision and decision != SafeguardingConcern.Decision.PENDING:
                outcome = decision
        elif referral.state == State.NO_FURTHER_ACTION:
            state, outcome = cls.CLOSED, cls.NOT_SAFEGUARDING
        elif referral.state == State.SIGNPOSTED:
            state, outcome = cls.CLOSED, cls.ADVICE_GIVEN
        return {
            "id": referral.pk,
            "reference": referral.reference,
            "state": state,
            "submitted_at": referral.submitted_at,
            "concern": referral.concern_id,
            "outcome": outcome,
        }


# A concern's fields a partner's system may change (PATCH /api/v1/concerns/{id}/), through the page's own
# service (enquiries.services.concerns.concern_update) while the concern awaits its decision: what was done
# straight away, whether the person knows and what they said, and the SAC classification. Not who it is
# allocated to, nor its team (a manager's decisions), nor the referrer or who is alleged to have caused harm.
CONCERN_UPDATABLE = (
    "immediate_actions",
    "person_aware",
    "person_initial_views",
    "risk_location",
    "risk_source",
    "risk_types",
)
TEXT_MAX = 10_000  # as the concern form's longest answers (enquiries/forms/concerns.py)


def _choices(field: str) -> list[str]:
    return [value for value, _ in SafeguardingConcern._meta.get_field(field).choices]


class ConcernSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    team = serializers.CharField(source="team.name", read_only=True)
    allocated_to = serializers.CharField(source="allocated_to.full_name", read_only=True, default="")
    risk_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    enquiries = serializers.SerializerMethodField()

    class Meta:
        model = SafeguardingConcern
        fields = [
            "id",
            "person",
            "team",
            "allocated_to",
            "received_at",
            "decision",
            "decided_at",
            "enquiries",
            *CONCERN_UPDATABLE,
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_enquiries(self, concern: SafeguardingConcern) -> list[int]:
        """The enquiries opened from it that this client may see (GET /api/v1/enquiries/{id}/), given by the
        view from the pages' selector."""
        return self.context.get("enquiry_ids", [])


class TextField(serializers.CharField):
    """A string, and only a string: DRF's CharField would take 42 as "42"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ConcernUpdateSerializer(serializers.Serializer):
    """Only the fields sent are changed; the rest stay as they are."""

    immediate_actions = TextField(max_length=TEXT_MAX, allow_blank=True, trim_whitespace=False)
    person_aware = serializers.ChoiceField(choices=_choices("person_aware"), allow_blank=True)
    person_initial_views = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, trim_whitespace=False)
    risk_location = serializers.ChoiceField(choices=_choices("risk_location"), allow_blank=True)
    risk_source = serializers.ChoiceField(choices=_choices("risk_source"), allow_blank=True)
    risk_types = serializers.ListField(
        child=serializers.ChoiceField(choices=[code for code, _ in RiskType.choices]),
        max_length=len(RiskType.choices),
        help_text="The SAC types of risk, by code: the whole set, replacing the one held",
    )

    def validate_immediate_actions(self, value: str) -> str:
        return without_control_characters(value)

    def validate_person_initial_views(self, value: str) -> str:
        return without_control_characters(value)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send the changes as a JSON object"]})
        unknown = [str(name)[:100] for name in data if name not in self.fields]
        if unknown:
            raise serializers.ValidationError(
                {name: ["Not a field this operation changes"] for name in unknown}
            )
        if not data:
            raise serializers.ValidationError({"non_field_errors": ["Send at least one field to change"]})
        return super().to_internal_value(data)
