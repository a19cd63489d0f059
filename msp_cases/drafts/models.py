from django.conf import settings
from django.db import models


class Draft(models.Model):
    """What one person had typed into one form and not yet saved. Never shown to anyone but its author, never
    part of the case record (no history, no audit entry), deleted when the form is saved, discarded or
    `expires_at` passes (drafts.delete_expired)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Names the form and the record it changes, e.g. "conversation-add:enquiry:123"; issued by the server.
    key = models.CharField(max_length=100)
    # The form's fields as sent by the browser: name -> list of values (a checkbox group has several).
    data = models.JSONField()
    saved_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="draft_one_per_user_and_form")]

    def __str__(self) -> str:
        return f"Draft {self.key}"
