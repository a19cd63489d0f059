"""Marking the SAC return submitted: the figures frozen, unrounded, with the records behind each cell and the
data-quality list's count, as a new version of the return for its period and scope."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import Conflict, NotPermitted

from ..models import SacSubmission
from ..sac.data_quality import sac_data_quality
from ..sac.returns import sac_return
from ..scope import ReportScope
from . import may_submit_sac
from .frozen import figures_frozen, record_ids_frozen, records_behind


def latest_version(*, start, end, team=None) -> int:
    """The number of the newest version of the return for this period and scope; 0 before the first."""
    found = SacSubmission.objects.filter(period_start=start, period_end=end, team=team).aggregate(
        latest=Max("version")
    )
    return found["latest"] or 0


def sac_submission_create(*, actor: Actor, scope: ReportScope, note: str, seen_version: int) -> SacSubmission:
    """Freeze the return for `scope` as its next version. `seen_version` is the newest version the
    submitter's page showed (0 for none): if another was marked since (the same form sent twice, or a
    colleague at the same moment) nothing is saved and they are told, so no version is made twice without
    anyone seeing it. The database's unique version number per period and scope settles a race between two
    requests that both read the same newest version."""
    user = actor.user
    if not may_submit_sac(user):
        raise NotPermitted("Only the safeguarding unit can mark the SAC return as submitted")
    if scope.team is not None:
        raise NotPermitted("Only the whole council's return is submitted: choose All teams")
    # Counted before the transaction (the return takes seconds for a large council, and reads the reports
    # database): the figures, the records behind them and the list are those of this moment.
    figures = sac_return(scope=scope)
    record_ids = records_behind(scope)
    quality = sac_data_quality(scope=scope, user=user)
    with transaction.atomic():
        newest = latest_version(start=scope.start, end=scope.end, team=scope.team)
        if newest != seen_version:
            raise _marked_since(scope)
        submission = SacSubmission(
            period_start=scope.start,
            period_end=scope.end,
            team=scope.team,
            version=newest + 1,
            submitted_by=user,
            submitted_at=timezone.now(),
            note=note,
            figures=figures_frozen(figures),
            record_ids=record_ids_frozen(record_ids),
            team_ids=list(scope.team_ids),
            data_quality_count=len(quality.people) + len(quality.enquiries),
            data_quality_more=quality.people_more or quality.enquiries_more,
        )
        # The version number is the database's to settle (its unique constraint), not a check that another
        # request could pass at the same moment.
        submission.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError as exc:
            raise _marked_since(scope) from exc
        access_record(
            actor=actor,
            obj=submission,
            action=AccessEvent.Action.CREATE,
            detail=f"SAC return marked as submitted: {scope.start} to {scope.end}, "
            f"version {submission.version}",
        )
    return submission


def _marked_since(scope: ReportScope) -> Conflict:
    latest = (
        SacSubmission.objects.filter(period_start=scope.start, period_end=scope.end, team=scope.team)
        .select_related("submitted_by")
        .order_by("-version")
        .first()
    )
    if latest is None:  # a version seen on the page has gone: not possible through the application
        return Conflict("The versions of this return have changed. Start again from the SAC return page")
    return Conflict(
        f"This return was marked as submitted (version {latest.version}) by {latest.submitted_by} at "
        f"{timezone.localtime(latest.submitted_at):%H:%M} while this page was open. Check the submitted "
        "versions before marking it submitted again"
    )
