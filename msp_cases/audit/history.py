"""Adds the client's address to every simple-history row, so a change records who, when, what and where."""

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from msp_cases.core.request import client_ip


class IPAddressHistoricalModel(models.Model):
    """Abstract base for the historical models of case records (`HistoricalRecords(bases=[...])`)."""

    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _add_ip_address(sender, **kwargs):
    history_instance = kwargs["history_instance"]
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None and hasattr(history_instance, "ip_address"):
        history_instance.ip_address = client_ip(request)


def case_history(**kwargs) -> HistoricalRecords:
    """Field-level history for a case model, with the author's address."""
    return HistoricalRecords(bases=[IPAddressHistoricalModel], excluded_fields=["updated_at"], **kwargs)
