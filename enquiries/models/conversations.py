from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from msp_cases.audit.history import case_history

from .choices import ConversationMethod, DecisionMadeBy
from .concerns import SafeguardingConcern
from .enquiries import Enquiry
from .people import Person

# Who was in the conversation, and the six MSP checks (seed 002, 8.1): shared by model, services and forms.
PARTICIPANT_FIELDS = [
    "with_person",
    "with_representative",
    "with_advocate",
    "with_family",
    "with_professional",
]
MSP_CHECK_FIELDS = [
    "check_involve",
    "check_choice",
    "check_control",
    "check_quality_of_life",
    "check_wellbeing",
    "check_safety",
]


class ConversationLog(models.Model):
    """A conversation with the person or their network: "a series of conversations supported by a process".

    Append-only: an entry is never edited or deleted. A correction is a new entry whose `amends` points at the
    original; both are shown (enquiries.services.conversations)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conversations")
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="conversations"
    )
    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="conversations"
    )
    occurred_at = models.DateTimeField("when it happened")
    recorded_at = models.DateTimeField("when it was recorded", auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # With whom
    with_person = models.BooleanField("the person", default=False)
    with_representative = models.BooleanField("their representative", default=False)
    with_advocate = models.BooleanField("their advocate", default=False)
    with_family = models.BooleanField("family or friends", default=False)
    with_professional = models.BooleanField("a professional", default=False)
    others_present = models.CharField("names and roles of others present", max_length=300, blank=True)
    method = models.CharField("how", max_length=20, choices=ConversationMethod.choices)
    location = models.CharField("where", max_length=200, blank=True)

    # What the person said, in their words
    what_matters = models.TextField("what matters to the person, in their words", blank=True)
    wants_to_happen = models.TextField("what they want to happen", blank=True)
    risks_discussed = models.TextField(blank=True)
    persons_view_of_risks = models.TextField("the person's view of the risks", blank=True)
    options_discussed = models.TextField(blank=True)
    expectations_discussed = models.TextField(
        "expectations that may be hard to meet, and how this was discussed", blank=True
    )

    # Decisions and who made them
    decisions = models.TextField("decisions made", blank=True)
    decision_made_by = models.CharField(
        "who made the decisions",
        max_length=20,
        choices=DecisionMadeBy.choices,
        default=DecisionMadeBy.NO_DECISION,
    )
    against_wishes_reason = models.TextField("why the decision went against the person's wishes", blank=True)
    others_at_risk = models.TextField("who else was at risk", blank=True)
    least_restrictive_reason = models.TextField("why this was the least restrictive option", blank=True)

    # Next contact agreed with the person: the anti-drift reminders key off this
    next_contact_on = models.DateField("next contact agreed with the person", null=True, blank=True)
    next_contact_how = models.CharField("how", max_length=150, blank=True)

    # The six MSP checks (seed 002, 8.1), as the practitioner's reflection
    check_involve = models.BooleanField("involved the person", default=False)
    check_choice = models.BooleanField("gave the person choice", default=False)
    check_control = models.BooleanField("gave the person control", default=False)
    check_quality_of_life = models.BooleanField("improved their quality of life", default=False)
    check_wellbeing = models.BooleanField("improved their wellbeing", default=False)
    check_safety = models.BooleanField("improved their safety", default=False)
    # Reflective practice (seed 001)
    reflection = models.TextField(
        "reflection: overly protective? avoiding a conversation? risk averse?", blank=True
    )

    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    amendment_reason = models.TextField("what is being corrected and why", blank=True)

    history = case_history()

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [
            models.Index(fields=["enquiry", "occurred_at"]),
            models.Index(fields=["person", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"Conversation on {self.occurred_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        # Append-only, whatever the caller: the record of what was said is never rewritten.
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError("Conversation records cannot be changed. Record an amendment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Conversation records cannot be deleted.")

    @property
    def with_whom(self) -> list[str]:
        return [str(self._meta.get_field(f).verbose_name) for f in PARTICIPANT_FIELDS if getattr(self, f)]

    @property
    def msp_checks(self) -> list[tuple[str, bool]]:
        return [(str(self._meta.get_field(f).verbose_name), getattr(self, f)) for f in MSP_CHECK_FIELDS]
