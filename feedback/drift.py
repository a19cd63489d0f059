"""The drift rule this app owns: "Part 2 of My Safeguarding Experience is outstanding at closure" (registered
in FeedbackConfig.ready with enquiries.services.drift.register_drift_rule)."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from enquiries.models.drift import DriftPolicy, DriftRule
from enquiries.services.drift import EVERYTHING, DriftRuleSpec, Due, Only
from enquiries.services.drift.rules import open_enquiries

from .models import ExperienceFeedbackPart2


def part2_done_q(enquiry_ref: str = "pk") -> Exists:
    """Part 2 counts for closure (ExperienceFeedbackPart2.is_done, in SQL): answered, or not approached with
    a reason a manager agreed."""
    return Exists(
        ExperienceFeedbackPart2.objects.filter(enquiry_id=OuterRef(enquiry_ref)).filter(
            Q(approached=True) | (~Q(not_approached_reason="") & Q(manager_agreed_by__isnull=False))
        )
    )


def due_part2_outstanding(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    """ "Part 2 is outstanding at closure": the conclusion was recorded `days` ago and Part 2 is still missing
    (or not approached without a manager's agreement), and the enquiry is not closed."""
    days = datetime.timedelta(days=policy.days)
    rows = (
        open_enquiries(only)
        .filter(conclusion_recorded_at__isnull=False, conclusion_recorded_at__lt=now - days)
        .filter(~part2_done_q())
        .values_list("pk", "conclusion_recorded_at", "team_id", "lead_practitioner_id")
    )
    return [Due(pk, timezone.localdate(at + days), team, lead, enquiry_id=pk) for pk, at, team, lead in rows]


PART2_OUTSTANDING = DriftRuleSpec(
    rule=DriftRule.PART2_OUTSTANDING,
    due=due_part2_outstanding,
    message="Part 2 of My Safeguarding Experience is outstanding (due {due})",
    url=lambda reminder: reverse("feedback:part2_edit", args=[reminder.enquiry_id]),
)
