"""Handing work between teams: a concern or an enquiry passed to another team, a concern sent to the team
that holds the person, and a second concern added to an open enquiry about the same person.

A `TeamTransfer` is a request that the receiving team's manager accepts (choosing who leads the work) or
declines (with a reason). Until it is accepted the record stays with the sending team: the access rule reads
the record's own `team`, which only the acceptance changes. Written only by enquiries.services.transfers."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from msp_cases.accounts.models import Team

from .concerns import SafeguardingConcern
from .enquiries import Enquiry
from .people import Person


class TeamTransfer(models.Model):
    class What(models.TextChoices):
        CONCERN = "concern", "Concern"
        ENQUIRY = "enquiry", "Enquiry"
        # A concern not yet recorded, sent from the duplicate check to the team that holds the person: the
        # receiving manager records it on their own person's record when they accept.
        REFERRAL = "referral", "Concern sent to the team that holds the person"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the receiving team"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    what = models.CharField(max_length=10, choices=What.choices)
    # The record being passed on. For a referral: the person it is about (never shown to the sender, who
    # learns only that another team holds them) and, once accepted, the concern recorded from it.
    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="transfers_out")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="transfers_in")
    reason = models.TextField("why it should move to this team")
    # What the sender typed for a referral: the person's details as they knew them and the concern's fields
    # (dates as ISO text, types of risk as codes). Empty for a concern or an enquiry.
    referral = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One pending transfer per record: the database decides, so two requests at once give one.
            models.UniqueConstraint(
                fields=["concern"],
                name="transfer_one_pending_per_concern",
                condition=models.Q(status="pending", what="concern"),
            ),
            models.UniqueConstraint(
                fields=["enquiry"],
                name="transfer_one_pending_per_enquiry",
                condition=models.Q(status="pending", what="enquiry"),
            ),
            models.CheckConstraint(
                name="transfer_names_its_record",
                condition=models.Q(what="concern", concern__isnull=False, enquiry__isnull=True)
                | models.Q(what="enquiry", enquiry__isnull=False)
                | models.Q(what="referral", enquiry__isnull=True),
            ),
            models.CheckConstraint(
                name="transfer_to_another_team", condition=~models.Q(from_team=models.F("to_team"))
            ),
        ]
        indexes = [
            # "Transfers waiting" for a team's managers.
            models.Index(
                fields=["to_team", "requested_at"],
                name="transfer_pending_to_team",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("enquiries:transfer_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ConcernJoin(models.Model):
    """A second concern about a person, added to their open enquiry instead of opening another. The concern
    keeps its own record (SAC counts every concern received); the enquiry's timeline shows it, and the concern
    page says which enquiry it joined. One join per concern, by a unique constraint."""

    concern = models.OneToOneField(SafeguardingConcern, on_delete=models.PROTECT, related_name="joined")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="joined_concerns")
    reason = models.TextField("why it belongs to this enquiry")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"Concern {self.concern_id} joined enquiry {self.enquiry_id}"
