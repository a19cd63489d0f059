from django.conf import settings
from django.db import models
from django.db.models.functions import Replace, Upper
from django.urls import reverse

from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

from ..validators import normalise_phone, validate_phone
from .choices import (
    ContactMethod,
    Ethnicity,
    Gender,
    NetworkRelationship,
    PersonsViewOfContact,
    PrimarySupportReason,
)


class Person(Versioned):
    """The adult at risk: whose record this is."""

    # Both names, or a description of someone whose name is not known yet ("man, about 70, lives at 3 Elm
    # Road"): a concern is often raised before anyone knows the adult's name (constraint below).
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    description = models.CharField(
        "description, if their name is not known",
        max_length=200,
        blank=True,
        default="",
        help_text="For example, man, about 70, lives at 3 Elm Road",
    )
    other_names = models.TextField(
        "other names",
        blank=True,
        default="",
        help_text="Names they have been known by, such as a maiden name or a nickname. One on each line",
    )
    preferred_name = models.CharField("preferred name", max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # When someone recorded that the person has died; SG1's age is then their age at death.
    date_of_death = models.DateField("date of death", null=True, blank=True)
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

    # Contact details. The phone number is kept as typed; `phone_digits` is its digits as search compares
    # them (enquiries.validators.normalise_phone), set on every save.
    phone = models.CharField(
        "phone number", max_length=30, blank=True, default="", validators=[validate_phone]
    )
    phone_digits = models.CharField(max_length=20, blank=True, default="", editable=False)
    email = models.EmailField("email address", blank=True, default="")
    preferred_contact_method = models.CharField(
        "preferred way to contact them", max_length=20, choices=ContactMethod.choices, blank=True, default=""
    )
    contact_through = models.CharField("who to contact them through", max_length=150, blank=True, default="")

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
            # Search matches a postcode with or without its space, whatever its case.
            models.Index(
                Upper(Replace("postcode", models.Value(" "), models.Value(""))), name="person_postcode"
            ),
            # On PostgreSQL only (migration 0015, like the names' trigram index in 0006):
            # `person_phone_reversed` on the phone's digits reversed, so a match on its last digits is a
            # range scan, and `person_other_names_trgm`, a trigram index on the other names as search compares
            # them.
        ]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(given_name="") & ~models.Q(family_name="")) | ~models.Q(description=""),
                name="person_named_or_described",
                violation_error_message="Enter their given and family names, or describe them",
            ),
            models.UniqueConstraint(
                Upper("local_identifier"),
                condition=~models.Q(local_identifier=""),
                name="person_local_identifier_unique",
                violation_error_message="A person with this local identifier is already recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.phone_digits = normalise_phone(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digits"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("enquiries:person_detail", args=[self.pk])

    @property
    def name_known(self) -> bool:
        return bool(self.given_name and self.family_name)

    @property
    def names(self) -> str:
        """The names known of them, given then family: "" while neither is known."""
        return " ".join(name for name in (self.given_name, self.family_name) if name)

    @property
    def full_name(self) -> str:
        """Their name without the preferred name, for formal writing; or their description if unknown."""
        return person_display_name(self.given_name, self.family_name, description=self.description)

    @property
    def preferred_contact_display(self) -> str:
        """How they prefer to be contacted: "Phone", or "Through a named person: their daughter, Jane"."""
        method = self.get_preferred_contact_method_display()
        if not self.contact_through:
            return method
        return f"{method}: {self.contact_through}" if method else f"Through {self.contact_through}"

    @property
    def display_name(self) -> str:
        """How the person is named everywhere: lists, headings, letters and PDFs."""
        return person_display_name(
            self.given_name, self.family_name, self.preferred_name, description=self.description
        )


def person_display_name(
    given_name: str, family_name: str, preferred_name: str = "", *, description: str = ""
) -> str:
    """A person's name as the service writes it, for a Person or for their name read as values: "Margaret
    Hughes (Peggy)", or "Name not known: man, about 70, lives at 3 Elm Road" while it is not known."""
    known_as = f" ({preferred_name})" if preferred_name else ""
    if (given_name and family_name) or not description:
        return f"{given_name} {family_name}{known_as}".strip()
    partly = " ".join(name for name in (given_name, family_name) if name)
    if partly:
        return f"{partly}{known_as}, full name not known: {description}"
    return f"Name not known: {description}"


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
