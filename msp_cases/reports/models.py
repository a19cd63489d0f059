"""A SAC return as it was submitted: the figures frozen with the records behind each cell, so "why did SG2c
change since we sent it?" can be answered after the records have moved on (an enquiry reopened, a
classification corrected). Written once by `submissions.services.sac_submission_create`; never edited or
deleted through the application. A second submission for the same period and scope is a new version."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from msp_cases.accounts.models import Team


class SacSubmission(models.Model):
    period_start = models.DateField("period from")
    period_end = models.DateField("period to")
    # The teams the figures cover: none is the whole council (every team), the return the collection asks for.
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # 1 for the first submission of this period and scope, 2 for the resubmission after it, and so on.
    version = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sac_submissions"
    )
    submitted_at = models.DateTimeField()
    # The council's own words: the Strategic Data Collection Service's reference, what was corrected.
    note = models.CharField(max_length=500, blank=True)
    # `SacReturn.as_dict(suppress=False)` with each table's `blocks`: the actual figures, unrounded, from
    # which the tables, the comparison and the workbook are rebuilt exactly (submissions.frozen).
    figures = models.JSONField()
    # The records behind each cell: [[table, row, column, record kind, [ids...]], ...] in the return's order.
    record_ids = models.JSONField(default=list, blank=True)
    # The teams counted when it was submitted (ids): the council's teams then.
    team_ids = models.JSONField(default=list, blank=True)
    # The data-quality list as the submitter saw it: records to check (people and enquiries, at most the
    # list's limit of each), and whether there were more than the list shows.
    data_quality_count = models.PositiveIntegerField(default=0)
    data_quality_more = models.BooleanField(default=False)

    class Meta:
        ordering = ["-period_end", "-period_start", "-version"]
        constraints = [
            # One number per version of a period and scope: a form sent twice, or two people submitting at
            # once, cannot both become version 2. Two conditions, since NULL team values are all distinct.
            models.UniqueConstraint(
                fields=["period_start", "period_end", "version"],
                condition=Q(team__isnull=True),
                name="sac_submission_council_version_unique",
            ),
            models.UniqueConstraint(
                fields=["period_start", "period_end", "team", "version"],
                condition=Q(team__isnull=False),
                name="sac_submission_team_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"SAC return {self.period_start} to {self.period_end}, version {self.version}"

    @property
    def is_resubmission(self) -> bool:
        return self.version > 1
