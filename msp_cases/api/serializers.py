"""What a partner's system reads: who the person is and how to tell them apart (no case content), and an
enquiry's state."""

from rest_framework import serializers

from enquiries.models import Enquiry, Person


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
