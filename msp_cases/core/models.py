from django.db import models


class Versioned(models.Model):
    """Optimistic concurrency: every edit form carries the version it was loaded at, and the update is refused
    if someone else saved in between (msp_cases.core.concurrency), so nothing is silently overwritten."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
