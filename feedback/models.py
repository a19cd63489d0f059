"""My Safeguarding Experience: Part 1 (at the start: how the person wants to be involved and informed),
Part 2 (at conclusion: what they made of it, or why they were not approached) and the organisation's
perspective recorded by the manager at sign-off. One of each per enquiry."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from enquiries.models import Enquiry, PlanAction
from enquiries.models.base import Versioned, case_history

TEXT_MAX = 2000


class Involvement(models.TextChoices):
    ATTEND_MEETINGS = "attend_meetings", "Attend meetings"
    PART_OF_MEETING = "part_of_meeting", "Be part of a meeting"
    MEET_CHAIR_FIRST = "meet_chair_first", "Meet the chair first"
    STATEMENT = "statement", "Through a statement"
    ADVOCATE = "advocate", "Through an advocate or someone else"
    NOT_INVOLVED = "not_involved", "Not involved"


class InformedBy(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    EASY_READ = "easy_read", "Easy read"
    EMAIL = "email", "Email"
    THROUGH_SOMEONE = "through_someone", "Through someone else"


class CompletedBy(models.TextChoices):
    PERSON = "person", "The person"
    WITH_SUPPORT = "with_support", "The person, with support"
    REPRESENTATIVE = "representative", "A representative"


class ExperienceAnswer(models.TextChoices):
    YES_COMPLETELY = "yes_completely", "Yes, completely"
    YES_PARTLY = "yes_partly", "Yes, partly"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class NotApproachedReason(models.TextChoices):
    DANGER = "danger", "It would place them in danger"
    FURTHER_RISK = "further_risk", "It would expose them to further risk of abuse or harm"
    NOT_ETHICAL = (
        "not_ethical",
        "It would not be ethically appropriate (seriously ill, terminally ill, receiving palliative care)",
    )
    OTHER = "other", "Other"


class AnsweredBy(models.TextChoices):
    PERSON = "person", "The person"
    RELATIVE = "relative", "A relative, on their behalf"
    FRIEND = "friend", "A friend, on their behalf"
    CARER = "carer", "A carer, on their behalf"
    ADVOCATE = "advocate", "An advocate, on their behalf"
    IMCA = "imca", "An IMCA, on their behalf"


class SystemsSupported(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


# The four Part 2 questions, verbatim (the paper form, the page and the co-production export share them).
PART2_QUESTIONS = [
    ("listened", "Did you feel listened to?"),
    ("informed", "Did you feel informed?"),
    ("safer", "Do you feel safer?"),
    ("concerns_dealt_with", "Are you happy with how your concerns were dealt with?"),
]


def _choices_list(value, choices, label: str) -> None:
    if not isinstance(value, list) or any(v not in choices.values for v in value):
        raise ValidationError(f"Choose {label} using the options shown")


class ExperienceFeedbackPart1(Versioned):
    enquiry = models.OneToOneField(Enquiry, on_delete=models.PROTECT, related_name="experience_part1")
    involvement = models.JSONField("How they want to be involved", default=list, blank=True)
    informed_by = models.JSONField("How they want to be kept informed", default=list, blank=True)
    who_involved = models.TextField("Who they want involved", max_length=TEXT_MAX, blank=True)
    who_not_told = models.TextField("Who they do not want told", max_length=TEXT_MAX, blank=True)
    communication_support = models.TextField("Communication support", max_length=TEXT_MAX, blank=True)
    completed_by = models.CharField("Completed by", max_length=20, choices=CompletedBy.choices)
    completed_on = models.DateField("Date completed")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = case_history()

    class Meta:
        verbose_name = "My Safeguarding Experience Part 1"

    def clean(self):
        _choices_list(self.involvement, Involvement, "how they want to be involved")
        _choices_list(self.informed_by, InformedBy, "how they want to be kept informed")
        if Involvement.NOT_INVOLVED in self.involvement and len(self.involvement) > 1:
            raise ValidationError(
                {"involvement": "Select 'Not involved' on its own, or the ways they want to be involved"}
            )

    def involvement_labels(self) -> list[str]:
        return [Involvement(v).label for v in self.involvement]

    def informed_by_labels(self) -> list[str]:
        return [InformedBy(v).label for v in self.informed_by]


class ExperienceFeedbackPart2(Versioned):
    enquiry = models.OneToOneField(Enquiry, on_delete=models.PROTECT, related_name="experience_part2")
    approached = models.BooleanField("Was the person approached for their feedback?")
    # Not approached: the worker decides and a manager agrees; a reason is required (SAC / MSP guidance).
    not_approached_reason = models.CharField(
        "Why the person was not approached", max_length=20, choices=NotApproachedReason.choices, blank=True
    )
    not_approached_note = models.TextField("Details of the reason", max_length=TEXT_MAX, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manager_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manager_agreed_at = models.DateTimeField(null=True, blank=True)
    best_interests_answered = models.BooleanField(
        "Did someone acting in their best interests answer instead?", null=True, blank=True
    )
    best_interests_who = models.CharField("Who answered in their best interests", max_length=200, blank=True)

    listened = models.CharField(max_length=20, choices=ExperienceAnswer.choices, blank=True)
    listened_comment = models.TextField(max_length=TEXT_MAX, blank=True)
    informed = models.CharField(max_length=20, choices=ExperienceAnswer.choices, blank=True)
    informed_comment = models.TextField(max_length=TEXT_MAX, blank=True)
    safer = models.CharField(max_length=20, choices=ExperienceAnswer.choices, blank=True)
    safer_comment = models.TextField(max_length=TEXT_MAX, blank=True)
    concerns_dealt_with = models.CharField(max_length=20, choices=ExperienceAnswer.choices, blank=True)
    concerns_dealt_with_comment = models.TextField(max_length=TEXT_MAX, blank=True)
    questions_since = models.TextField("Questions that have arisen since", max_length=TEXT_MAX, blank=True)
    further_work_needed = models.BooleanField(
        "Is further work needed to help them recover?", null=True, blank=True
    )
    further_work = models.TextField("What further work", max_length=TEXT_MAX, blank=True)
    further_work_action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reflections = models.TextField("Reflections", max_length=TEXT_MAX, blank=True)
    answered_by = models.CharField("Who answered", max_length=20, choices=AnsweredBy.choices, blank=True)
    completed_on = models.DateField("Date completed", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = case_history()

    class Meta:
        verbose_name = "My Safeguarding Experience Part 2"

    @property
    def questions_answered(self) -> bool:
        """The four questions are answered: by the person (or someone on their behalf) when approached, or
        by someone acting in their best interests when not."""
        return self.approached or bool(self.best_interests_answered)

    def clean(self):
        errors = self.answer_problems()
        if not self.approached and self.decided_by_id is None:
            errors["decided_by"] = "Record who decided not to approach the person"
        if errors:
            raise ValidationError(errors)

    def answer_problems(self) -> dict[str, str]:
        """The not-approached rules and the answers each path needs (the form shows the same messages)."""
        errors = {}
        if self.approached:
            if not self.answered_by:
                errors["answered_by"] = "Select who answered"
        else:
            if not self.not_approached_reason:
                errors["not_approached_reason"] = "Select why the person was not approached"
            elif self.not_approached_reason == NotApproachedReason.OTHER and not self.not_approached_note:
                errors["not_approached_note"] = "Enter the reason the person was not approached"
            if self.best_interests_answered is None:
                errors["best_interests_answered"] = (
                    "Select whether someone acting in their best interests answered instead"
                )
            elif self.best_interests_answered and not self.best_interests_who:
                errors["best_interests_who"] = "Enter who answered in their best interests"
        if self.questions_answered:
            for name, question in PART2_QUESTIONS:
                if not getattr(self, name):
                    errors[name] = f"Select an answer to ‘{question}’"
            if self.further_work_needed is None:
                errors["further_work_needed"] = "Select whether further work is needed to help them recover"
            elif self.further_work_needed and not self.further_work:
                errors["further_work"] = "Enter the further work needed"
            if self.completed_on is None:
                errors["completed_on"] = "Enter the date Part 2 was completed"
        return errors

    @property
    def is_done(self) -> bool:
        """Part 2 counts for closure: answered, or not approached with a reason a manager agreed."""
        if self.approached:
            return True
        return bool(self.not_approached_reason) and self.manager_agreed_by_id is not None


class OrganisationPerspective(Versioned):
    enquiry = models.OneToOneField(Enquiry, on_delete=models.PROTECT, related_name="organisation_perspective")
    could_be_better = models.TextField("What could have been done better", max_length=TEXT_MAX, blank=True)
    agencies_worked_together = models.TextField(
        "How well agencies worked together", max_length=TEXT_MAX, blank=True
    )
    changes_recommended = models.TextField("Changes recommended", max_length=TEXT_MAX, blank=True)
    systems_supported_msp = models.CharField(
        "Did systems and processes support Making Safeguarding Personal?",
        max_length=10,
        choices=SystemsSupported.choices,
    )
    systems_comment = models.TextField("About systems and processes", max_length=TEXT_MAX, blank=True)
    training_needs = models.TextField("Training needs", max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = case_history()

    class Meta:
        verbose_name = "Organisation's perspective"
