from django.db import models
from simple_history.models import HistoricalRecords

from msp_cases.audit.history import IPAddressHistoricalModel


def case_history(**kwargs) -> HistoricalRecords:
    """Field-level history for a case model, with the author's address (msp_cases.audit.history)."""
    return HistoricalRecords(bases=[IPAddressHistoricalModel], excluded_fields=["updated_at"], **kwargs)


class Versioned(models.Model):
    """Optimistic concurrency: every edit form carries the version it was loaded at, and the update is refused
    if someone else saved in between (enquiries.services.concurrency), so nothing is silently overwritten."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
