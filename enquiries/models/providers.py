"""Care providers: organisations named on a concern as alleged to have caused harm.

A provider is a record of its own, so every concern that names it can be found from it (a pattern of concerns
about one care home is a safeguarding matter in itself). The same CQC location ID is the same provider: a
unique constraint decides, not a check before the insert."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

# The Care Quality Commission's location IDs are "1-" followed by digits (1-101234567 on the CQC register).
CQC_LOCATION_ID = re.compile(r"1-[0-9]{1,15}")
MSG_CQC_FORMAT = "Enter the CQC location ID as it is on the CQC register, like 1-123456789"


def normalise_cqc_location_id(value: str) -> str:
    """As typed ("1- 1234 5678", " 1-12345678 ") to as stored ("1-12345678")."""
    return re.sub(r"\s+", "", value or "")


def validate_cqc_location_id(value: str) -> None:
    if value and not CQC_LOCATION_ID.fullmatch(value):
        raise ValidationError(MSG_CQC_FORMAT, code="cqc_format")


class CareProvider(models.Model):
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    cqc_location_id = models.CharField(
        "CQC location ID",
        max_length=20,
        blank=True,
        validators=[validate_cqc_location_id],
        help_text="From the Care Quality Commission's register, for example 1-123456789",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cqc_location_id"],
                condition=~models.Q(cqc_location_id=""),
                name="careprovider_unique_cqc_location_id",
                violation_error_message="A care provider with this CQC location ID is already recorded",
            ),
        ]
        indexes = [models.Index(Lower("name"), name="careprovider_name_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enquiries:provider_detail", args=[self.pk])
