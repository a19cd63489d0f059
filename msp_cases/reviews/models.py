"""A Safeguarding Adults Review (SAR), arranged by the Safeguarding Adults Board under section 44 of the Care
Act 2014, and the individuals it concerns. Kept by the safeguarding unit; every change is kept in the
record's history (who, when, what, from where), and nothing is deleted from the pages: a review not arranged
stays on the register with its decision.

A review links to what the system already holds about it: each individual to their person's record where
they are on the system (a short description where not), the review to the enquiries and concerns it is
about. Those links decide who else sees it (msp_cases.access.review_scope) and which team's figures count it
(msp_cases.reports.sac.reviews)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

NOTES_MAX = 4000


class SafeguardingAdultsReview(Versioned):
    class Decision(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        ARRANGED = "arranged", "Arranged"
        NOT_ARRANGED = "not_arranged", "Not arranged"

    class Criteria(models.TextChoices):
        # Care Act 2014, s44(1)-(3): the board "must arrange" a review; s44(4): it "may arrange" one in any
        # other case of an adult in its area with needs for care and support.
        MANDATORY = "mandatory", "Met: a mandatory review, section 44(1) to (3)"
        DISCRETIONARY = "discretionary", "Not met: a discretionary review, section 44(4)"
        NOT_MET = "not_met", "Not met, and no discretionary review"

    # How the unit and the board speak of it, never a person's name ("Adult V", "Family W").
    name = models.CharField("name of the review", max_length=100)
    referred_on = models.DateField("date referred to the board")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField("date of the decision", null=True, blank=True)
    criteria = models.CharField("section 44 criteria", max_length=20, choices=Criteria.choices, blank=True)
    anyone_died = models.BooleanField("one or more individuals died", default=False)
    completed_on = models.DateField("date the review was published or completed", null=True, blank=True)
    notes = models.TextField(max_length=NOTES_MAX, blank=True)
    enquiries = models.ManyToManyField(
        Enquiry, through="ReviewEnquiry", blank=True, related_name="safeguarding_adults_reviews"
    )
    concerns = models.ManyToManyField(
        SafeguardingConcern, through="ReviewConcern", blank=True, related_name="safeguarding_adults_reviews"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        permissions = [("keep_reviews", "Can keep the register of Safeguarding Adults Reviews")]

    def __str__(self) -> str:
        return f"Safeguarding Adults Review: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.pk])

    @property
    def is_arranged(self) -> bool:
        return self.decision == self.Decision.ARRANGED

    def clean(self):
        super().clean()
        problems = review_problems(self)
        if problems:
            raise ValidationError(problems)


def review_problems(review: SafeguardingAdultsReview) -> dict[str, list[str]]:
    """Every problem with the review's dates and decision at once: field name -> messages."""
    problems: dict[str, list[str]] = {}
    decided = review.decision != SafeguardingAdultsReview.Decision.PENDING

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if decided and review.decided_on is None:
        add("decided_on", "Enter the date of the decision")
    if not decided and review.decided_on is not None:
        add("decided_on", "Leave the date of the decision empty until the board has decided")
    if review.decided_on and review.referred_on and review.decided_on < review.referred_on:
        add("decided_on", "The date of the decision must be the same as or after the date referred")
    if decided and not review.criteria:
        add("criteria", "Select whether the section 44 criteria were met")
    if review.is_arranged and review.criteria == SafeguardingAdultsReview.Criteria.NOT_MET:
        add(
            "criteria",
            "A review arranged when the criteria were not met is discretionary: select section 44(4)",
        )
    if review.completed_on is not None:
        if not review.is_arranged:
            add("completed_on", "Only a review the board arranged can be published or completed")
        elif review.decided_on and review.completed_on < review.decided_on:
            add("completed_on", "The date published or completed must be the same as or after the decision")
    return problems


class ReviewIndividual(Versioned):
    """Someone the review is about. Section 44: an adult who died, or suffered serious abuse or neglect, or
    (a discretionary review) any adult in the board's area with needs for care and support."""

    review = models.ForeignKey(SafeguardingAdultsReview, on_delete=models.PROTECT, related_name="individuals")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="review_individuals"
    )
    # For someone not on the system, or to tell two people apart without naming them.
    description = models.CharField(max_length=200, blank=True)
    serious_harm = models.BooleanField("suffered serious harm", default=False)
    died = models.BooleanField(default=False)

    history = case_history()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person"],
                condition=models.Q(person__isnull=False),
                name="reviews_individual_once_per_review",
            )
        ]

    def __str__(self) -> str:
        return self.description or f"Individual {self.pk}"

    def clean(self):
        super().clean()
        if self.person_id is None and not self.description:
            raise ValidationError({"description": "Enter a short description of the individual"})


class ReviewEnquiry(models.Model):
    """An enquiry the review is about."""

    review = models.ForeignKey(SafeguardingAdultsReview, on_delete=models.PROTECT, related_name="+")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "enquiry"], name="reviews_enquiry_once")]

    def __str__(self) -> str:
        return f"Review {self.review_id}: enquiry {self.enquiry_id}"


class ReviewConcern(models.Model):
    """A safeguarding concern the review is about."""

    review = models.ForeignKey(SafeguardingAdultsReview, on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(SafeguardingConcern, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "concern"], name="reviews_concern_once")]

    def __str__(self) -> str:
        return f"Review {self.review_id}: concern {self.concern_id}"
