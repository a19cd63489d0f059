"""In-app notifications and their emails. An email never carries the person's name or any case detail: only
a link back into the service, where access is checked again."""

from django.conf import settings
from django.db import models


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "An email for each notification"
    DAILY = "daily", "One email a day listing them (daily digest)"
    NONE = "none", "No emails: I will check notifications in the service"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_frequency = models.CharField(
        "how to email you about notifications",
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_frequency_display()}"


class Notification(models.Model):
    """Something a member of staff should act on, with a link to the exact place to act.

    One per (reminder, user, kind) by a unique constraint: a second scan or a retried task never notifies
    twice. `email_state` follows the email: pending until sent (or skipped by the user's preference)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        ESCALATION = "escalation", "Escalated reminder"
        EXPORT_READY = "export_ready", "Export ready"
        # The front door routed a referral to the user's team (a concern now waits for its decision).
        REFERRAL_ROUTED = "referral_routed", "Referral routed to your team"
        # Front-door staff: referrals are waiting beyond what the form accepts.
        FRONT_DOOR_ALERT = "front_door_alert", "Front door alert"
        # A concern or an enquiry another team asks the user's team to take on, or how that request ended.
        TRANSFER = "transfer", "Transfer between teams"
        # A document's virus scan found a virus, or could not be done: the file is never served.
        DOCUMENT_SCAN = "document_scan", "Document virus scan"
        # A manager allocated a concern to the user: they look at it and prepare the decision.
        ALLOCATED = "allocated", "Allocated to you"
        # A member of a team the user manages had their account deactivated for not being used.
        ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
        # A manager returned a closure the user proposed: the manager's comments are shown in the service.
        CLOSURE_RETURNED = "closure_returned", "Closure returned"
        # A case-file audit was saved on an enquiry the user leads.
        CASE_FILE_AUDIT = "case_file_audit", "Case-file audit"

    class EmailState(models.TextChoices):
        PENDING = "pending", "Waiting to be emailed"
        DIGEST = "digest", "Waiting for the daily digest"
        SENT = "sent", "Emailed"
        SKIPPED = "skipped", "Not emailed (preference, or no longer needed)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reminder = models.ForeignKey(
        "enquiries.Reminder", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    export = models.ForeignKey(
        "exports.Export", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    # The case it is about, so the list can name the person to someone who may still see them: the name is
    # read from the record when the list is shown, never written into the message. An event (a returned
    # closure) also carries what was said, shown the same way.
    concern = models.ForeignKey(
        "enquiries.SafeguardingConcern", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enquiry_event = models.ForeignKey(
        "enquiries.EnquiryEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What to do, in words that carry no personal details ("A plan action is past its due date")
    message = models.CharField(max_length=200)
    # Where to act: a path inside the service (never an absolute URL with personal data)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "user", "kind"],
                name="notification_once_per_reminder",
                condition=models.Q(reminder__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["export", "user", "kind"],
                name="notification_once_per_export",
                condition=models.Q(export__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(
                fields=["email_state"],
                name="notification_email_due",
                condition=models.Q(email_state__in=["pending", "digest"]),
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def target_label(self) -> str:
        """Where its link leads, for "Go to …" (needs `reminder` selected with it). The drift rule decides
        the place to act (enquiries.services.drift.reminder_url)."""
        if self.kind == self.Kind.EXPORT_READY:
            return "the export"
        if self.kind == self.Kind.REFERRAL_ROUTED:
            return "the concern"
        if self.kind == self.Kind.DOCUMENT_SCAN:
            return "the document"
        if self.kind == self.Kind.ACCOUNT_DEACTIVATED:
            return "the account"
        if self.kind == self.Kind.CASE_FILE_AUDIT:
            return "the case-file audit"
        if self.kind == self.Kind.CLOSURE_RETURNED or self.enquiry_id:
            return "the enquiry"
        if self.concern_id:
            return "the concern"
        if self.reminder is None:
            return "the page"
        return TARGET_BY_RULE.get(self.reminder.rule, "the enquiry")


# Where a reminder's link leads, by drift rule (keys are enquiries.models.DriftRule values).
TARGET_BY_RULE = {
    "plan_action": "the plan action",
    "concern_decision": "the concern",
    "manager_review": "the manager review",
    "closure_sign_off": "the closure sign-off",
    "part2_outstanding": "My Safeguarding Experience Part 2",
}
