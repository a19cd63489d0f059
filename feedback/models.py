"""My Safeguarding Experience: Part 1 (at the start: how the person wants to be involved and informed),
Part 2 (at conclusion: what they made of it, or why they were not approached) and the organisation's
perspective recorded by the manager at sign-off. One of each per enquiry."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from enquiries.models import Enquiry, PlanAction
from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

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


# Case-file audits ------------------------------------------------------------------------------------------
# The unit draws a reproducible random sample of closed enquiries and scores each against the MSP checklist.


class AuditAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AuditGrade(models.TextChoices):
    """The grades councils' case-file audits use (after Ofsted / CQC): best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


# The MSP audit checklist, in the order an auditor reads a case. The field names are the model's.
AUDIT_CHECKLIST = [
    ("outcomes_own_words", "Were the person's desired outcomes recorded in their own words?"),
    ("involved_from_start", "Was the person involved from the start?"),
    ("advocate_considered", "Was an advocate considered where the person lacked capacity?"),
    ("part2_sought", "Was the person's feedback (My Safeguarding Experience Part 2) sought?"),
    ("against_wishes_explained", "Were decisions made against the person's wishes explained?"),
    ("timescales_agreed", "Were timescales agreed with the person?"),
]
# Short names, for the notes' labels and the results' column headings.
AUDIT_CHECKLIST_SHORT = {
    "outcomes_own_words": "outcomes in the person's own words",
    "involved_from_start": "involvement from the start",
    "advocate_considered": "advocacy",
    "part2_sought": "Part 2",
    "against_wishes_explained": "decisions against the person's wishes",
    "timescales_agreed": "timescales",
}


class AuditSample(models.Model):
    """One draw: closed enquiries of a period (and a team, or all), chosen by `random.Random(seed)` over their
    ids in ascending order, so the same seed, period, team and scope draw the same enquiries again."""

    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()
    period_start = models.DateField("closed from")
    period_end = models.DateField("closed to")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_samples"
    )
    size = models.PositiveSmallIntegerField("number of enquiries asked for")
    seed = models.PositiveBigIntegerField()
    eligible_count = models.PositiveIntegerField("closed enquiries it was drawn from")
    enquiries = models.ManyToManyField(Enquiry, through="AuditSampleItem", related_name="audit_samples")

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Audit sample {self.pk}"

    def clean(self):
        if self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": "The last day of the period must be on or after the first day"}
            )


class AuditSampleItem(models.Model):
    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="items")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("order drawn")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "enquiry"], name="audit_sample_item_once"),
        ]

    def __str__(self) -> str:
        return f"Enquiry {self.enquiry_id} in audit sample {self.sample_id}"


class CaseFileAudit(models.Model):
    """The audit of one sampled enquiry. Append-only: a revision is a new row that `replaces` the one the
    auditor loaded; the current audit is the one nothing replaces. The one-to-one `replaces` and the
    constraint on first audits let the database refuse a second save made from the same page."""

    sample = models.ForeignKey(AuditSample, on_delete=models.PROTECT, related_name="audits")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="case_file_audits")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audited_at = models.DateTimeField()
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    # One answer and note per checklist item, in AUDIT_CHECKLIST's order.
    outcomes_own_words = models.CharField(AUDIT_CHECKLIST[0][1], max_length=20, choices=AuditAnswer.choices)
    outcomes_own_words_note = models.TextField("Note", max_length=TEXT_MAX, blank=True)
    involved_from_start = models.CharField(AUDIT_CHECKLIST[1][1], max_length=20, choices=AuditAnswer.choices)
    involved_from_start_note = models.TextField("Note", max_length=TEXT_MAX, blank=True)
    advocate_considered = models.CharField(AUDIT_CHECKLIST[2][1], max_length=20, choices=AuditAnswer.choices)
    advocate_considered_note = models.TextField("Note", max_length=TEXT_MAX, blank=True)
    part2_sought = models.CharField(AUDIT_CHECKLIST[3][1], max_length=20, choices=AuditAnswer.choices)
    part2_sought_note = models.TextField("Note", max_length=TEXT_MAX, blank=True)
    against_wishes_explained = models.CharField(
        AUDIT_CHECKLIST[4][1], max_length=20, choices=AuditAnswer.choices
    )
    against_wishes_explained_note = models.TextField("Note", max_length=TEXT_MAX, blank=True)
    timescales_agreed = models.CharField(AUDIT_CHECKLIST[5][1], max_length=20, choices=AuditAnswer.choices)
    timescales_agreed_note = models.TextField("Note", max_length=TEXT_MAX, blank=True)
    grade = models.CharField(max_length=24, choices=AuditGrade.choices)
    comments = models.TextField("Comments for the practitioner and their manager", max_length=TEXT_MAX)

    class Meta:
        ordering = ["-audited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "enquiry"],
                condition=models.Q(replaces__isnull=True),
                name="case_file_audit_first_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Case-file audit {self.pk}"

    def answers(self) -> list[tuple[str, str, str]]:
        """(question, answer label, note) in checklist order."""
        return [
            (question, getattr(self, f"get_{name}_display")(), getattr(self, f"{name}_note"))
            for name, question in AUDIT_CHECKLIST
        ]

    def clean(self):
        errors = {}
        for name, question in AUDIT_CHECKLIST:
            if getattr(self, name) in (AuditAnswer.PARTLY, AuditAnswer.NO) and not getattr(
                self, f"{name}_note"
            ):
                errors[f"{name}_note"] = f"Enter a note saying what was missing for ‘{question}’"
        if errors:
            raise ValidationError(errors)
