from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AccessEvent(models.Model):
    """One read, export, download or change of a case record: who, when, what, from which address.

    Written by `audit.services.access_record`; never edited or deleted through the application.
    Field-level history of changes lives in the simple-history tables of each case model.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        CREATE = "create", "Created"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_events")
    action = models.CharField(max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    # The adult the record is about, so "who has looked at this person's record" is one indexed query.
    person = models.ForeignKey(
        "enquiries.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="access_events"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # What was shown or exported, in words ("Enquiry page", "Case summary PDF"); never the record's content.
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display().lower()} {self.content_type.name} {self.object_id}"
