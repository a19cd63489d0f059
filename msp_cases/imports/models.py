"""Which record of the service each row of an earlier system's extract became.

The earlier system's ids stay here, off the case models: a record imported once is found again by
(source, kind, external id), so a second run of the same extract changes nothing and a changed row updates the
record it made. `row_hash` is the row as last imported; `record_version` the version the import left the
record at, so a record someone has changed in the service since is never overwritten by a later extract."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedRecord(models.Model):
    source_system = models.CharField("earlier system", max_length=50)
    # The extract's record type: person, concern, enquiry, conversation or outcome.
    kind = models.CharField(max_length=20)
    external_id = models.CharField("id in the earlier system", max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    row_hash = models.CharField(max_length=64)
    record_version = models.PositiveIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "kind", "external_id"], name="imported_record_unique_external_id"
            )
        ]
        # The timeline's "Imported from ..." tag: which of a page's conversations came from an import.
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_record_object")]

    def __str__(self) -> str:
        return f"{self.source_system} {self.kind} {self.external_id}"
