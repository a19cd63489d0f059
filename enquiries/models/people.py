from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

from .choices import Ethnicity, Gender, NetworkRelationship, PersonsViewOfContact, PrimarySupportReason


class Person(Versioned):
    """The adult at risk: whose record this is."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField("preferred name", max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # SG1b-d. No default: "Not Known" is an answer someone gives, never one the system gives for them (it
    # would go into the SAC return unseen).
    gender = models.CharField(max_length=20, choices=Gender.choices)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices)
    primary_support_reason = models.CharField(max_length=30, choices=PrimarySupportReason.choices)
    # SG1e: a person may be counted in both rows.
    has_autism = models.BooleanField(
        "autism (excluding Asperger's syndrome / high functioning autism)", default=False
    )
    has_aspergers = models.BooleanField("Asperger's syndrome / high functioning autism", default=False)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    local_identifier = models.CharField("local identifier", max_length=50, blank=True, db_index=True)

    # Communication
    preferred_language = models.CharField(max_length=60, blank=True)
    needs_interpreter = models.BooleanField("needs an interpreter", default=False)
    uses_bsl = models.BooleanField("uses British Sign Language", default=False)
    wants_easy_read = models.BooleanField("wants easy read information", default=False)
    other_communication_needs = models.TextField(blank=True)
    contact_preferences = models.TextField("how and when they want to be contacted", blank=True)
    safe_contact = models.TextField(
        "safe ways to contact them", blank=True, help_text="For example, do not leave voicemail"
    )

    # Restricted: e.g. the adult is a member of staff. Only the named users and unit leads may see the
    # person or any of their records, whatever team holds the work.
    is_restricted = models.BooleanField("restricted record", default=False)
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_people_named"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history(m2m_fields=[])

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name_plural = "people"
        # Names are searched through a trigram index on PostgreSQL (migration 0006; docs/performance.md).
        indexes = [
            # The access rule's "restricted people this user may not see": a few among a million people.
            models.Index(fields=["id"], name="person_restricted", condition=models.Q(is_restricted=True)),
            # Search matches a local identifier whatever its case (`iexact`), beside the names' index.
            models.Index(Upper("local_identifier"), name="person_local_identifier_upper"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("enquiries:person_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        known_as = f" ({self.preferred_name})" if self.preferred_name else ""
        return f"{self.given_name} {self.family_name}{known_as}"


class NetworkMember(Versioned):
    """Someone in the person's network, with the person's own view of their involvement."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="network")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=30, choices=NetworkRelationship.choices)
    role = models.CharField("role or relationship in their words", max_length=150, blank=True)
    agency = models.CharField(max_length=150, blank=True)
    contact = models.CharField("contact details", max_length=200, blank=True)
    persons_view = models.CharField(
        "the person's view",
        max_length=20,
        choices=PersonsViewOfContact.choices,
        default=PersonsViewOfContact.NOT_ASKED,
    )
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = ["relationship", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"
