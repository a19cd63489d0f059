"""A letter template: the words of one kind of letter, with placeholders (`{person_first_name}`) filled in
from the case when a practitioner makes a letter. Kept by unit leads in the app, never in code; every change
is kept in its history (who, when, what), and a template is switched off rather than deleted, so the
letters made from an earlier version can still be traced to it."""

from django.core.exceptions import ValidationError
from django.db import models

from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

from .placeholders import placeholder_problems


class LetterTemplate(Versioned):
    class Purpose(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of a concern"
        AFTER_FIRST_CONVERSATION = "first_conversation", "After the first conversation"
        OUTCOME = "outcome", "Outcome of the enquiry"
        CLOSURE = "closure", "Closure of the enquiry"
        OTHER = "other", "Other"

    class Audience(models.TextChoices):
        PERSON = "person", "The person"
        REFERRER = "referrer", "The referrer"
        PARTNER = "partner", "A partner agency"

    class Format(models.TextChoices):
        PLAIN = "plain", "Plain language"
        EASY_READ = "easy_read", "Easy read"

    # For staff choosing a template ("Closure letter"); the reader sees the heading.
    title = models.CharField(max_length=100)
    purpose = models.CharField("what it is for", max_length=20, choices=Purpose.choices)
    audience = models.CharField("who it is to", max_length=10, choices=Audience.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    heading = models.CharField("heading of the letter", max_length=150)
    body = models.TextField("words of the letter", max_length=10000)
    is_active = models.BooleanField("offered to practitioners", default=True)

    history = case_history()

    class Meta:
        ordering = ["purpose", "audience", "format", "title"]
        permissions = [("manage_letter_templates", "Can write and change letter templates")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_format_display().lower()})"

    def clean(self):
        super().clean()
        problems = {
            field: messages
            for field in ("heading", "body")
            if (messages := placeholder_problems(getattr(self, field) or "", audience=self.audience))
        }
        if problems:
            raise ValidationError(problems)
