"""A subject access request received for a person, and the pack produced for it.

The request's reference, date received and the reason a unit lead gave for producing the pack are kept here,
not in the export's params (which hold ids and plain values only): they are part of the record of who
gathered everything held about a person, and why."""

import datetime

from django.conf import settings
from django.db import models

from enquiries.timescales import is_working_day


def statutory_due_date(received_on: datetime.date) -> datetime.date:
    """One calendar month from the day the request was received (UK GDPR article 12(3), as the ICO reads it:
    received on 3 September, due by 3 October; where the next month has no such day, its last day), moved to
    on to the next working day when that falls on a weekend or a bank holiday (enquiries.timescales), as the
    ICO allows."""
    year, month = (
        (received_on.year + 1, 1) if received_on.month == 12 else (received_on.year, received_on.month + 1)
    )
    day = received_on.day
    while True:
        try:
            due = datetime.date(year, month, day)
            break
        except ValueError:
            day -= 1
    while not is_working_day(due):
        due += datetime.timedelta(days=1)
    return due


class SubjectAccessRequest(models.Model):
    person = models.ForeignKey(
        "enquiries.Person", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    # The organisation's own reference for the request (from its information governance log), never a name.
    reference = models.CharField("request reference", max_length=40)
    received_on = models.DateField("date the request was received")
    due_on = models.DateField("date the response is due")
    reason = models.TextField("why you are producing the pack")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    # The pack: an export of the "subject_access_pack" kind. A new pack for the same request is a new row.
    export = models.OneToOneField(
        "exports.Export",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subject_access_request",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["person", "-requested_at"], name="sar_person_recent")]

    def __str__(self) -> str:
        return f"Subject access request {self.reference}"
